from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from clusterxchange.accounts import views as accounts_views
from clusterxchange.accounts.language import set_language
from clusterxchange.api.urls import api
from clusterxchange.core import views as core_views
from clusterxchange.site import public as site
from clusterxchange.site import waiting

admin.site.site_header = "clusterxchange administration"
admin.site.site_title = "clusterxchange admin"
# The admin has no login of its own: it sends to allauth's, which asks for the second factor of an
# account that has one and applies the login rate limits and lockout (docs/security.md).
admin.site.login = secure_admin_login(admin.site.login)
handler400 = "clusterxchange.core.errors.bad_request"
handler403 = "clusterxchange.core.errors.permission_denied"
handler404 = "clusterxchange.core.errors.page_not_found"
handler500 = "clusterxchange.core.views.server_error"  # an unreachable database gives a 503 page

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),  # remembers a logged-in user's choice
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", site.home, name="home"),
    path("waiting/", waiting.waiting, name="waiting"),
    path("waiting/box/", waiting.waiting_box, name="waiting_box"),
    # Before allauth's: its logout, and the browser forgets the saved agenda (accounts.views.logout).
    path("accounts/logout/", accounts_views.logout, name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("clusterxchange.accounts.urls")),
    path("invitations/", include("clusterxchange.accounts.invitation_urls")),
    path("directory/", include("clusterxchange.directory.urls")),
    path("welcome/", include("clusterxchange.joining.urls")),
    path("exchanges/", include("clusterxchange.exchanges.urls")),
    path("events/", include("clusterxchange.events.urls")),
    path("tandems/", include("clusterxchange.tandems.urls")),
    path("training/", include("clusterxchange.training.urls")),
    path("news/", include("clusterxchange.news.urls")),
    path("programme/", include("clusterxchange.site.urls")),
    path("programmes/", include("clusterxchange.programmes.urls")),
    path("reporting/", include("clusterxchange.reporting.urls")),
    path("privacy/", include("clusterxchange.privacy.urls")),
    path("messages/", include("clusterxchange.messaging.urls")),
    path("", include("clusterxchange.followup.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
