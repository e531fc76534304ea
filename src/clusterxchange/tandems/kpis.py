"""The tandems' contribution to the programme's KPIs: "cluster strategies reviewed".

Counting rule: a partner cluster's strategy counts once when at least one peer review of it is
completed; the review date places it in a reporting period (the first completed review counts).
"""

from datetime import date

from django.db.models import QuerySet

from clusterxchange.core.kpis import firsts
from clusterxchange.tandems.models import ReviewStatus, StrategyReview, Tandem, TandemOutcome


def completed_reviews(programme, *, start: date | None = None, end: date | None = None) -> QuerySet:
    """Completed reviews dated within [start, end]."""
    reviews = StrategyReview.objects.filter(programme=programme, status=ReviewStatus.COMPLETED)
    if start is not None:
        reviews = reviews.filter(review_date__gte=start)
    if end is not None:
        reviews = reviews.filter(review_date__lte=end)
    return reviews


def first_reviews(programme, *, start: date | None = None, end: date | None = None) -> QuerySet:
    """One row per reviewed partner whose first completed review falls within [start, end], with its
    date as `first` (the reviews are not cut at `start`: a strategy reviewed before is not new)."""
    return firsts(completed_reviews(programme, end=end), ("reviewed",), "review_date", start=start)


def strategies_reviewed(programme, *, start: date | None = None, end: date | None = None) -> int:
    """Distinct partner strategies whose first completed review falls within [start, end]."""
    return first_reviews(programme, start=start, end=end).count()


def strategies_reviewed_by_period(programme) -> dict[str, int]:
    return {
        period.name: strategies_reviewed(programme, start=period.start_date, end=period.end_date)
        for period in programme.periods.all()
    }


def tandem_outcomes(programme, *, start: date | None = None, end: date | None = None) -> int:
    """New or improved services launched thanks to tandems (dated by their launch)."""
    outcomes = TandemOutcome.objects.filter(tandem__programme=programme, launched_on__isnull=False)
    if start is not None:
        outcomes = outcomes.filter(launched_on__gte=start)
    if end is not None:
        outcomes = outcomes.filter(launched_on__lte=end)
    return outcomes.count()


def tandems_by_status(programme) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Tandem.objects.filter(programme=programme).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
