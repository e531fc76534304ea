"""An exchange world: the directory world plus grant rules, budgets and ready-made exchanges.

Roles for exchanges (see tests/conftest.py for the directory roles):
- visitor: member of the visiting SME (Alpha Sensors, FR, in cluster A);
- host: member of the host (Gamma Robotics, ES, in cluster B);
- visitor_partnership: manager of cluster A; host_partnership: manager of cluster B;
- coordinator; same_cluster: member of another organisation of cluster A; outsider: member of an
  unrelated organisation of cluster B; anonymous.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from clusterxchange.directory.models import ClusterMembership
from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import CountryCap, EligibleCountry, GrantRuleSet
from tests.conftest import make_org, make_user

EXCHANGE_ROLES = [
    "visitor",
    "host",
    "visitor_partnership",
    "host_partnership",
    "coordinator",
    "same_cluster",
    "outsider",
    "anonymous",
]


AFTER_THE_STAY = {"in_progress", "report_submitted", "report_validated", "paid", "certified"}


def next_monday(weeks_ahead: int = 3) -> date:
    """The Monday ``weeks_ahead`` weeks from now (the clock is fixed in tests/conftest.py)."""
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) + 7 * (weeks_ahead - 1))


@dataclass
class ExchangeWorld:
    base: object
    users: dict
    rules: GrantRuleSet

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def new_exchange(self, state: str = "draft", **fields) -> Exchange:
        """An exchange put directly into a state (tests of one step need not replay all before it)."""
        start = fields.pop("start_date", None)
        if start is None:  # a stay in progress or closing is over (the closing steps wait for its end)
            start = next_monday() if state not in AFTER_THE_STAY else date.today() - timedelta(days=14)
        values = {
            "programme": self.base.programme,
            "visitor_organisation": self.base.org_a1,
            "visitor_partner": self.base.programme.partners.get(cluster=self.base.cluster_a),
            "motivation": "Learn printed electronics testing",
            "start_date": start,
            "end_date": start + timedelta(days=4),
            "state": state,
            **fields,
        }
        if state not in {"draft", "submitted", "validated", "declined", "withdrawn"}:
            values.setdefault("host_organisation", self.base.org_b1)
            values.setdefault("host_partner", self.base.programme.partners.get(cluster=self.base.cluster_b))
        return Exchange.objects.create(**values)


@pytest.fixture
def xworld(world) -> ExchangeWorld:
    world.org_a1.latitude, world.org_a1.longitude = 43.7102, 7.2620  # Nice
    world.org_a1.save()
    world.org_b1.latitude, world.org_b1.longitude = 43.2630, -2.9350  # Bilbao
    world.org_b1.save()
    programme = world.programme
    programme.grant_budget_eur = Decimal("100000")
    programme.save()
    programme.partners.update(grant_budget_eur=Decimal("5000"))
    for code in ("FR", "ES", "DE", "PL"):
        EligibleCountry.objects.create(programme=programme, country=code)
    rules = GrantRuleSet.objects.create(
        programme=programme,
        visitor_types=["cluster", "sme", "scaling_up", "research"],
        host_types=[
            "cluster",
            "sme",
            "scaling_up",
            "research",
            "large_company",
            "public_authority",
            "training_provider",
        ],
    )
    for code, amount in (("FR", 1100), ("ES", 1000), ("DE", 1100), ("PL", 800)):
        CountryCap.objects.create(rules=rules, country=code, amount_eur=Decimal(amount))
    unrelated = make_org("Delta Drones", "ES", city="Vitoria-Gasteiz")
    ClusterMembership.objects.create(cluster=world.cluster_b, member=unrelated)
    users = {
        "visitor": world.users["owner"],
        "host": world.users["outsider"],
        "visitor_partnership": world.users["manager"],
        "host_partnership": make_user("manager.b@test.example", world.cluster_b, "manager"),
        "coordinator": world.users["coordinator"],
        "same_cluster": world.users["same_cluster"],
        "outsider": make_user("outsider.b@test.example", unrelated, "member"),
        "anonymous": None,
    }
    return ExchangeWorld(base=world, users=users, rules=rules)


PASSWORD = "correct-horse-battery"  # every test user's (tests/conftest.py make_user)


def signing(exchange, party: str, **extra) -> dict:
    """What a signer sends: their role, the hash of the agreement as it is now, their password again."""
    from clusterxchange.exchanges.agreement import document_sha256

    current = Exchange.objects.get(pk=exchange.pk)
    return {"party": party, "password": PASSWORD, "document_sha256": document_sha256(current), **extra}
