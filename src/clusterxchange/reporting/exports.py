"""Exports: any table to CSV/XLSX (`core.tabular`, formula injection neutralised) and the full
programme data workbook for the EU report (one sheet per record type; columns in docs/reporting.md).

Dates are ISO 8601, amounts in EUR with two decimals, yes/no as true/false in the workbook.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from clusterxchange.core.tabular import neutralise, write_csv, write_xlsx
from clusterxchange.events.models import Event, Meeting, Registration
from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import Programme
from clusterxchange.reporting.measures import Scope, kpi_values
from clusterxchange.tandems.models import StrategyReview, Tandem, TandemOutcome
from clusterxchange.training.models import TrainingRecord


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table_bytes(
    headers: Sequence[str], rows: Iterable[Sequence], fmt: str, *, title: str = "export"
) -> bytes:
    rows = [[_plain(value) for value in row] for row in rows]
    if fmt == "csv":
        return write_csv(headers, rows)
    return write_xlsx(headers, rows, title=title)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[str]
    rows: Callable[[Programme], Iterable[Sequence]]


def _kpis(programme):
    periods = list(programme.periods.all())
    kpis = list(programme.kpi_targets.all())
    to_date = kpi_values(programme, Scope(), kpis)
    per_period = [kpi_values(programme, Scope(start=p.start_date, end=p.end_date), kpis) for p in periods]
    for index, item in enumerate(to_date):
        yield [
            item.kpi.code,
            item.kpi.name,
            item.kpi.measure,
            item.kpi.target,
            item.value,
            item.planned,
            item.kpi.published,
        ] + [values[index].value for values in per_period]


def _kpi_columns(programme) -> list[str]:
    return ["code", "name", "measure", "target", "value_to_date", "planned", "published"] + [
        f"value_{period.name}" for period in programme.periods.all()
    ]


def _periods(programme):
    for period in programme.periods.all():
        yield [period.name, period.start_date, period.end_date]


def _partners(programme):
    for partner in programme.partners.select_related("cluster"):
        yield [
            partner.pk,
            partner.cluster.name,
            str(partner.cluster.country),
            partner.is_coordinator,
            partner.grant_budget_eur,
        ]


def _exchanges(programme):
    exchanges = (
        Exchange.objects.filter(programme=programme)
        .select_related(
            "visitor_organisation", "host_organisation", "visitor_partner__cluster", "host_partner__cluster"
        )
        .order_by("start_date", "reference")
    )
    for e in exchanges.iterator(chunk_size=2000):
        yield [
            e.reference,
            e.state,
            e.visitor_organisation.name,
            str(e.visitor_organisation.country),
            e.visitor_organisation.org_type,
            e.visitor_organisation.is_sme,
            e.visitor_partner.cluster.name,
            e.host_organisation.name if e.host_organisation else "",
            str(e.host_organisation.country) if e.host_organisation else "",
            e.host_partner.cluster.name if e.host_partner else "",
            e.start_date,
            e.end_date,
            e.grant_working_days,
            e.grant_distance_km,
            e.grant_amount_eur,
            e.paid_amount_eur,
            e.paid_on,
        ]


def _events(programme):
    events = (
        Event.objects.filter(programme=programme)
        .select_related("host_cluster")
        .annotate(
            delegates=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.VALIDATED,
                    registrations__role=Registration.Role.DELEGATE,
                ),
                distinct=True,
            ),
            participants=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.VALIDATED), distinct=True
            ),
        )
        .order_by("start_date")
    )
    for ev in events:
        yield [
            ev.slug,
            ev.kind,
            ev.title,
            ev.host_cluster.name,
            ev.city,
            ev.country,
            ev.start_date,
            ev.end_date,
            ev.published,
            ev.participants,
            ev.delegates,
        ]


def _meetings(programme):
    meetings = (
        Meeting.objects.filter(event__programme=programme, status=Meeting.Status.ACTIVE)
        .with_held_source()
        .values_list(
            "pk",
            "event__slug",
            "published_slot__starts_at",
            "first__organisation__name",
            "second__organisation__name",
            "held",
            "held_source",
        )
        .order_by("event__start_date", "pk")
    )
    for pk, event, starts_at, first, second, held, source in meetings.iterator(chunk_size=5000):
        yield [pk, event, starts_at, first, second, held, source]


def _tandems(programme):
    for tandem in (
        Tandem.objects.filter(programme=programme)
        .select_related("topic")
        .prefetch_related("participants__partner__cluster")
    ):
        yield [
            tandem.pk,
            tandem.title,
            tandem.topic.name,
            tandem.start_date,
            tandem.end_date,
            tandem.status,
            "; ".join(p.partner.cluster.name for p in tandem.participants.all()),
        ]


def _outcomes(programme):
    for outcome in TandemOutcome.objects.filter(tandem__programme=programme).select_related(
        "tandem", "partner__cluster"
    ):
        yield [
            outcome.tandem_id,
            outcome.tandem.title,
            outcome.partner.cluster.name,
            outcome.kind,
            outcome.service,
            outcome.launched_on,
        ]


def _reviews(programme):
    for review in StrategyReview.objects.filter(programme=programme).select_related("reviewed__cluster"):
        yield [
            review.pk,
            review.reviewed.cluster.name,
            review.strategy_title,
            review.review_date,
            review.status,
        ]


def _training(programme):
    records = TrainingRecord.objects.filter(partner__programme=programme).select_related(
        "partner__cluster", "person", "entry"
    )
    for record in records:
        yield [
            record.partner.cluster.name,
            f"{record.person.first_name} {record.person.last_name}",
            record.entry.title,
            record.status,
            record.enrolled_on,
            record.completed_on,
        ]


SHEETS = [
    Sheet("KPIs", [], _kpis),  # columns depend on the periods
    Sheet("Periods", ["name", "start_date", "end_date"], _periods),
    Sheet("Partners", ["id", "cluster", "country", "is_coordinator", "grant_budget_eur"], _partners),
    Sheet(
        "Exchanges",
        [
            "reference",
            "state",
            "visitor",
            "visitor_country",
            "visitor_type",
            "visitor_is_sme",
            "visitor_partnership",
            "host",
            "host_country",
            "host_partnership",
            "first_day",
            "last_day",
            "grant_working_days",
            "grant_distance_km",
            "grant_amount_eur",
            "paid_amount_eur",
            "paid_on",
        ],
        _exchanges,
    ),
    Sheet(
        "Events",
        [
            "slug",
            "kind",
            "title",
            "host_cluster",
            "city",
            "country",
            "first_day",
            "last_day",
            "published",
            "participants",
            "delegates",
        ],
        _events,
    ),
    Sheet(
        "B2B meetings",
        ["id", "event", "starts_at", "first_participant", "second_participant", "held", "held_source"],
        _meetings,
    ),
    Sheet("Tandems", ["id", "title", "topic", "start_date", "end_date", "status", "partners"], _tandems),
    Sheet("Tandem outcomes", ["tandem_id", "tandem", "partner", "kind", "service", "launched_on"], _outcomes),
    Sheet("Strategy reviews", ["id", "reviewed_cluster", "strategy", "review_date", "status"], _reviews),
    Sheet(
        "Training", ["partner", "staff_member", "course", "status", "enrolled_on", "completed_on"], _training
    ),
]


def _cell(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):  # dates and datetimes (with their offset), ISO 8601
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return neutralise(value)


def programme_workbook(programme: Programme) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 — heavy: loaded only to read or write a spreadsheet

    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(title=sheet.name)
        worksheet.append(sheet.columns or _kpi_columns(programme))
        for row in sheet.rows(programme):
            worksheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
