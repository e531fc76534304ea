"""Two approvals racing for the last euros of a budget: exactly one wins (PostgreSQL row locks;
SQLite serialises writers with IMMEDIATE transactions)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clusterxchange.core.reference import load_reference_data
from clusterxchange.directory.models import ClusterMembership
from clusterxchange.exchanges import domain
from clusterxchange.exchanges.models import Exchange
from tests.conftest import make_org, make_user


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The test database of SQLite is in memory with a shared cache, which raises 'table is locked' "
    "instead of waiting; CI runs this test on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_two_racing_approvals_only_one_wins(request):
    load_reference_data()
    xworld = request.getfixturevalue("xworld")
    partner = xworld.base.programme.partners.get(cluster=xworld.base.cluster_a)
    partner.grant_budget_eur = Decimal("1500")  # room for one grant of EUR 1,000, not two
    partner.save()
    second_visitor = make_org("Epsilon Sensors", "FR", city="Toulon", latitude=43.12, longitude=5.93)
    ClusterMembership.objects.create(cluster=xworld.base.cluster_a, member=second_visitor)
    first = xworld.new_exchange(state="matched")
    second = xworld.new_exchange(state="matched", visitor_organisation=second_visitor)
    approvers = [
        xworld.users["visitor_partnership"],
        make_user("manager2@test.example", xworld.base.cluster_a, "manager"),
    ]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(exchange: Exchange, user) -> None:
        try:
            barrier.wait(timeout=10)
            domain.approve_grant(user, exchange)
            outcomes[exchange.reference] = "approved"
        except ValidationError as error:
            outcomes[exchange.reference] = "refused: " + " ".join(error.messages)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(exchange, user))
        for exchange, user in zip((first, second), approvers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcome.split(":")[0] for outcome in outcomes.values()) == ["approved", "refused"]
    assert any("exceed the grant budget" in outcome for outcome in outcomes.values())
    assert domain.partner_commitments(partner) == Decimal("1000.00")
    assert Exchange.objects.filter(grant_approved_at__isnull=False).count() == 1
