from django.conf import settings

from clusterxchange.accounts.roles import roles_of


def navigation(request):
    """What the base layout needs: the user's roles (for the menu) and the site name."""
    return {"cx_roles": roles_of(getattr(request, "user", None)), "site_name": settings.SITE_NAME}
