"""Error pages in the site's layout and the visitor's language: what happened and the way on.

Django calls the handlers named in `urls.py` (400, 403, 404, 500) and `CSRF_FAILURE_VIEW`; with DEBUG on
(the demo) it shows its own debug pages for 400, 404 and 500 instead, so `FriendlyErrorsMiddleware`
swaps those for the real pages unless `FRIENDLY_ERROR_PAGES` is off (a developer who wants the debug
pages sets it to 0). API paths keep their JSON answers.
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from clusterxchange.core.hooks import Hook

contact_email = Hook(
    "the address the error pages offer (programmes: the current programme's contact address)"
)


def _way_back(request) -> str:
    """The page the visitor came from, when it is on this site (else no "go back" link)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a request to a host this site does not serve
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def error_page(request, status: int, template: str, **context):
    """Render one error page (base layout, menus, language) with what every one offers; the API
    answers in JSON."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": HTTPStatus(status).phrase}, status=status)
        response.friendly_error_page = True
        return response
    context.update(
        status=status,
        back_url=_way_back(request),
        contact_email=contact_email(),
        request_id=getattr(request, "request_id", ""),
    )
    response = render(request, template, context, status=status)
    response.friendly_error_page = True
    return response


def bad_request(request, exception=None):
    return error_page(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    """The 403 page, with the refusal's own reason when the code gave one: views and domain actions
    raise ``PermissionDenied(_("You are not registered for this event."))`` for the person to read."""
    reason = str(exception) if isinstance(exception, Exception) and exception.args else ""
    return error_page(request, 403, "errors/403.html", reason=reason)


def _chosen_language(request) -> str | None:
    """The language the visitor chose (their account's, else the language switcher's cookie) when the
    address carries none: a mistyped address without a prefix says nothing about its reader."""
    if translation.get_language_from_path(request.path_info):
        return None
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    chosen = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else None


def page_not_found(request, exception=None):
    language = _chosen_language(request)
    if language is None:
        return error_page(request, 404, "errors/404.html")
    with translation.override(language):
        return error_page(request, 404, "errors/404.html")


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: most often a page left open past its session, or a
    browser that blocks cookies. The reason stays in the log, not on the page."""
    return error_page(request, 403, "errors/csrf.html", cookies_missing=not request.COOKIES)


def generic_server_error(request):
    """The 500 page. It first tries the full layout; when that fails too (the menus query the database)
    it falls back to a page that needs nothing."""
    try:
        return error_page(request, 500, "errors/500.html")
    except Exception:
        body = loader.get_template("errors/500_plain.html").render(
            {"request_id": getattr(request, "request_id", "")}
        )
        response = HttpResponseServerError(body)
        response.friendly_error_page = True
        return response


HANDLERS = {400: bad_request, 404: page_not_found, 500: generic_server_error}


class FriendlyErrorsMiddleware:
    """With DEBUG on, Django answers 400, 404 and 500 with its debug pages (a 404 lists every URL
    pattern): this shows the site's own pages instead, as in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        handler = HANDLERS.get(response.status_code)
        if (
            handler is None
            or not settings.DEBUG
            or not settings.FRIENDLY_ERROR_PAGES
            or getattr(response, "friendly_error_page", False)
            or request.path.startswith("/api/")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        return handler(request)
