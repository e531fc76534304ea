"""Helpers shared by every app's domain actions."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` has `permission` (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def snapshot(instance, field_names: list[str]) -> dict[str, object]:
    return {name: getattr(instance, name) for name in field_names}
