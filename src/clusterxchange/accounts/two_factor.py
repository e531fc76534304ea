"""Two-factor login (allauth MFA: authenticator app codes and recovery codes).

Optional for everybody, offered on the account page of coordinators and partner cluster managers.
With MFA_REQUIRED_FOR_COORDINATORS=1, a coordinator without an authenticator app reaches nothing but
the set-up pages (and logout, static files, the language switch) until it is set up:
`RequireTwoFactorMiddleware` sends every other page there, and `must_set_up_two_factor` makes the
API refuse the coordinator's tokens."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from clusterxchange.core.roles import roles_of

# What a coordinator may still reach before setting up the second factor: setting it up (allauth asks
# for the password again first), and logging out. Anything else, /accounts/tokens/ included, waits.
SETUP_VIEW_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "account_logout",
        "set_language",
        "health",
    }
)
OPEN_PREFIXES = ("/static/", "/i18n/")


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_two_factor(user) -> bool:
    """A coordinator who has to set up two-factor login before using the site (the setting is on)."""
    return (
        settings.MFA_REQUIRED_FOR_COORDINATORS
        and user.is_authenticated
        and roles_of(user).is_coordinator
        and not has_two_factor(user)
    )


def is_setup_page(request) -> bool:
    if request.path_info.startswith(OPEN_PREFIXES):
        return True
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.view_name in SETUP_VIEW_NAMES


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_setup_page(request) and must_set_up_two_factor(request.user):
            messages.warning(request, _("Coordinators must set up two-factor login before going on."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
