"""The site's own address in the links an email carries (an invitation, a page to open, an unsubscribe
link).

An email sent while a request is answered links to the address that request came to (its scheme and
host, which Django's `get_host` checks against ALLOWED_HOSTS: a Host header the site does not serve is
never trusted); an email sent by a background task or a command, outside any request, links to
SITE_URL. Development servers on another port than SITE_URL's (8000) thus send links that work.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_address: ContextVar[str | None] = ContextVar("request_address", default=None)


def site_link(path: str) -> str:
    """The absolute link to `path` (e.g. `reverse(...)`): on the current request's address, else on
    SITE_URL (see the module's docstring)."""
    base = _request_address.get() or settings.SITE_URL
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def _address_of(request) -> str | None:
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


class SiteAddressMiddleware:
    """Keeps the address of the request being answered for `site_link`, for that request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_address.set(_address_of(request))
        try:
            return self.get_response(request)
        finally:
            _request_address.reset(token)
