"""The records behind a KPI value, as a table (drill-down page and its CSV/XLSX export).

The rows are exactly what the measure counts (`measures.py`), so the row count is the number the
dashboard linked from. Dates are ISO 8601 in exports and formatted by the template on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django_countries import countries

from clusterxchange.programmes.models import KpiMeasure, Programme
from clusterxchange.reporting.measures import Measure, Scope, country_counts

PAGE_SIZE = 100


@dataclass
class Listing:
    headers: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)  # (url of the record, cells)
    total: int = 0
    page: object = None  # the Paginator page shown (pages only)

    def plain_rows(self) -> list[list]:
        """The cells without the links (`exports.table_bytes` writes dates in ISO 8601)."""
        return [cells for _url, cells in self.rows]


def _country(code) -> str:
    return str(code) if code else ""


def _exchanges(queryset):
    headers = [
        _("Reference"),
        _("Visitor"),
        _("Visitor's country"),
        _("SME"),
        _("Organisation type"),
        _("Host"),
        _("Host country"),
        _("Visitor's partnership"),
        _("First day"),
        _("Last day"),
        _("State"),
    ]
    rows = [
        (
            exchange.get_absolute_url(),
            [
                exchange.reference,
                exchange.visitor_organisation.name,
                _country(exchange.visitor_organisation.country),
                _("yes") if exchange.visitor_organisation.is_sme else _("no"),
                exchange.visitor_organisation.get_org_type_display(),
                exchange.host_organisation.name if exchange.host_organisation else "",
                _country(exchange.host_organisation.country) if exchange.host_organisation else "",
                exchange.visitor_partner.cluster.name,
                exchange.start_date,
                exchange.end_date,
                exchange.get_state_display(),
            ],
        )
        for exchange in queryset
    ]
    return headers, rows


def _organisations(queryset):
    headers = [_("Organisation"), _("Country"), _("Organisation type"), _("SME")]
    rows = [
        (
            organisation.get_absolute_url(),
            [
                organisation.name,
                _country(organisation.country),
                organisation.get_org_type_display(),
                _("yes") if organisation.is_sme else _("no"),
            ],
        )
        for organisation in queryset
    ]
    return headers, rows


def _events(queryset):
    headers = [
        _("Event"),
        _("Kind"),
        _("City"),
        _("Country"),
        _("First day"),
        _("Last day"),
        _("Host cluster"),
    ]
    rows = [
        (
            event.get_absolute_url(),
            [
                event.title,
                event.get_kind_display(),
                event.city,
                event.country,
                event.start_date,
                event.end_date,
                event.host_cluster.name,
            ],
        )
        for event in queryset
    ]
    return headers, rows


def _meetings(queryset):
    headers = [_("Event"), _("Starts"), _("Participant"), _("Participant"), _("Evidence that it took place")]
    sources = {"organiser": _("The organiser's mark"), "participants": _("The participants' feedback")}
    rows = [
        (
            meeting.event.get_absolute_url(),
            [
                meeting.event.title,
                meeting.published_slot.starts_at if meeting.published_slot else "",
                meeting.first.organisation.name,
                meeting.second.organisation.name,
                sources.get(getattr(meeting, "held_source", ""), ""),
            ],
        )
        for meeting in queryset
    ]
    return headers, rows


def _tandems(queryset):
    headers = [_("Tandem"), _("Topic"), _("Start date"), _("End date"), _("Status")]
    rows = [
        (
            tandem.get_absolute_url(),
            [
                tandem.title,
                str(tandem.topic),
                tandem.start_date,
                tandem.end_date,
                tandem.get_status_display(),
            ],
        )
        for tandem in queryset
    ]
    return headers, rows


def _people(queryset):
    headers = [_("Staff member"), _("Organisation"), _("Position")]
    rows = [
        (
            person.get_absolute_url(),
            [f"{person.first_name} {person.last_name}", person.organisation.name, person.position],
        )
        for person in queryset
    ]
    return headers, rows


def _reviews(queryset):
    headers = [_("Strategy reviewed"), _("Reviewed cluster"), _("Review date")]
    rows = [
        (review.get_absolute_url(), [review.strategy_title, review.reviewed.cluster.name, review.review_date])
        for review in queryset
    ]
    return headers, rows


def _surveys(queryset):
    headers = [
        _("About"),
        _("Organisations"),
        _("Answered"),
        _("Outcome"),
        _("Expected value (EUR)"),
        _("Would recommend"),
    ]
    rows = []
    for survey in queryset:
        if survey.meeting_id:
            meeting = survey.meeting
            url, about = meeting.event.get_absolute_url(), meeting.event.title
            organisations = f"{meeting.first.organisation.name} – {meeting.second.organisation.name}"
        else:
            exchange = survey.exchange
            url, about = exchange.get_absolute_url(), exchange.reference
            host = exchange.host_organisation.name if exchange.host_organisation_id else ""
            organisations = f"{exchange.visitor_organisation.name} – {host}"
        recommend = "" if survey.recommend is None else (_("Yes") if survey.recommend else _("No"))
        rows.append(
            (
                url,
                [
                    about,
                    organisations,
                    survey.answered_at,
                    survey.get_outcome_display(),
                    survey.value_eur,
                    recommend,
                ],
            )
        )
    return headers, rows


def survey_rows(queryset) -> tuple[list, list]:
    """The follow-up answers as the KPI drill-down shows them (an event's follow-up page too)."""
    return _surveys(queryset)


RENDERERS = {
    KpiMeasure.EXCHANGES: _exchanges,
    KpiMeasure.SME_EXCHANGES: _exchanges,
    KpiMeasure.EXCHANGE_PARTICIPANTS: _organisations,
    KpiMeasure.MISSIONS: _events,
    KpiMeasure.STUDY_VISITS: _events,
    KpiMeasure.TANDEMS: _tandems,
    KpiMeasure.STAFF_TRAINED: _people,
    KpiMeasure.STRATEGIES_REVIEWED: _reviews,
    KpiMeasure.B2B_MEETINGS: _meetings,
    KpiMeasure.AGREEMENTS_REACHED: _surveys,
    KpiMeasure.FOLLOW_UPS_ANSWERED: _surveys,
}


def listing(programme: Programme, measure: Measure, scope: Scope, *, page: str | None = None) -> Listing:
    """The records of `measure` in `scope`: all of them for exports, or one page of PAGE_SIZE."""
    if not measure.applies(scope):
        return Listing(headers=[])
    if measure.code == KpiMeasure.COUNTRIES_REACHED:
        counts = country_counts(programme, scope)
        rows = [
            ("", [code, str(countries.name(code)), c["visitors"], c["hosts"], c["events"]])
            for code, c in sorted(counts.items())
        ]
        return Listing(
            [_("Code"), _("Country"), _("Exchanges sent"), _("Exchanges hosted"), _("Events held")],
            rows,
            len(rows),
        )
    queryset = measure.records(programme, scope)
    if measure.code in (KpiMeasure.EXCHANGES, KpiMeasure.SME_EXCHANGES):
        queryset = queryset.select_related("host_organisation")
    shown = None
    if page is not None:
        shown = Paginator(queryset, PAGE_SIZE).get_page(page)
        total, queryset = shown.paginator.count, shown.object_list
    headers, rows = RENDERERS[measure.code](queryset)
    return Listing([str(h) for h in headers], rows, len(rows) if shown is None else total, shown)
