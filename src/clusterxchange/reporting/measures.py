"""The registry of KPI measures: how each KPI is counted from the records (pure queries, no views).

One function per measure (`programmes.KpiMeasure`) returns the records that count (a queryset, so
that every number can be listed record by record); the value is the number of those records. Every
surface (dashboard, progress report page and PDF, public site, workbook, API) takes its figures
from here, so a figure is the same everywhere for the same programme and period.

**Carried out, not promised.** A record counts once what it stands for has begun on or before the
*day counted*: the scope's last day, but never after today (`Scope.day_counted`). An exchange
counts once its first day on site has come and it is not cancelled, declined, withdrawn or a draft;
a mission or study visit once its first day has come (published); a tandem once it has started (not
cancelled); a trainee on the day of their first completed course. What is validated but starts
after today is **planned**, shown apart (`Measure.planned_value`), never added to the figure.

| measure | records | dated by | planned | partner | country | ecosystem, org. type |
|---|---|---|---|---|---|---|
| exchanges | exchanges carried out, once for the visitor's partnership | first day on site | validated, starting after today | visitor's partnership | visitor's country | visitor's |
| sme-exchanges | the same, visitor is an SME | first day on site | same | same | same | same |
| exchange-participants | distinct visiting organisations of those exchanges | first day on site | same | same | same | same |
| missions, study-visits | published events of that kind that have begun | first day | published, starting after today | host cluster or a delegation | event's country | – |
| tandems | learning tandems started, not cancelled | start date | not cancelled, starting after today | a participating partner | partner's country | – |
| staff-trained | partner staff with a completed course, once | first completion | – | the partner | partner's country | – |
| strategies-reviewed | partner strategies with a completed review, once | first completed review | – | reviewed partner | its country | – |
| b2b-meetings | published meetings held: the organiser's mark where there is one, else either party's feedback (each record says which) | event's first day | – | either party's partnership | event's country | – |
| countries-reached | countries of visitors, hosts (exchanges carried out) and events held | as above | – | as above | – | – |

A filter a measure cannot apply (e.g. an ecosystem for missions) makes its value "not applicable"
(None), never a silently unfiltered number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.directory.models import Organisation, Person
from clusterxchange.events.models import Event, EventKind, Meeting, Registration
from clusterxchange.exchanges.models import VISIT_STATES, Exchange
from clusterxchange.followup.models import AGREEMENTS, Survey
from clusterxchange.programmes.models import KpiMeasure, KpiTarget, PartnerCluster, Programme
from clusterxchange.tandems import kpis as tandem_kpis
from clusterxchange.tandems.models import StrategyReview, Tandem, TandemParticipant, TandemStatus
from clusterxchange.training import kpis as training_kpis

PARTNER, COUNTRY, ECOSYSTEM, ORG_TYPE = "partner", "country", "ecosystem", "org_type"


@dataclass(frozen=True)
class Scope:
    """What to count: a date window (inclusive) and optional filters."""

    start: date | None = None
    end: date | None = None
    partner: PartnerCluster | None = None
    country: str = ""
    ecosystem_id: int | None = None
    org_type: str = ""

    @property
    def filters(self) -> set[str]:
        used = set()
        if self.partner is not None:
            used.add(PARTNER)
        if self.country:
            used.add(COUNTRY)
        if self.ecosystem_id is not None:
            used.add(ECOSYSTEM)
        if self.org_type:
            used.add(ORG_TYPE)
        return used

    def with_(self, **changes) -> Scope:
        return replace(self, **changes)

    @property
    def day_counted(self) -> date:
        """The last day whose records count: the scope's end, but never after today (what has
        not begun by then has not been carried out)."""
        today = timezone.localdate()
        return today if self.end is None or self.end > today else self.end


def carried_out(records: QuerySet, date_field: str, scope: Scope) -> QuerySet:
    """The records dated within the scope that have begun by its day counted."""
    records = records.filter(**{f"{date_field}__lte": scope.day_counted})
    if scope.start is not None:
        records = records.filter(**{f"{date_field}__gte": scope.start})
    return records


def planned(records: QuerySet, date_field: str, scope: Scope) -> QuerySet:
    """The records dated within the scope that begin after today: promised, not yet carried out."""
    records = records.filter(**{f"{date_field}__gt": timezone.localdate()})
    if scope.start is not None:
        records = records.filter(**{f"{date_field}__gte": scope.start})
    if scope.end is not None:
        records = records.filter(**{f"{date_field}__lte": scope.end})
    return records


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    records: Callable[[Programme, Scope], QuerySet]
    dimensions: frozenset[str] = field(default_factory=frozenset)
    description: str = ""
    # Optional: every partner's value in one or a few grouped queries {partner id: value}.
    grouped_by_partner: Callable[[Programme, Scope], dict[int, int]] | None = None
    # Optional: the records validated (or published) that begin after today, shown as "planned".
    planned_records: Callable[[Programme, Scope], QuerySet] | None = None

    def applies(self, scope: Scope) -> bool:
        return scope.filters <= self.dimensions

    def by_partner(self, programme: Programme, scope: Scope, partners) -> dict[int, int | None]:
        """The value for each partner (the scope's own partner filter is replaced)."""
        if not self.applies(scope.with_(partner=partners[0] if partners else None)):
            return dict.fromkeys((p.pk for p in partners), None)
        if self.grouped_by_partner is not None:
            grouped = self.grouped_by_partner(programme, scope.with_(partner=None))
            return {p.pk: grouped.get(p.pk, 0) for p in partners}
        return {p.pk: self.value(programme, scope.with_(partner=p)) for p in partners}

    def value(self, programme: Programme, scope: Scope) -> int | None:
        if not self.applies(scope):
            return None
        return self.records(programme, scope).count()

    def planned_value(self, programme: Programme, scope: Scope) -> int | None:
        """How many begin after today (None when the measure has no "planned" or does not apply)."""
        if self.planned_records is None or not self.applies(scope):
            return None
        return self.planned_records(programme, scope).count()


# Exchanges ------------------------------------------------------------------------------------


def _exchanges(programme: Programme, scope: Scope) -> QuerySet:
    """The exchanges the partnership validated and nobody cancelled, declined or withdrew (drafts
    and applications never count), with the scope's filters but not its dates: the visitor's
    partnership, country, type and ecosystem."""
    exchanges = Exchange.objects.filter(programme=programme, state__in=VISIT_STATES)
    if scope.partner is not None:
        exchanges = exchanges.filter(visitor_partner=scope.partner)
    if scope.country:
        exchanges = exchanges.filter(visitor_organisation__country=scope.country)
    if scope.org_type:
        exchanges = exchanges.filter(visitor_organisation__org_type=scope.org_type)
    if scope.ecosystem_id is not None:
        exchanges = exchanges.filter(
            visitor_organisation__in=Organisation.objects.filter(ecosystems=scope.ecosystem_id).values("pk")
        )
    return exchanges.select_related(
        "visitor_organisation", "host_organisation", "visitor_partner__cluster"
    ).order_by("start_date", "reference")


def exchange_records(programme: Programme, scope: Scope) -> QuerySet:
    """Exchanges carried out: validated, not cancelled, first day on site by the day counted."""
    return carried_out(_exchanges(programme, scope), "start_date", scope)


def planned_exchange_records(programme: Programme, scope: Scope) -> QuerySet:
    return planned(_exchanges(programme, scope), "start_date", scope)


def _exchanges_by_partner(*, smes: bool = False, organisations: bool = False):
    def grouped(programme: Programme, scope: Scope) -> dict[int, int]:
        exchanges = exchange_records(programme, scope).order_by()
        if smes:
            exchanges = exchanges.filter(visitor_organisation__is_sme=True)
        counted = (
            Count("visitor_organisation", distinct=True) if organisations else Count("pk", distinct=True)
        )
        return dict(
            exchanges.values_list("visitor_partner").annotate(n=counted).values_list("visitor_partner", "n")
        )

    return grouped


def sme_exchange_records(programme: Programme, scope: Scope) -> QuerySet:
    return exchange_records(programme, scope).filter(visitor_organisation__is_sme=True)


def planned_sme_exchange_records(programme: Programme, scope: Scope) -> QuerySet:
    return planned_exchange_records(programme, scope).filter(visitor_organisation__is_sme=True)


def participant_records(programme: Programme, scope: Scope) -> QuerySet:
    visitors = exchange_records(programme, scope).order_by().values("visitor_organisation")
    return Organisation.objects.filter(pk__in=visitors).order_by("name")


def planned_participant_records(programme: Programme, scope: Scope) -> QuerySet:
    """Visiting organisations of planned exchanges that have not visited already."""
    visitors = planned_exchange_records(programme, scope).order_by().values("visitor_organisation")
    done = exchange_records(programme, scope.with_(start=None)).order_by().values("visitor_organisation")
    return Organisation.objects.filter(pk__in=visitors).exclude(pk__in=done).order_by("name")


# Events ---------------------------------------------------------------------------------------


def published_events(programme: Programme, scope: Scope) -> QuerySet:
    """Published events of the programme with the scope's partner (host cluster or a registration
    of the partner) and country filters, not its dates."""
    events = Event.objects.filter(programme=programme, published=True)
    if scope.partner is not None:
        events = events.filter(
            Q(host_cluster=scope.partner.cluster_id)
            | Q(pk__in=Registration.objects.filter(partner=scope.partner).values("event"))
        )
    if scope.country:
        events = events.filter(country=scope.country)
    return events


def held_events(programme: Programme, scope: Scope) -> QuerySet:
    """Published events that have begun by the day counted, dated by their first day."""
    return carried_out(published_events(programme, scope), "start_date", scope)


def _events(kind: str, *, when=carried_out) -> Callable[[Programme, Scope], QuerySet]:
    def records(programme: Programme, scope: Scope) -> QuerySet:
        events = when(published_events(programme, scope), "start_date", scope).filter(kind=kind)
        return events.select_related("host_cluster").order_by("start_date", "title")

    return records


def _event_values_by_partner(programme: Programme, events: QuerySet, field_name: str) -> dict[int, set]:
    """Per partner, the distinct `field_name` values of the events it hosts or has a registration
    for (the partner rule of `published_events`), in three queries."""
    found: dict[int, set] = {}
    events = events.order_by()
    partner_of_cluster = dict(programme.partners.values_list("cluster", "pk"))
    for cluster, value in events.values_list("host_cluster", field_name).distinct():
        if cluster in partner_of_cluster:
            found.setdefault(partner_of_cluster[cluster], set()).add(value)
    registrations = Registration.objects.filter(event__in=events.values("pk"), partner__isnull=False)
    for partner, value in registrations.order_by().values_list("partner", f"event__{field_name}").distinct():
        found.setdefault(partner, set()).add(value)
    return found


def _events_by_partner(kind: str) -> Callable[[Programme, Scope], dict[int, int]]:
    def grouped(programme: Programme, scope: Scope) -> dict[int, int]:
        events = _events(kind)(programme, scope.with_(partner=None))
        return {
            partner: len(pks) for partner, pks in _event_values_by_partner(programme, events, "pk").items()
        }

    return grouped


def meetings_by_partner(programme: Programme, scope: Scope) -> dict[int, int]:
    """Meetings per partnership of either party, in one grouped query (a meeting between two
    participants of the same partner counts once for it)."""
    pairs = (
        meeting_records(programme, scope)
        .order_by()
        .select_related(None)
        .values_list("first__partner", "second__partner")
        .annotate(n=Count("pk"))
    )
    counts: Counter = Counter()
    for first, second, n in pairs:
        for partner in {first, second} - {None}:
            counts[partner] += n
    return dict(counts)


def meeting_records(programme: Programme, scope: Scope) -> QuerySet:
    events = held_events(programme, scope.with_(partner=None))
    meetings = (
        Meeting.objects.filter(
            event__in=events.order_by().values("pk"),
            status=Meeting.Status.ACTIVE,
            published_slot__isnull=False,
        )
        .held()
        .with_held_source()
    )
    if scope.partner is not None:
        meetings = meetings.filter(Q(first__partner=scope.partner) | Q(second__partner=scope.partner))
    return meetings.select_related(
        "event", "first__organisation", "second__organisation", "published_slot"
    ).order_by("event__start_date", "published_slot__starts_at", "pk")


# Follow-up surveys -------------------------------------------------------------------------------


def _answered(programme: Programme, scope: Scope) -> QuerySet:
    surveys = carried_out(
        Survey.objects.filter(programme=programme, answered_at__isnull=False), "answered_at__date", scope
    )
    if scope.partner is not None:
        surveys = surveys.filter(
            Q(meeting__first__partner=scope.partner)
            | Q(meeting__second__partner=scope.partner)
            | Q(exchange__visitor_partner=scope.partner)
        )
    return surveys.select_related(
        "meeting__event",
        "meeting__first__organisation",
        "meeting__second__organisation",
        "exchange__visitor_organisation",
        "exchange__host_organisation",
    ).order_by("answered_at", "pk")


def follow_up_records(programme: Programme, scope: Scope) -> QuerySet:
    return _answered(programme, scope)


def agreement_records(programme: Programme, scope: Scope) -> QuerySet:
    """Meetings and exchanges that led to an agreement, once each: the first answer that says so
    (both parties of a meeting may answer)."""
    agreed = Survey.objects.filter(outcome__in=AGREEMENTS, answered_at__isnull=False)
    earlier = agreed.filter(
        Q(answered_at__lt=OuterRef("answered_at"))
        | Q(answered_at=OuterRef("answered_at"), pk__lt=OuterRef("pk"))
    )
    first_for_meeting = earlier.filter(meeting__isnull=False, meeting=OuterRef("meeting"))
    first_for_exchange = earlier.filter(exchange__isnull=False, exchange=OuterRef("exchange"))
    return (
        _answered(programme, scope)
        .filter(outcome__in=AGREEMENTS)
        .exclude(Exists(first_for_meeting) | Exists(first_for_exchange))
    )


@dataclass(frozen=True)
class EventFollowUp:
    asked: int
    answered: int
    agreements: int  # meetings that led to an agreement, each once (as `agreements-reached` counts)
    value_eur: Decimal
    recommend: int  # answers that would recommend it
    records: QuerySet  # the answers, as the KPI drill-down lists them


def event_follow_up(event) -> EventFollowUp:
    """The follow-up of one event's meetings, by the same rules as the two KPIs (no date window)."""
    programme, scope = event.programme, Scope()
    answered = _answered(programme, scope).filter(meeting__event=event)
    totals = answered.aggregate(value=Sum("value_eur"), recommend=Count("pk", filter=Q(recommend=True)))
    return EventFollowUp(
        asked=Survey.objects.filter(meeting__event=event).count(),
        answered=answered.count(),
        agreements=agreement_records(programme, scope).filter(meeting__event=event).count(),
        value_eur=totals["value"] or Decimal(0),
        recommend=totals["recommend"],
        records=answered,
    )


def _surveys_by_partner(records: Callable[[Programme, Scope], QuerySet]):
    def grouped(programme: Programme, scope: Scope) -> dict[int, int]:
        """Per partnership of either party of the meeting or of the exchange's visitor, in one query
        (a survey counts once for a partner however many of its sides belong to it)."""
        rows = (
            records(programme, scope)
            .order_by()
            .select_related(None)
            .values_list("meeting__first__partner", "meeting__second__partner", "exchange__visitor_partner")
        )
        counts: Counter = Counter()
        for row in rows:
            for partner in set(row) - {None}:
                counts[partner] += 1
        return dict(counts)

    return grouped


# Tandems, training, strategies ------------------------------------------------------------------


def _tandems(programme: Programme, scope: Scope, when) -> QuerySet:
    tandems = Tandem.objects.filter(programme=programme).exclude(status=TandemStatus.CANCELLED)
    tandems = when(tandems, "start_date", scope)
    if scope.partner is not None:
        tandems = tandems.filter(participants__partner=scope.partner)
    if scope.country:
        tandems = tandems.filter(participants__partner__cluster__country=scope.country)
    return Tandem.objects.filter(pk__in=tandems.values("pk")).select_related("topic").order_by("start_date")


def tandem_records(programme: Programme, scope: Scope) -> QuerySet:
    """Learning tandems started by the day counted, not cancelled."""
    return _tandems(programme, scope, carried_out)


def planned_tandem_records(programme: Programme, scope: Scope) -> QuerySet:
    return _tandems(programme, scope, planned)


def tandems_by_partner(programme: Programme, scope: Scope) -> dict[int, int]:
    tandems = tandem_records(programme, scope.with_(partner=None)).order_by().values("pk")
    participations = TandemParticipant.objects.filter(tandem__in=tandems).order_by()
    return dict(participations.values_list("partner").annotate(n=Count("tandem", distinct=True)))


def _first_completions(programme: Programme, scope: Scope, *group: str) -> QuerySet:
    """One row per staff member (and `group` field) with the first completion in the window."""
    firsts = training_kpis.first_completions(
        programme, start=scope.start, end=scope.day_counted, partner=scope.partner, by=group
    )
    if scope.country:
        firsts = firsts.filter(person__organisation__country=scope.country)
    return firsts


def staff_records(programme: Programme, scope: Scope) -> QuerySet:
    people = Person.objects.filter(pk__in=_first_completions(programme, scope).values("person"))
    return people.select_related("organisation").order_by("organisation__name", "last_name", "first_name")


def staff_by_partner(programme: Programme, scope: Scope) -> dict[int, int]:
    return dict(Counter(row["partner"] for row in _first_completions(programme, scope, "partner")))


def _first_reviews(programme: Programme, scope: Scope) -> QuerySet:
    """One row per reviewed partner whose first completed review falls in the window."""
    firsts = tandem_kpis.first_reviews(programme, start=scope.start, end=scope.day_counted)
    if scope.partner is not None:
        firsts = firsts.filter(reviewed=scope.partner)
    if scope.country:
        firsts = firsts.filter(reviewed__cluster__country=scope.country)
    return firsts


def strategy_records(programme: Programme, scope: Scope) -> QuerySet:
    """The first completed review of each partner strategy whose first review falls in the window."""
    pairs = list(_first_reviews(programme, scope).values_list("reviewed", "first"))
    if not pairs:
        return StrategyReview.objects.none()
    condition = Q()
    for reviewed, first in pairs:
        condition |= Q(reviewed=reviewed, review_date=first)
    reviews = tandem_kpis.completed_reviews(programme).filter(condition)
    # One row per strategy even if two reviews were completed on the same first day.
    keep = reviews.order_by().values("reviewed").annotate(pk_min=Min("pk")).values("pk_min")
    return (
        StrategyReview.objects.filter(pk__in=keep).select_related("reviewed__cluster").order_by("review_date")
    )


def strategies_by_partner(programme: Programme, scope: Scope) -> dict[int, int]:
    return {row["reviewed"]: 1 for row in _first_reviews(programme, scope)}


# Countries reached ------------------------------------------------------------------------------


def country_counts(programme: Programme, scope: Scope) -> dict[str, Counter]:
    """Per country code: exchanges visiting from it, exchanges hosted in it, events held in it."""
    base = scope.with_(country="")
    counts: dict[str, Counter] = {}
    exchanges = exchange_records(programme, base).order_by()
    for code, n in exchanges.values_list("visitor_organisation__country").annotate(n=Count("pk")):
        counts.setdefault(str(code), Counter())["visitors"] += n
    for code, n in (
        exchanges.filter(host_organisation__isnull=False)
        .values_list("host_organisation__country")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(str(code), Counter())["hosts"] += n
    events = held_events(programme, scope.with_(country=""))
    events = events.filter(kind__in=[EventKind.MISSION, EventKind.STUDY_VISIT, EventKind.B2B])
    for code, n in events.order_by().values_list("country").annotate(n=Count("pk", distinct=True)):
        counts.setdefault(str(code), Counter())["events"] += n
    counts.pop("", None)
    return counts


def countries_by_partner(programme: Programme, scope: Scope) -> dict[int, int]:
    """Countries reached per partner in five grouped queries (the rules of `country_counts`)."""
    reached: dict[int, set[str]] = {}
    exchanges = exchange_records(programme, scope).order_by().select_related(None)
    for field_name in ("visitor_organisation__country", "host_organisation__country"):
        for partner, code in exchanges.values_list("visitor_partner", field_name).distinct():
            if code:
                reached.setdefault(partner, set()).add(str(code))
    events = held_events(programme, scope.with_(partner=None)).filter(
        kind__in=[EventKind.MISSION, EventKind.STUDY_VISIT, EventKind.B2B]
    )
    for partner, codes in _event_values_by_partner(programme, events, "country").items():
        reached.setdefault(partner, set()).update(str(code) for code in codes if code)
    return {partner: len(codes) for partner, codes in reached.items() if codes}


class _Countries(Measure):
    def value(self, programme: Programme, scope: Scope) -> int | None:
        if not self.applies(scope):
            return None
        return len(country_counts(programme, scope))


def _no_records(programme: Programme, scope: Scope) -> QuerySet:
    return Organisation.objects.none()


EXCHANGE_DIMENSIONS = frozenset({PARTNER, COUNTRY, ECOSYSTEM, ORG_TYPE})
MEASURES: dict[str, Measure] = {
    measure.code: measure
    for measure in [
        Measure(
            KpiMeasure.EXCHANGES,
            _("Exchanges"),
            exchange_records,
            EXCHANGE_DIMENSIONS,
            _(
                "Exchanges carried out: validated by the partnership, not cancelled, and the stay has "
                "begun (first day on site on or before the day counted). Counted once, for the "
                "visitor's partnership, dated by the first day on site. Validated exchanges that start "
                "later are shown apart as planned."
            ),
            _exchanges_by_partner(),
            planned_exchange_records,
        ),
        Measure(
            KpiMeasure.SME_EXCHANGES,
            _("Exchanges of SMEs"),
            sme_exchange_records,
            EXCHANGE_DIMENSIONS,
            _(
                "Exchanges carried out (as for exchanges) whose visitor is an SME by the EU definition "
                "(fewer than 250 staff; turnover up to EUR 50 m or balance sheet up to EUR 43 m)."
            ),
            _exchanges_by_partner(smes=True),
            planned_sme_exchange_records,
        ),
        Measure(
            KpiMeasure.EXCHANGE_PARTICIPANTS,
            _("Exchange participants"),
            participant_records,
            EXCHANGE_DIMENSIONS,
            _("Distinct visiting organisations of the exchanges carried out."),
            _exchanges_by_partner(organisations=True),
            planned_participant_records,
        ),
        Measure(
            KpiMeasure.MISSIONS,
            _("Company missions"),
            _events(EventKind.MISSION),
            frozenset({PARTNER, COUNTRY}),
            _(
                "Published company missions that have begun (first day on or before the day counted), "
                "dated by their first day. Published missions that start later are shown as planned."
            ),
            _events_by_partner(EventKind.MISSION),
            _events(EventKind.MISSION, when=planned),
        ),
        Measure(
            KpiMeasure.STUDY_VISITS,
            _("Study visits"),
            _events(EventKind.STUDY_VISIT),
            frozenset({PARTNER, COUNTRY}),
            _(
                "Published study visits that have begun (first day on or before the day counted), "
                "dated by their first day. Published study visits that start later are shown as planned."
            ),
            _events_by_partner(EventKind.STUDY_VISIT),
            _events(EventKind.STUDY_VISIT, when=planned),
        ),
        Measure(
            KpiMeasure.TANDEMS,
            _("Learning tandems"),
            tandem_records,
            frozenset({PARTNER, COUNTRY}),
            _(
                "Learning tandems that have started (start date on or before the day counted) and were "
                "not cancelled, dated by their start. Tandems that start later are shown as planned."
            ),
            tandems_by_partner,
            planned_tandem_records,
        ),
        Measure(
            KpiMeasure.STAFF_TRAINED,
            _("Cluster management staff trained"),
            staff_records,
            frozenset({PARTNER, COUNTRY}),
            _(
                "Partner cluster staff who completed at least one course on or before the day counted, "
                "each once, dated by their first completion."
            ),
            staff_by_partner,
        ),
        Measure(
            KpiMeasure.STRATEGIES_REVIEWED,
            _("Cluster strategies reviewed"),
            strategy_records,
            frozenset({PARTNER, COUNTRY}),
            _(
                "Partner cluster strategies with a peer review completed on or before the day counted, "
                "each once, dated by the first completed review."
            ),
            strategies_by_partner,
        ),
        Measure(
            KpiMeasure.B2B_MEETINGS,
            _("B2B meetings held"),
            meeting_records,
            frozenset({PARTNER, COUNTRY}),
            _(
                "Meetings of a published agenda that were held, at events that have begun by the day "
                "counted, dated by the event's first day. Held means the organiser marked it held; "
                "where the organiser marked nothing, either party said it took place. The records "
                "show which source each meeting counts by."
            ),
            meetings_by_partner,
        ),
        Measure(
            KpiMeasure.AGREEMENTS_REACHED,
            _("Agreements reached"),
            agreement_records,
            frozenset({PARTNER}),
            _(
                "B2B meetings and exchanges that led to an agreement (commercial, technology, research or "
                "other) according to the follow-up survey sent months later, each once (the first answer "
                "that says so), dated by that answer."
            ),
            _surveys_by_partner(agreement_records),
        ),
        Measure(
            KpiMeasure.FOLLOW_UPS_ANSWERED,
            _("Follow-ups answered"),
            follow_up_records,
            frozenset({PARTNER}),
            _(
                "Answers to the follow-up survey about a B2B meeting or an exchange, one per person asked, "
                "dated by the answer (its latest change)."
            ),
            _surveys_by_partner(follow_up_records),
        ),
        _Countries(
            KpiMeasure.COUNTRIES_REACHED,
            _("Countries reached"),
            _no_records,
            frozenset({PARTNER}),
            _(
                "Countries of the visitors and hosts of the exchanges carried out and of the missions, "
                "study visits and B2B events held."
            ),
            countries_by_partner,
        ),
    ]
}


def measure_of(kpi: KpiTarget) -> Measure | None:
    return MEASURES.get(kpi.measure or kpi.code)


@dataclass(frozen=True)
class KpiValue:
    kpi: KpiTarget
    measure: Measure | None
    value: int | None
    planned: int | None = None  # begin after today: shown apart, never added to the value

    @property
    def definition(self) -> str:
        return str(self.measure.description) if self.measure else ""

    @property
    def share(self) -> float | None:
        """Progress towards the target (1.0 = reached), None when not applicable."""
        if self.value is None or not self.kpi.target:
            return None
        return self.value / self.kpi.target

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)


def kpi_values(programme: Programme, scope: Scope, kpis: list[KpiTarget] | None = None) -> list[KpiValue]:
    """Every KPI of the programme with its live value in the scope and what is planned (one to three
    queries per KPI)."""
    if kpis is None:
        kpis = list(programme.kpi_targets.all())
    values = []
    for kpi in kpis:
        measure = measure_of(kpi)
        if measure is None:
            values.append(KpiValue(kpi, None, None))
            continue
        values.append(
            KpiValue(kpi, measure, measure.value(programme, scope), measure.planned_value(programme, scope))
        )
    return values


def published_kpi_figures(programme: Programme) -> list[dict]:
    """The published KPIs with their programme-wide value to date: what the public site may show.

    Only aggregates (no partner, no drill-down); a KPI is shown only when the coordinator ticked
    "published". Each item: {"code", "name", "value", "target", "percent", "planned", "definition"}.
    """
    kpis = list(programme.kpi_targets.filter(published=True))
    return [
        {
            "code": item.kpi.code,
            "name": item.kpi.display_name,
            "value": item.value,
            "target": item.kpi.target,
            "percent": item.percent,
            "planned": item.planned,
            "definition": item.definition,
        }
        for item in kpi_values(programme, Scope(), kpis)
        if item.value is not None
    ]


def exchange_flows(programme: Programme, scope: Scope) -> list[tuple[str, str, int]]:
    """(visitor country, host country, exchanges) for the map."""
    rows = (
        exchange_records(programme, scope)
        .filter(host_organisation__isnull=False)
        .order_by()
        .values_list("visitor_organisation__country", "host_organisation__country")
        .annotate(n=Count("pk"))
    )
    return [(str(source), str(target), n) for source, target, n in rows if source and target]
