"""A world for tandems and training: three partner clusters and one user per role.

Roles of the permission matrices (on top of tests/conftest.py's `world`):
- coordinator: programme coordinator;
- manager: manager of partner cluster A;
- staff: member (not manager) of cluster A's organisation — partner cluster staff;
- same_cluster: member of an SME in cluster A (not cluster staff);
- outsider: member of an SME in cluster B;
- other_manager: manager of partner cluster B (another cluster, not in the tandem);
- anonymous.

The tandem runs between A (learner) and C (mentor); C reviewed A's strategy; training records
belong to A.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from clusterxchange.directory.models import Person
from clusterxchange.programmes.models import PartnerCluster, ReportingPeriod
from clusterxchange.tandems import domain as tandems
from clusterxchange.tandems.models import Topic
from clusterxchange.training import domain as training
from tests.conftest import make_org, make_user

ROLES = ["coordinator", "manager", "staff", "same_cluster", "outsider", "other_manager", "anonymous"]
CLUSTER_A_STAFF = {"coordinator", "manager", "staff"}


@dataclass
class TandemWorld:
    world: object
    partner_a: PartnerCluster
    partner_b: PartnerCluster
    partner_c: PartnerCluster
    period_1: ReportingPeriod
    period_2: ReportingPeriod
    tandem: object
    session: object
    review: object
    entry: object
    pending_entry: object
    person_a: Person
    record: object
    users: dict

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def user(self, role: str):
        from django.contrib.auth.models import AnonymousUser

        return self.users[role] or AnonymousUser()


def topic(code: str) -> Topic:
    return Topic.objects.get(code=code)


def aware(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def tw(world) -> TandemWorld:
    programme = world.programme
    cluster_c = make_org("Cluster C", "DE", "cluster", city="Dresden")
    partner_a = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_a)
    partner_b = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_b)
    partner_c = PartnerCluster.objects.create(programme=programme, cluster=cluster_c)
    period_1 = ReportingPeriod.objects.create(
        programme=programme, name="P1", start_date=date(2022, 1, 1), end_date=date(2022, 12, 31)
    )
    period_2 = ReportingPeriod.objects.create(
        programme=programme, name="P2", start_date=date(2023, 1, 1), end_date=date(2023, 12, 31)
    )
    users = {
        **world.users,
        "staff": make_user("staff@cluster-a.example", world.cluster_a, "member"),
        "other_manager": make_user("manager@cluster-b.example", world.cluster_b, "manager"),
    }
    coordinator = users["coordinator"]
    tandem = tandems.create_tandem(
        coordinator,
        programme,
        topic("cybersecurity"),
        {
            "title": "Cyber tandem",
            "goals": "A learns cybersecurity services from C.",
            "start_date": date(2023, 1, 1),
            "end_date": date(2023, 12, 31),
            "status": "active",
        },
        [tandems.Participation(partner_a, "learner"), tandems.Participation(partner_c, "mentor")],
    )
    session = tandems.plan_session(
        coordinator,
        tandem,
        {"title": "Kick-off", "mode": "virtual", "location": "", "date": date(2023, 2, 1), "agenda": ""},
    )
    review = tandems.create_review(
        coordinator,
        partner_a,
        [partner_c],
        {
            "strategy_title": "Strategy A 2030",
            "reviewers": "Carla Reviewer, Cluster C",
            "review_date": date(2023, 6, 1),
            "findings": "Good.",
            "recommendations": "Better.",
            "status": "completed",
        },
    )
    soon = timezone.localdate() + timedelta(days=10)
    entry = training.submit_entry(
        coordinator,
        {
            "title": "NIS2 for cluster managers",
            "provider": "Test Academy",
            "link": "https://academy.example/nis2",
            "level": "beginner",
            "format": "webinar",
            "cost_eur": Decimal(0),
            "certificate": True,
            "duration_hours": Decimal(2),
        },
        topics=[topic("cybersecurity")],
        sessions=[(aware(soon, 10), aware(soon, 12))],
    )
    pending = training.submit_entry(
        users["same_cluster"],
        {
            "title": "Pending branding course",
            "provider": "Somebody",
            "link": "https://somebody.example/branding",
            "level": "beginner",
            "format": "self_paced",
        },
        topics=[topic("cluster-branding")],
    )
    person_a = Person.objects.create(first_name="Anna", last_name="Staff", organisation=world.cluster_a)
    record = training.enrol(
        coordinator,
        partner_a,
        person_a,
        entry,
        {"status": "enrolled", "enrolled_on": date(2023, 3, 1), "completed_on": None, "notes": ""},
    )
    return TandemWorld(
        world,
        partner_a,
        partner_b,
        partner_c,
        period_1,
        period_2,
        tandem,
        session,
        review,
        entry,
        pending,
        person_a,
        record,
        users,
    )
