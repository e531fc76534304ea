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
) -> AuditEntry:
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
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The fields whose value differs, as {field: [old, new]} strings (JSON-safe)."""
    return {
        key: [str(before.get(key)), str(value)] for key, value in after.items() if before.get(key) != value
    }
