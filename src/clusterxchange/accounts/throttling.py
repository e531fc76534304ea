"""Login throttling: django-axes locks one account from one address after repeated failures (who is
trying: the login typed, lower-cased; from where: the client's address); `AccountAdapter` caps failures
from one address across accounts without refusing a correct password. See docs/security.md."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from clusterxchange.accounts.language import LANGUAGE_CODES
from clusterxchange.accounts.models import User
from clusterxchange.core.addresses import address_in
from clusterxchange.core.errors import error_page
from clusterxchange.core.mail import send_after_commit
from clusterxchange.core.roles import roles_of

MAX_COOL_OFF = timedelta(days=1)


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


def cool_off(request) -> timedelta:
    """How long an (account, address) pair stays locked out (AXES_COOLOFF_TIME): the base time
    (AXES_COOLOFF_MINUTES) for the first AXES_FAILURE_LIMIT × 2 failures, then doubled with every
    further AXES_FAILURE_LIMIT failures (failures while locked out count too), at most a day.
    Only that pair waits longer: the owner elsewhere, other accounts here, and the emailed login
    code are not affected."""
    base = timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    login = login_of(request, getattr(request, "axes_credentials", None)) if request is not None else None
    if not login:
        return base

    failures = (
        AccessAttempt.objects.filter(username=login, ip_address=client_address(request)).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    doublings = max(0, failures // settings.AXES_FAILURE_LIMIT - 1)
    return min(base * 2 ** min(doublings, 10), MAX_COOL_OFF)


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login when axes locked the (account, address) pair out: it
    says why, for how long, and offers a one-time login code by email and the password reset."""
    minutes = max(1, round(cool_off(request).total_seconds() / 60))
    return error_page(
        request,
        429,
        "account/locked_out.html",
        cooloff_minutes=minutes,
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )


def _address_key(request) -> str:
    return f"cx-login-failures:{client_address(request)}"


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the per-address cap on failed logins across accounts.

    After ADDRESS_FAILURE_LIMIT failed logins from one address within ADDRESS_FAILURE_WINDOW, every
    further *failed* login from it is answered with "too many failed login attempts"; a correct password
    is checked as always and logs in, so nobody behind a shared address is locked out by someone else.
    (The per account + address lockout is django-axes'.)"""

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth would refuse the password step after failures per address or per login (from
        anywhere): both can be aimed at others. The password step is throttled by django-axes (account
        + address) and the address cap below instead; allauth's count stays on second-factor codes."""
        self._login_failed_rl_usage = None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's own emails (address confirmation, password reset, login codes, security notices)
        leave through core.mail like every other: queued in the request's transaction, sent by a task
        worker, retried through a mail server outage (allauth sent them in the request and lost them
        then). Written in the saved language of the account the address belongs to, else in the page's
        (the recipient is usually the person asking)."""
        request = allauth_context.request
        values = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        owner = User.objects.filter(address_in("email", [email])).only("language").first()
        saved = owner.language if owner is not None and owner.language in LANGUAGE_CODES else ""
        with translation.override(saved or translation.get_language()):
            message = self.render_mail(template_prefix, email, values)
        send_after_commit([(message.subject, message.body, message.from_email, list(message.to))])

    def get_signup_redirect_url(self, request) -> str:
        """A new account has no organisation yet: the next steps page says how to join one."""
        return reverse("join:welcome")

    def get_login_redirect_url(self, request) -> str:
        """After a login without `next`: someone without an organisation or a role (not staff) is led to
        the next steps page, which says how to join one and what they wait for; the others to the home page."""
        user = request.user
        if user.is_authenticated and not user.is_staff and not roles_of(user).is_programme_member:
            return reverse("join:welcome")
        return super().get_login_redirect_url(request)

    def authentication_failed(self, request, **credentials) -> None:

        key = _address_key(request)
        window = int(settings.ADDRESS_FAILURE_WINDOW.total_seconds())
        if cache.add(key, 1, window):
            failures = 1
        else:
            try:
                failures = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)
                failures = 1
        if failures > settings.ADDRESS_FAILURE_LIMIT:
            raise self.validation_error("too_many_login_attempts")
