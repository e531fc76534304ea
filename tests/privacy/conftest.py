"""A privacy world: the directory world plus a person with a login and data everywhere.

Roles for the privacy matrices:
- self: the user linked to the directory person Amélie Durand (member of Alpha Sensors, org A1);
- coordinator; manager (partner manager of cluster A, Amélie's cluster);
- owner: a colleague in the same organisation; same_cluster: member of org A2 in cluster A;
- outsider: member of org B1 in cluster B; anonymous.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from clusterxchange.directory.models import Person
from clusterxchange.events.models import Meeting, MeetingFeedback, MeetingRequest, Registration, Slot
from clusterxchange.exchanges.models import Evidence, Exchange
from clusterxchange.programmes.models import PartnerCluster, ReportingPeriod
from clusterxchange.tandems.models import ReviewStatus, StrategyReview, Tandem, TandemSession, Topic
from clusterxchange.training.models import TrainingEntry, TrainingRecord
from tests.conftest import make_org, make_user
from tests.events.conftest import add_session, make_event
from tests.exchanges.conftest import xworld  # noqa: F401 - fixture used by tests here

PRIVACY_ROLES = ["self", "coordinator", "manager", "owner", "same_cluster", "outsider", "anonymous"]
PDF = b"%PDF-1.4\n% boarding pass of Amelie Durand\n%%EOF\n"


def add_evidence(exchange, name: str = "ticket.pdf", **fields) -> Evidence:
    """A travel evidence PDF stored in the (test) media folder."""
    evidence = Evidence(
        exchange=exchange,
        kind="travel",
        original_name=name,
        content_type="application/pdf",
        extension="pdf",
        size=len(PDF),
        **fields,
    )
    evidence.file.save(name, ContentFile(PDF), save=False)
    evidence.save()
    return evidence


@dataclass
class PrivacyWorld:
    base: object
    person: Person
    staff: Person
    users: dict
    paid: Exchange
    evidence: Evidence
    registration: Registration
    record: TrainingRecord

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


@pytest.fixture
def pworld(xworld, settings, tmp_path):  # noqa: F811 - the fixture imported above
    settings.MEDIA_ROOT = tmp_path / "media"
    world = xworld.base
    users = dict(world.users)
    users["self"] = make_user("amelie@alpha.example", world.org_a1)
    person = world.person_a1
    person.user = users["self"]
    person.save()
    programme = world.programme
    partner_a = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_a)
    partner_b = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_b)
    ReportingPeriod.objects.create(
        programme=programme, name="P1", start_date=date(2022, 1, 1), end_date=date(2031, 12, 31)
    )

    # Exchanges: a paid one travelled by Amélie (with evidence and a testimonial), and others.
    paid = xworld.new_exchange(
        "paid",
        visitor_person=person,
        created_by=users["self"],
        start_date=date(2023, 3, 6),
        testimonial="Great week in Bilbao, Amélie",
        testimonial_consent=True,
        report_activities="Met the robot team",
        grant_amount_eur=Decimal("1000"),
        paid_amount_eur=Decimal("1000"),
        paid_on=date(2023, 4, 1),
    )
    evidence = add_evidence(paid, "boarding-pass.pdf", uploaded_by=users["self"])
    xworld.new_exchange("certified", start_date=date(2023, 5, 8))
    xworld.new_exchange("validated", visitor_organisation=world.org_a2, start_date=date(2023, 9, 4))
    xworld.new_exchange("declined", visitor_person=person, start_date=date(2023, 10, 2))

    # Events: Amélie is a validated delegate with a published meeting and feedback.
    event = make_event(
        world, start_date=date(2023, 6, 20), end_date=date(2023, 6, 21), validation="automatic"
    )
    add_session(world, event, "Morning", time(9, 0), time(11, 0))
    registration = Registration.objects.create(
        event=event,
        user=users["self"],
        person=person,
        organisation=world.org_a1,
        partner=partner_a,
        role="delegate",
        status="validated",
        profile="I am Amélie, I look for robots",
        learnings="Lots",
    )
    other = Registration.objects.create(
        event=event, user=users["outsider"], organisation=world.org_b1, partner=partner_b, status="validated"
    )
    request = MeetingRequest.objects.create(
        event=event, requester=registration, recipient=other, message="Hi, Amélie here", status="accepted"
    )
    slot = Slot.objects.filter(session__event=event).first()
    meeting = Meeting.objects.create(
        event=event, request=request, first=registration, second=other, slot=slot, published_slot=slot
    )
    MeetingFeedback.objects.create(
        meeting=meeting,
        registration=registration,
        took_place=True,
        usefulness=5,
        follow_up=True,
        testimonial="Met my future partner",
        publish_consent=True,
    )

    # Training and tandems: a staff member of cluster A who also has a login.
    users["staff"] = make_user("clara@cluster-a.example", world.cluster_a)
    staff = Person.objects.create(
        first_name="Clara",
        last_name="Staff",
        email="clara@cluster-a.example",
        organisation=world.cluster_a,
        user=users["staff"],
    )
    topic = Topic.objects.get(code="cybersecurity")
    entry = TrainingEntry.objects.create(
        title="NIS2",
        provider="Academy",
        link="https://academy.example/nis2",
        format="webinar",
        status="published",
    )
    entry.topics.add(topic)
    record = TrainingRecord(
        partner=partner_a,
        person=staff,
        entry=entry,
        status="completed",
        enrolled_on=date(2023, 1, 10),
        completed_on=date(2023, 2, 1),
        notes="Clara did well",
    )
    record.certificate.save("clara.pdf", ContentFile(PDF), save=False)
    record.save()
    tandem = Tandem.objects.create(
        programme=programme,
        topic=topic,
        title="Cyber",
        goals="Learn",
        start_date=date(2023, 1, 1),
        end_date=date(2023, 12, 31),
        status="active",
    )
    TandemSession.objects.create(
        tandem=tandem,
        title="Kick-off",
        mode="virtual",
        date=date(2023, 2, 1),
        status="held",
        attendees="Clara Staff\nCarla Reviewer",
    )
    review = StrategyReview.objects.create(
        programme=programme,
        reviewed=partner_a,
        reviewers="Clara Staff, Cluster A\nCarla Reviewer, Cluster C",
        strategy_title="Strategy A",
        review_date=date(2023, 6, 1),
        status=ReviewStatus.COMPLETED,
    )
    review.reviewer_clusters.add(partner_b)
    return PrivacyWorld(world, person, staff, users, paid, evidence, registration, record)


def aware_days_ago(days: int):
    return timezone.now() - timedelta(days=days)


__all__ = ["PRIVACY_ROLES", "PrivacyWorld", "aware_days_ago", "make_org"]
