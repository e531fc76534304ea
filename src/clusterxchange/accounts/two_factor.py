"""Two-factor login (allauth MFA: authenticator app codes and recovery codes).

Optional for everybody, offered on the account page of coordinators and partner cluster managers.
With MFA_REQUIRED_FOR_COORDINATORS=1, `RequireTwoFactorMiddleware` sends a logged-in coordinator
without an authenticator app to its set-up page before anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterxchange.accounts.language import LANGUAGE_CODES
from clusterxchange.accounts.roles import roles_of

# What a coordinator may still reach before setting up the second factor.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_COORDINATORS
            and request.user.is_authenticated
            and not request.path_info.startswith(ALLOWED_PREFIXES)
            and not _localised_accounts_path(request.path_info)
            and roles_of(request.user).is_coordinator
            and not has_two_factor(request.user)
        ):
            messages.warning(request, _("Coordinators must set up two-factor login before going on."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _localised_accounts_path(path: str) -> bool:
    """/de/accounts/… and /fr/accounts/… (language-prefixed pages) are allowed too."""
    parts = path.split("/", 3)
    return len(parts) > 2 and parts[1] in LANGUAGE_CODES and parts[2] == "accounts"
