"""Recording audit entries: called by domain actions inside their transaction."""

from typing import Any

from django.db import models

from clusterxchange.core.models import AuditEntry


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: dict | None = None,
    subject: Any = None,
) -> AuditEntry:
    """`subject`: the account the entry is about when `obj` is another record (a role given to someone,
    recorded on the organisation or programme whose history shows it)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        changes=changes or {},
        subject=subject,
    )


def _as_text(value: Any) -> str:
    """A value as the history shows it; a list (a programme's languages) as its items, comma-separated;
    a mapping (a KPI's names by language) as "key: value" items."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return ", ".join(str(item) for item in value) if isinstance(value, list | tuple) else str(value)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The fields whose value differs, as {field: [old, new]} strings (JSON-safe)."""
    return {
        key: [_as_text(before.get(key)), _as_text(value)]
        for key, value in after.items()
        if before.get(key) != value
    }
