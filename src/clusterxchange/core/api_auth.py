"""API authentication: personal bearer tokens (within their scopes), or the browser session with CSRF
protection.

Tokens are the accounts app's (`accounts.models.ApiToken`), above core and above the directory, whose
API reads the caller too: `AccountsConfig.ready()` registers `ApiToken.find` here (`find_token`), and
every API asks this module.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from clusterxchange.core.hooks import Hook

find_token = Hook(
    "the valid API token with a secret, or None: an object with `user` and `allows(method, path)` "
    "(accounts.models.ApiToken.find)"
)


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        instance = find_token(token)
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
        instance = find_token(header[7:].strip())
        if instance is not None and instance.allows(request.method, request.path):
            request.user = instance.user
            return instance.user
        return AnonymousUser()
    return getattr(request, "user", AnonymousUser())
