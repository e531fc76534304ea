"""Counting helpers shared by the apps' KPI modules."""

from collections.abc import Sequence
from datetime import date

from django.db.models import Min, QuerySet


def firsts(records: QuerySet, by: Sequence[str], date_field: str, *, start: date | None = None) -> QuerySet:
    """One row per value of the `by` fields with the date of its first record (as `first`), left
    out when that first date is before `start`: what counts once, dated by its first occurrence.

    `records` must already stop at the window's end and must not be cut at its start (a value
    first seen before the window is not new in it, even if seen again within)."""
    rows = records.order_by().values(*by).annotate(first=Min(date_field))
    if start is not None:
        rows = rows.filter(first__gte=start)
    return rows
