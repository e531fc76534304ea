"""Helpers shared by every app's domain actions."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class Refused(Exception):
    """The records' state does not allow the action now (not bad input, not a missing permission).

    Every domain action raises this one type; ``reasons`` are sentences a person can read (what
    blocks the action and, where it helps, what would allow it). Views show them as the page's
    message (core/forms.attempt), the API answers 409 with them (api/main.py)."""

    def __init__(self, *reasons: str):
        self.reasons = [str(reason) for reason in reasons]
        super().__init__("; ".join(self.reasons))


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` has `permission` (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def snapshot(instance, field_names: list[str]) -> dict[str, object]:
    return {name: getattr(instance, name) for name in field_names}
