"""The Commitment to Quality agreement as a signed document: its canonical content, the hash a signature
binds to, and the signer's proof of identity (the password again, or the second factor when set).

The hash (SHA-256 of the canonical content) is kept with each signature and printed in the PDF: a
changed agreement has another hash, so earlier signatures no longer match it and are withdrawn by the
change (domain.update_agreement); a signer who read an older version is refused.
"""

import hashlib
import json
import logging

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterxchange.accounts.two_factor import has_two_factor

DOCUMENT = "ClusterXchange Commitment to Quality agreement"
logger = logging.getLogger("clusterxchange.signatures")


def log_refusal(user, exchange, reason: str) -> None:
    """A refused signature (wrong password or code, another role, a changed document): one log line."""
    logger.warning("signature refused: %s on %s by %s", reason, exchange.reference, user.email)


def canonical_content(exchange) -> bytes:
    """What the parties sign: who, where, when, the grant and the agreement's text (sorted JSON, UTF-8)."""
    grant = exchange.grant_amount_eur
    content = {
        "document": DOCUMENT,
        "reference": exchange.reference,
        "programme": exchange.programme.slug,
        "visitor": exchange.visitor_organisation.slug,
        "host": exchange.host_organisation.slug if exchange.host_organisation_id else None,
        "start_date": exchange.start_date.isoformat(),
        "end_date": exchange.end_date.isoformat(),
        "grant_eur": f"{grant:.2f}" if grant is not None else None,
        "goals": exchange.agreement_goals,
        "objectives": exchange.agreement_objectives,
        "agenda": exchange.agreement_agenda,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def document_sha256(exchange) -> str:
    return hashlib.sha256(canonical_content(exchange)).hexdigest()


def signer_name(user) -> str:
    """The name a signature shows: the account's, never typed."""
    return user.get_full_name().strip() or user.email


def confirm_identity(user, password: str, code: str) -> None:
    """The signer proves it is them: the code of their authenticator app when two-factor login is on,
    otherwise their password. Refused with the reason (ValidationError on the field)."""
    if has_two_factor(user):
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        if not code.strip() or not TOTP(authenticator).validate_code(code.strip()):
            logger.warning("signature refused: wrong authenticator code by %s", user.email)
            raise ValidationError({"code": _("The code from your authenticator app is not correct.")})
        return
    if not password or not user.check_password(password):
        logger.warning("signature refused: wrong password by %s", user.email)
        raise ValidationError({"password": _("The password is not correct.")})
