"""A reporting world with a known data set on top of the exchange world (tests/exchanges/conftest.py).

Periods: P1 = 2023-01-01..2023-06-30, P2 = 2023-07-01..2023-12-31. Partner A = cluster A (FR),
partner B = cluster B (ES). What counts (and what must not):

- exchanges: e1 certified, first day 30.06.2023 (last day of P1), SME Alpha (FR, A) → Gamma (ES);
  e2 validated, first day 01.07.2023 (first day of P2), Beta (FR, A, 400 staff: not an SME), no host;
  e3 cancelled and e4 draft (never count); e5 paid 01.08.2023, SME Omega (ES, partner B) → Alpha
  (FR, host partnership A: counted once, for B only).
- events (dated by their first day): mission 27.–30.06.2023 in DE (host A), study visit
  01.–03.07.2023 in FR (host A), an unpublished mission (never counts), a mission in March 2024
  (host B); a B2B session on 15.07.2023 in PL with two published meetings (one held, one without
  feedback).
- tandems: one active from 01.07.2023 (A and B), one cancelled.
- staff trained: one person of A completes courses on 30.06.2023 and 05.07.2023 (counts once, P1).
- strategies: partner A's strategy reviewed on 01.07.2023 and again on 01.09.2023 (counts once, P2).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from clusterxchange.directory.models import Person
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Registration,
    Session,
    Slot,
)
from clusterxchange.programmes.models import KpiMeasure, KpiTarget, ReportingPeriod
from clusterxchange.tandems.models import StrategyReview, Tandem, TandemParticipant, Topic
from clusterxchange.training.models import TrainingEntry, TrainingRecord
from tests.conftest import make_org
from tests.exchanges.conftest import xworld  # noqa: F401 - the fixture this one builds on

P1 = (date(2023, 1, 1), date(2023, 6, 30))
P2 = (date(2023, 7, 1), date(2023, 12, 31))


@dataclass
class ReportingWorld:
    x: object
    programme: object
    partner_a: object
    partner_b: object
    p1: ReportingPeriod
    p2: ReportingPeriod
    users: dict

    def client(self, role: str):
        from django.test import Client

        client = Client()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client


def _event(world, kind, title, end, country, host, published=True, start=None):
    return Event.objects.create(
        programme=world.programme,
        kind=kind,
        title=title,
        slug=title.lower().replace(" ", "-"),
        host_cluster=host,
        city="City",
        country=country,
        start_date=start or end,
        end_date=end,
        published=published,
    )


@pytest.fixture
def rworld(xworld, world) -> ReportingWorld:  # noqa: F811
    programme = world.programme
    partner_a = programme.partners.get(cluster=world.cluster_a)
    partner_b = programme.partners.get(cluster=world.cluster_b)
    p1 = ReportingPeriod.objects.create(programme=programme, name="P1", start_date=P1[0], end_date=P1[1])
    p2 = ReportingPeriod.objects.create(programme=programme, name="P2", start_date=P2[0], end_date=P2[1])
    world.org_a2.staff_count = 400
    world.org_a2.save()
    omega = make_org("Omega", "ES", staff_count=10, turnover_eur=100)
    xworld.new_exchange(state="certified", start_date=date(2023, 6, 30))
    xworld.new_exchange(state="validated", start_date=date(2023, 7, 1), visitor_organisation=world.org_a2)
    xworld.new_exchange(state="cancelled", start_date=date(2023, 7, 3))
    xworld.new_exchange(state="draft", start_date=date(2023, 7, 3))
    xworld.new_exchange(
        state="paid",
        start_date=date(2023, 8, 1),
        visitor_organisation=omega,
        visitor_partner=partner_b,
        host_organisation=world.org_a1,
        host_partner=partner_a,
    )

    _event(
        world, "mission", "Mission Dresden", date(2023, 6, 30), "DE", world.cluster_a, start=date(2023, 6, 27)
    )
    _event(
        world, "study_visit", "Visit Sophia", date(2023, 7, 3), "FR", world.cluster_a, start=date(2023, 7, 1)
    )
    _event(world, "mission", "Hidden mission", date(2023, 7, 10), "IT", world.cluster_a, published=False)
    _event(
        world, "mission", "Mission Bilbao", date(2024, 3, 3), "ES", world.cluster_b, start=date(2024, 3, 1)
    )
    b2b = _event(world, "b2b", "B2B Warsaw", date(2023, 7, 15), "PL", world.cluster_a)
    session = Session.objects.create(
        event=b2b, name="Morning", date=b2b.start_date, start_time=time(9), end_time=time(11)
    )
    slot = Slot.objects.create(
        session=session,
        starts_at=datetime(2023, 7, 15, 9, tzinfo=UTC),
        ends_at=datetime(2023, 7, 15, 9, 30, tzinfo=UTC),
    )
    reg_a = Registration.objects.create(
        event=b2b, organisation=world.org_a1, partner=partner_a, status="validated"
    )
    reg_b = Registration.objects.create(
        event=b2b, organisation=world.org_b1, partner=partner_b, status="validated"
    )
    reg_a2 = Registration.objects.create(
        event=b2b, organisation=world.org_a2, partner=partner_a, status="validated"
    )
    held = Meeting.objects.create(
        event=b2b,
        request=MeetingRequest.objects.create(event=b2b, requester=reg_a, recipient=reg_b, status="accepted"),
        first=reg_a,
        second=reg_b,
        slot=slot,
        published_slot=slot,
    )
    MeetingFeedback.objects.create(meeting=held, registration=reg_b, took_place=True)
    MeetingFeedback.objects.create(meeting=held, registration=reg_a, took_place=True)  # both say so: once
    Meeting.objects.create(
        event=b2b,
        request=MeetingRequest.objects.create(
            event=b2b, requester=reg_a2, recipient=reg_b, status="accepted"
        ),
        first=reg_a2,
        second=reg_b,
        slot=slot,
        published_slot=slot,
    )

    topic = Topic.objects.first() or Topic.objects.create(code="cyber", name="Cybersecurity")
    tandem = Tandem.objects.create(
        programme=programme,
        topic=topic,
        title="Cyber tandem",
        goals="Learn",
        start_date=date(2023, 7, 1),
        end_date=date(2023, 12, 1),
        status="active",
    )
    TandemParticipant.objects.create(tandem=tandem, partner=partner_a, role="learner")
    TandemParticipant.objects.create(tandem=tandem, partner=partner_b, role="mentor")
    Tandem.objects.create(
        programme=programme,
        topic=topic,
        title="Cancelled tandem",
        goals="-",
        start_date=date(2023, 8, 1),
        end_date=date(2023, 9, 1),
        status="cancelled",
    )

    staff = Person.objects.create(first_name="Stella", last_name="Staff", organisation=world.cluster_a)
    for title, completed in (("Course one", date(2023, 6, 30)), ("Course two", date(2023, 7, 5))):
        entry = TrainingEntry.objects.create(
            title=title, provider="Academy", link="https://academy.example/", format="webinar"
        )
        TrainingRecord.objects.create(
            partner=partner_a,
            person=staff,
            entry=entry,
            status="completed",
            enrolled_on=date(2023, 6, 1),
            completed_on=completed,
        )
    for review_date in (date(2023, 7, 1), date(2023, 9, 1)):
        StrategyReview.objects.create(
            programme=programme,
            reviewed=partner_a,
            reviewers="R",
            strategy_title="Strategy A",
            review_date=review_date,
            status="completed",
        )

    for position, measure in enumerate(KpiMeasure, start=1):
        KpiTarget.objects.create(
            programme=programme,
            code=measure.value,
            name=str(measure.label),
            measure=measure.value,
            target=4,
            position=position,
            published=measure in (KpiMeasure.EXCHANGES, KpiMeasure.MISSIONS),
        )
    users = dict(world.users)
    users["manager_b"] = xworld.users["host_partnership"]
    return ReportingWorld(xworld, programme, partner_a, partner_b, p1, p2, users)
