"""API authentication: personal bearer tokens (within their scopes), or the browser session with CSRF
protection."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from clusterxchange.accounts.models import ApiToken


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        instance = ApiToken.find(token)
        if instance is None:
            return None
        if not instance.allows(request.method, request.path):
            raise PermissionDenied(_("This API token's scopes do not allow this request."))
        request.user = instance.user
        return instance.user


class SessionCsrfAuth(SessionAuth):
    """Session login; ninja enforces CSRF for unsafe methods with this scheme."""


def request_user(request):
    """The caller of a public endpoint: a token's user (when its scopes cover the request), the
    session's user or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        instance = ApiToken.find(header[7:].strip())
        if instance is not None and instance.allows(request.method, request.path):
            request.user = instance.user
            return instance.user
        return AnonymousUser()
    return getattr(request, "user", AnonymousUser())
