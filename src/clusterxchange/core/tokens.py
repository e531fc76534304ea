"""Signed links that are their own credential (an unsubscribe link, a follow-up survey link): the
data in the link, signed with the site's secret and a salt per kind of link, so a link of one kind is
worthless as another, and a changed or cut link is refused with a reason a person can read.

Invitations are not signed links: their token is random and only its hash is stored, so that a link
is single-use and can be revoked (`accounts/invitations.py`)."""

from collections.abc import Callable
from typing import TypeVar

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist

from clusterxchange.core.domain import Refused

T = TypeVar("T")


def sign(data: dict, *, salt: str) -> str:
    """The token of ``data`` (compact JSON, URL-safe) for links of the kind ``salt``."""
    return signing.dumps(data, salt=salt)


def read_signed(
    token: str,
    *,
    salt: str,
    read: Callable[[dict], T],
    invalid: str,
    max_age=None,
    expired: str | None = None,
) -> T:
    """What ``read`` makes of the data of ``token`` (a link of the kind ``salt``).

    Refused with ``invalid`` when the token was changed or cut, or when its data is not what ``read``
    expects (a missing key, a wrong type or value, a record that no longer exists: ``read`` raises
    KeyError, TypeError, ValueError or DoesNotExist); refused with ``expired`` (default ``invalid``)
    when it is older than ``max_age`` (seconds or a timedelta; None: no limit)."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise Refused(expired or invalid) from error
    except signing.BadSignature as error:
        raise Refused(invalid) from error
    try:
        return read(data)
    except (ObjectDoesNotExist, KeyError, TypeError, ValueError) as error:
        raise Refused(invalid) from error
