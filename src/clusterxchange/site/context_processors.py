from django.conf import settings

from clusterxchange.core.roles import roles_of
from clusterxchange.site.navigation import Menu


def navigation(request):
    """What the base layout needs: the user's roles, the main menu (built when first used) and the site
    name."""
    return {
        "cx_roles": roles_of(getattr(request, "user", None)),
        "cx_menu": Menu(request),
        "site_name": settings.SITE_NAME,
    }
