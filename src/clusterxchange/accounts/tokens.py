"""API token actions: issue, revoke one, revoke all of a user's (after a password reset or change and
when two-factor login is switched on, with an email to the owner). Every action is audited."""

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from clusterxchange.accounts.language import preferred_language, programme_of_email
from clusterxchange.accounts.models import ApiToken
from clusterxchange.accounts.notifications import TOKENS_REVOKED
from clusterxchange.core import audit
from clusterxchange.core.domain import require
from clusterxchange.core.mail import send_in_languages


@transaction.atomic
def issue(actor, name: str, scopes, days: int) -> tuple[ApiToken, str]:
    require(actor, "accounts.issue_token")
    token, secret = ApiToken.issue(actor, name, scopes=scopes, days=days)
    audit.record(actor, "accounts.token.issue", token, changes={"scopes": token.scopes, "days": days})
    return token, secret


@transaction.atomic
def revoke(actor, token: ApiToken) -> None:
    require(actor, "accounts.revoke_token", token)
    audit.record(actor, "accounts.token.revoke", token, comment=token.name)
    if actor != token.user:
        _tell_owner(token.user, [token], lambda: _("A coordinator of your programme revoked them."))
    token.delete()


REASONS = {
    "password_reset": lambda: _("Your password was reset."),
    "password_changed": lambda: _("Your password was changed."),
    "two_factor_on": lambda: _("Two-factor login was switched on for your account."),
}


@transaction.atomic
def revoke_all(user, reason: str) -> int:
    """Revoke every token of `user` because of `reason` (a key of REASONS); the owner is told by email."""
    tokens = list(user.api_tokens.all())
    if not tokens:
        return 0
    for token in tokens:
        audit.record(user, "accounts.token.revoke", token, comment=reason)
    _tell_owner(user, tokens, REASONS[reason])
    user.api_tokens.filter(pk__in=[token.pk for token in tokens]).delete()
    return len(tokens)


def _tell_owner(user, tokens: list[ApiToken], why) -> None:
    """Email the owner in their language (else the current programme's default); `why()` gives the
    reason in the language active then."""
    names = "\n".join(f"- {token.name} (cx_{token.prefix}…)" for token in tokens)

    subject, body = TOKENS_REVOKED.parts(None, reason=lazy(why, str)(), tokens=names)

    def render() -> tuple[str, str]:
        return str(subject), str(body)

    send_in_languages([(user.email, preferred_language(user, programme_of_email(None)))], render)


def on_password_reset(sender, request, user, **kwargs):
    revoke_all(user, "password_reset")


def on_password_changed(sender, request, user, **kwargs):
    revoke_all(user, "password_changed")


def on_authenticator_saved(sender, instance, created, **kwargs):
    """An authenticator app added to an account: tokens made with the password alone go."""
    if created and instance.type == instance.Type.TOTP:
        revoke_all(instance.user, "two_factor_on")
