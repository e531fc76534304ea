"""API authentication: personal bearer tokens, or the browser session with CSRF protection."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer, SessionAuth

from clusterxchange.accounts.models import ApiToken


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionCsrfAuth(SessionAuth):
    """Session login; ninja enforces CSRF for unsafe methods with this scheme."""


def request_user(request):
    """The caller of a public endpoint: a token's user, the session's user or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header[7:].strip())
        if user is not None:
            request.user = user
            return user
        return AnonymousUser()
    return getattr(request, "user", AnonymousUser())
