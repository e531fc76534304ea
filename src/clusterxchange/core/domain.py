"""Helpers shared by every app's domain actions."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, TextField
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.core import audit
from clusterxchange.core.concurrency import check_version


class Refused(Exception):
    """The records' state does not allow the action now (not bad input, not a missing permission).

    Every domain action raises this one type; ``reasons`` are sentences a person can read (what
    blocks the action and, where it helps, what would allow it). Views show them as the page's
    message (core/forms.attempt), the API answers 409 with them (api/main.py)."""

    def __init__(self, *reasons: str):
        self.reasons = [str(reason) for reason in reasons]
        super().__init__("; ".join(self.reasons))


# Who may, for each permission that declared it (`refuse_with`, beside the permission in the app's
# rules.py): the reason a refused person reads on the 403 page and in the API's 403.
REFUSALS: dict[str, object] = {}
# Two reasons many permissions share.
COORDINATORS_ONLY = gettext_lazy("Only the programme's coordinators may do this.")
COORDINATORS_AND_MANAGERS = gettext_lazy(
    "Only coordinators and the managers of partner clusters may do this."
)


def refuse_with(permission: str, message) -> None:
    """Declare what `require` tells a person `permission` refuses (a lazy text: read in their
    language), unless the call gives its own ``message``."""
    REFUSALS[permission] = message


def require(user, permission: str, obj=None, *, message: str | None = None) -> None:
    """Raise PermissionDenied unless `user` has `permission` (on `obj`); ``message`` says who may, in
    words a person reads (default: the permission's declared refusal, else "You are not allowed to do
    this.")."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(message or REFUSALS.get(permission) or _("You are not allowed to do this."))


def snapshot(instance, field_names: list[str]) -> dict[str, object]:
    return {name: getattr(instance, name) for name in field_names}


def apply_fields(instance, fields: dict, allowed) -> None:
    """Set ``fields`` on ``instance``; a name outside ``allowed`` is a programming error (ValueError).
    None for an optional text is the empty text (full_clean skips blank fields; the column is NOT NULL)."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"Unknown field: {name}")
        field = instance._meta.get_field(name)
        if value is None and not field.null and isinstance(field, CharField | TextField):
            value = ""
        setattr(instance, name, value)


def unique_slug(queryset, text: str, *, fallback: str, exclude_pk=None, reserved=()) -> str:
    """A slug of ``text`` (at most 200 characters, ``fallback`` when nothing is left) that no row of
    ``queryset`` but ``exclude_pk`` has, and that is not ``reserved``: "-2", "-3"… are added."""
    base = slugify(text)[:200] or fallback
    slug, counter = base, 2
    while slug in reserved or queryset.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@contextmanager
def audited_update(
    actor,
    instance,
    fields: dict,
    allowed,
    *,
    action: str,
    expected_version: str | None = None,
    state=None,
    derived=(),
) -> Iterator[None]:
    """The update every domain action does the same way: check the version the editor read (StaleEdit
    when someone saved in between), set ``fields`` (names from ``allowed``), let the ``with`` body
    validate, save, and audit the fields that changed (and the change of ``state``, a field name,
    when there is one), with the ``derived`` fields the body sets from them (coordinates from a city). The caller has checked the permission and runs in a transaction; an
    exception in the body saves nothing.

        with audited_update(actor, event, fields, EVENT_FIELDS, action="events.event.update",
                            expected_version=expected_version):
            event.full_clean(exclude=["slug"])
    """
    check_version(instance, expected_version)
    names = list(dict.fromkeys([*fields, *derived]))
    before = snapshot(instance, names)
    from_state = getattr(instance, state) if state else ""
    apply_fields(instance, fields, allowed)
    yield
    instance.save()
    audit.record(
        actor,
        action,
        instance,
        from_state=from_state,
        to_state=getattr(instance, state) if state else "",
        changes=audit.field_changes(before, snapshot(instance, names)),
    )
