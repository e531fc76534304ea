"""What an exchange waits for, and from whom (exchanges/waiting.py): the forward step of its state and
the steps inside a state, each for the party whose turn it is, and nothing for anyone else."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterxchange.exchanges import domain
from clusterxchange.exchanges.models import HostRequest
from clusterxchange.exchanges.waiting import exchanges_waiting_for, waiting_steps
from tests.exchanges.conftest import EXCHANGE_ROLES, signing

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "agreement_goals": "Learn",
    "agreement_objectives": "Test lines",
    "agreement_agenda": "Day 1: lab",
}

NOW = object()  # the time the test runs (the clock is read in the test, not when it is collected)

# state, extra fields, {role: the steps it waits for from them}; a role not named: nothing.
CASES = {
    "draft": ("draft", {}, {"visitor": ["Submit the application"]}),
    "submitted": (
        "submitted",
        {},
        {
            "visitor_partnership": ["Validate or decline the application"],
            "coordinator": ["Validate or decline the application"],
        },
    ),
    "validated": ("validated", {}, {"visitor": ["Ask a host"]}),
    "matched, grant and agreement to do": (
        "matched",
        {},
        {
            "visitor": ["Write the agreement"],
            "host": ["Write the agreement"],
            "visitor_partnership": ["Approve the grant"],
            "coordinator": ["Approve the grant"],
        },
    ),
    "matched, ready to sign": (
        "matched",
        {**AGREEMENT, "grant_approved_at": NOW},
        {
            "visitor": ["Sign the agreement"],
            "host": ["Sign the agreement"],
            "visitor_partnership": ["Sign the agreement"],
            "host_partnership": ["Sign the agreement"],
        },
    ),
    "in progress, the stay over": (
        "in_progress",
        {},
        {"visitor": ["Submit the report"], "host": ["Confirm the stay as host"]},
    ),
    "report submitted": (
        "report_submitted",
        {"host_confirmed_at": NOW},
        {
            "visitor_partnership": ["Validate or return the report"],
            "coordinator": ["Validate or return the report"],
        },
    ),
    "paid": (
        "paid",
        {},
        {"visitor_partnership": ["Issue the certificate"], "coordinator": ["Issue the certificate"]},
    ),
    "certified": ("certified", {}, {}),
    "cancelled": ("cancelled", {}, {}),
}


@pytest.mark.parametrize("case", CASES)
def test_each_state_waits_for_the_party_whose_turn_it_is(xworld, case):
    state, fields, expected = CASES[case]
    fields = {name: timezone.now() if value is NOW else value for name, value in fields.items()}
    exchange = xworld.new_exchange(state, **fields)
    for role in EXCHANGE_ROLES:
        user = xworld.users[role]
        if user is None:
            continue
        got = [str(step) for step in waiting_steps(user, exchange)]
        assert got == expected.get(role, []), (case, role)


def test_a_pending_host_request_waits_for_the_host_not_the_visitor(xworld):
    exchange = xworld.new_exchange("validated")
    HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
    steps = {
        role: [str(s) for s in waiting_steps(xworld.users[role], exchange)] for role in ("visitor", "host")
    }
    assert steps == {"visitor": [], "host": ["Answer the request to host"]}
    # The asked host sees the exchange only through its request; the list finds it all the same.
    assert [e.pk for e, _ in exchanges_waiting_for(xworld.users["host"])] == [exchange.pk]


def test_a_signed_party_is_not_asked_again(xworld):
    exchange = xworld.new_exchange("matched", **AGREEMENT, grant_approved_at=timezone.now())
    domain.sign_agreement(xworld.users["visitor"], exchange, **signing(exchange, "visitor"))
    exchange.refresh_from_db()
    assert waiting_steps(xworld.users["visitor"], exchange) == []
    assert [str(s) for s in waiting_steps(xworld.users["host"], exchange)] == ["Sign the agreement"]


def test_a_stay_not_started_yet_waits_for_nobody(xworld):
    exchange = xworld.new_exchange("agreement_signed")  # starts in three weeks
    assert all(
        waiting_steps(xworld.users[role], exchange) == [] for role in EXCHANGE_ROLES if xworld.users[role]
    )


def test_the_list_reads_a_fixed_number_of_queries_and_only_what_the_user_sees(xworld):
    coordinator = xworld.users["coordinator"]
    xworld.new_exchange("submitted")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exchanges_waiting_for(coordinator)
        return len(captured.captured_queries)

    exchanges_waiting_for(coordinator)  # roles read once
    one = queries()
    for state in ("submitted", "matched", "paid", "in_progress", "report_submitted"):
        xworld.new_exchange(state)
    assert queries() == one
    # All but the stay in progress, which waits for the visitor's report and the host's confirmation.
    assert len(exchanges_waiting_for(coordinator)) == 5
    assert exchanges_waiting_for(xworld.users["outsider"]) == []
    assert exchanges_waiting_for(xworld.users["same_cluster"]) == []


def counts_shown(html: str, pattern: str) -> dict[str, int]:
    return {what.strip(): int(count) for what, count in re.findall(pattern, html)}


def test_the_home_box_counts_what_the_page_lists(xworld):
    """The box on the home page (loaded after the page) and the page "Waiting for you" agree, for every
    party of exchanges in every state of the lifecycle."""
    for state, fields, _ in CASES.values():
        fields = {name: timezone.now() if value is NOW else value for name, value in fields.items()}
        xworld.new_exchange(state, **fields)
    parties = {role for _, _, expected in CASES.values() for role in expected}
    for role in EXCHANGE_ROLES:
        if xworld.users[role] is None:
            continue
        client = xworld.client(role)
        page = client.get(reverse("waiting")).content.decode()
        box = client.get(reverse("waiting_box")).content.decode()
        on_page = counts_shown(page, r'<h2 id="waiting-\d+">([^<]+)<small class="muted">\((\d+)\)</small>')
        assert bool(on_page) == (role in parties), role
        assert counts_shown(box, r">([^<>]+)</a> \((\d+)\)</li>") == on_page, role
