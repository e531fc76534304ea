"""Login throttling with django-axes: who is trying (the login typed, lower-cased) and from where."""

from django.conf import settings

from clusterxchange.core.errors import error_page


def login_of(request, credentials: dict | None) -> str | None:
    """The account a login attempt is for: allauth passes `email`, Django's admin login `username`."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("username")
    if not login and request is not None:
        data = getattr(request, "POST", {})
        login = data.get("login") or data.get("username")
    return login.strip().lower() if login else None


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that append to X-Forwarded-For the
    address the outermost of them saw (a client can prepend anything, so never take the first)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login when axes locked the (account, address) pair out: it
    says why, for how long, and offers the password reset."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return error_page(
        request,
        429,
        "account/locked_out.html",
        cooloff_minutes=minutes,
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )
