"""A history page: the audit entries of a record as a person reads them (`includes/history.html`)."""

from collections.abc import Callable, Iterable
from typing import Any

from clusterxchange.core.models import AuditEntry


def full_name_or_email(user) -> str:
    return user.get_full_name() or user.email


def readable(
    entries: Iterable[AuditEntry],
    labels: dict,
    lines: Callable[[AuditEntry], list[tuple[str, str, str]]],
    name: Callable[[Any], str] = full_name_or_email,
):
    """Give each entry of a history page what `includes/history.html` shows: its `label` (what was done,
    from `labels` by action), `by` (who did it: `name` of the actor; empty for the platform) and `lines`
    ((what, old value, new value) a person reads)."""
    for entry in entries:
        entry.label = labels.get(entry.action, entry.action)
        entry.by = name(entry.actor) if entry.actor is not None else ""
        entry.lines = lines(entry)
    return entries
