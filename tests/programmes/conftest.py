"""The set-up world: the shared `world` seen by every role the set-up pages know.

- coordinator: coordinates TEST, without staff status (coordinators need no `is_staff`);
- other_coordinator: coordinates OTHER only;
- partner_manager: manages cluster A, a partner of TEST;
- other_partner_manager: manages cluster B, the other partner of TEST;
- other_programme_manager: manages a cluster that is a partner of OTHER only;
- organisation_admin: manages Alpha Sensors (not a cluster);
- member: a member of Alpha Sensors;
- outsider: an account without any membership;
- anonymous; superuser.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from clusterxchange.programmes.models import (
    CountryCap,
    EligibleCountry,
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ProgrammeRole,
    ReportingPeriod,
)
from tests.conftest import make_org, make_user

ROLES = [
    "coordinator",
    "other_coordinator",
    "partner_manager",
    "other_partner_manager",
    "other_programme_manager",
    "organisation_admin",
    "member",
    "outsider",
    "anonymous",
    "superuser",
]


@dataclass
class SetupWorld:
    w: object
    programme: Programme
    other: Programme
    users: dict

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


@pytest.fixture
def pw(world) -> SetupWorld:
    programme = world.programme
    # Alone, or on top of the exchanges world (which sets its own countries and caps first).
    for code in ("FR", "ES"):
        EligibleCountry.objects.get_or_create(programme=programme, country=code)
    rules, _ = GrantRuleSet.objects.get_or_create(programme=programme)
    CountryCap.objects.get_or_create(rules=rules, country="FR", defaults={"amount_eur": Decimal("1100")})
    CountryCap.objects.get_or_create(rules=rules, country="ES", defaults={"amount_eur": Decimal("900")})
    ReportingPeriod.objects.create(
        programme=programme, name="Period 1", start_date=date(2022, 1, 1), end_date=date(2022, 12, 31)
    )
    KpiTarget.objects.create(programme=programme, code="exchanges", name="Exchanges", target=40)
    other = Programme.objects.create(
        name="Other", acronym="OTHER", slug="other", start_date=date(2023, 1, 1), end_date=date(2025, 1, 1)
    )
    cluster_c = make_org("Cluster of the other call", "IT", "cluster")
    PartnerCluster.objects.create(programme=other, cluster=cluster_c)
    coordinator = make_user("plain.coordinator@test.example")
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    other_coordinator = make_user("other.coordinator@test.example")
    ProgrammeRole.objects.create(programme=other, user=other_coordinator)
    superuser = make_user("root@test.example")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    users = {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "partner_manager": world.users["manager"],
        "other_partner_manager": make_user("partner.b.manager@test.example", world.cluster_b, "manager"),
        "other_programme_manager": make_user("other.call.manager@test.example", cluster_c, "manager"),
        "organisation_admin": make_user("admin.alpha@test.example", world.org_a1, "manager"),
        "member": world.users["owner"],
        "outsider": make_user("nobody@test.example"),
        "anonymous": None,
        "superuser": superuser,
    }
    return SetupWorld(world, programme, other, users)
