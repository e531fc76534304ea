"""The exchanges' contribution to the programme's KPIs.

Counting rule (ClusterXchange): an exchange counts once, for the visitor's partnership. It counts
from the moment the partnership has validated it (declined, withdrawn and cancelled exchanges never
count) and is dated by its first day on site, which places it in a reporting period.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from clusterxchange.exchanges.models import VISIT_STATES, Exchange


@dataclass(frozen=True)
class ExchangeCount:
    exchanges: int
    sme_exchanges: int

    @property
    def sme_share(self) -> float:
        return self.sme_exchanges / self.exchanges if self.exchanges else 0.0


def counted_exchanges(
    programme, *, start: date | None = None, end: date | None = None, partner=None
) -> QuerySet:
    """The exchanges that count, with what reports group them by (one row per exchange)."""
    exchanges = Exchange.objects.filter(programme=programme, state__in=VISIT_STATES)
    if start is not None:
        exchanges = exchanges.filter(start_date__gte=start)
    if end is not None:
        exchanges = exchanges.filter(start_date__lte=end)
    if partner is not None:
        exchanges = exchanges.filter(visitor_partner=partner)
    return exchanges.select_related("visitor_organisation", "host_organisation", "visitor_partner__cluster")


def count(programme, **filters) -> ExchangeCount:
    totals = counted_exchanges(programme, **filters).aggregate(
        exchanges=Count("pk"), smes=Count("pk", filter=Q(visitor_organisation__is_sme=True))
    )
    return ExchangeCount(exchanges=totals["exchanges"], sme_exchanges=totals["smes"])


def count_by(exchanges: QuerySet, field: str) -> dict:
    """The counts of `exchanges` (counted_exchanges(), narrowed as a report needs) grouped by one
    attribute, e.g. "visitor_partner__cluster__name", "visitor_organisation__country",
    "host_organisation__country", "visitor_organisation__org_type",
    "visitor_organisation__ecosystems__name" (one query)."""
    rows = (
        exchanges.order_by()
        .values(field)
        .annotate(
            exchanges=Count("pk", distinct=True),
            smes=Count("pk", filter=Q(visitor_organisation__is_sme=True), distinct=True),
        )
    )
    return {row[field]: ExchangeCount(row["exchanges"], row["smes"]) for row in rows}


def count_by_period(programme) -> dict[str, ExchangeCount]:
    return {
        period.name: count(programme, start=period.start_date, end=period.end_date)
        for period in programme.periods.all()
    }
