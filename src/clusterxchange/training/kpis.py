"""The training records' contribution to the programme's KPIs: "cluster management staff trained".

Counting rule: a staff member of a partner cluster counts once, when they completed at least one
course; the date of their first completion places them in a reporting period.
"""

from datetime import date

from django.db.models import Count, QuerySet

from clusterxchange.core.kpis import firsts
from clusterxchange.training.models import RecordStatus, TrainingRecord


def completed_records(programme, *, end: date | None = None, partner=None):
    records = TrainingRecord.objects.filter(partner__programme=programme, status=RecordStatus.COMPLETED)
    if end is not None:
        records = records.filter(completed_on__lte=end)
    if partner is not None:
        records = records.filter(partner=partner)
    return records


def first_completions(
    programme, *, start: date | None = None, end: date | None = None, partner=None, by: tuple[str, ...] = ()
) -> QuerySet:
    """One row per staff member (and `by` field) whose first completed course falls within
    [start, end], with its date as `first`."""
    return firsts(
        completed_records(programme, end=end, partner=partner), (*by, "person"), "completed_on", start=start
    )


def staff_trained(programme, *, start: date | None = None, end: date | None = None, partner=None) -> int:
    """Distinct staff members whose first completed course falls within [start, end]."""
    return first_completions(programme, start=start, end=end, partner=partner).count()


def staff_trained_by_period(programme) -> dict[str, int]:
    return {
        period.name: staff_trained(programme, start=period.start_date, end=period.end_date)
        for period in programme.periods.all()
    }


def staff_trained_by_partner(programme) -> dict[str, int]:
    rows = (
        completed_records(programme)
        .order_by()
        .values("partner__cluster__name")
        .annotate(people=Count("person", distinct=True))
    )
    return {row["partner__cluster__name"]: row["people"] for row in rows}
