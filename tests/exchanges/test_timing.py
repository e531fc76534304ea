"""Time-aware steps of an exchange (timing.EXCHANGE_TIME_RULES), on fixed dates (time_machine).

The stay: Monday 1 to Friday 5 March 2027. On its first day the host cannot confirm it, the visitor
cannot submit the report, and neither can the partnership validate it, record the payment or certify;
on its last day they can. Pages and the API do not offer what the rules refuse and say when it opens.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clusterxchange.accounts.models import ApiToken
from clusterxchange.core.domain import Refused
from clusterxchange.exchanges import domain
from clusterxchange.exchanges.lifecycle import available_transitions
from clusterxchange.exchanges.models import Evidence
from clusterxchange.exchanges.timing import EXCHANGE_TIME_RULES, too_early

pytestmark = pytest.mark.django_db

FIRST_DAY, LAST_DAY = date(2027, 3, 1), date(2027, 3, 5)
PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=PARIS), tick=False)


def _stay(xworld, state: str, **fields):
    return xworld.new_exchange(
        state,
        start_date=FIRST_DAY,
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        report_activities="Visited the line",
        report_results="Two contacts",
        **fields,
    )


def _with_evidence(exchange):
    evidence = Evidence(
        exchange=exchange,
        kind="travel",
        original_name="t.pdf",
        content_type="application/pdf",
        extension="pdf",
    )
    evidence.file.save("t.pdf", SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n"), save=False)
    evidence.size = evidence.file.size
    evidence.save()
    return exchange


def test_the_table_names_every_dated_step_and_its_first_day(xworld):
    exchange = _stay(xworld, "in_progress")
    assert set(EXCHANGE_TIME_RULES) == {
        "start",
        "confirm_by_host",
        "submit_report",
        "validate_report",
        "record_payment",
        "certify",
    }
    for step in EXCHANGE_TIME_RULES:
        first_allowed = FIRST_DAY if step == "start" else LAST_DAY
        assert too_early(step, exchange, today=first_allowed) == ""
        assert too_early(step, exchange, today=date.fromordinal(first_allowed.toordinal() - 1)) != ""
    assert too_early("withdraw", exchange, today=date(2000, 1, 1)) == ""


@pytest.mark.parametrize(
    ("state", "step", "role", "data"),
    [
        ("in_progress", "submit_report", "visitor", {}),
        ("report_submitted", "validate_report", "visitor_partnership", {}),
        (
            "report_validated",
            "record_payment",
            "coordinator",
            {"amount": Decimal("900"), "paid_on": FIRST_DAY},
        ),
        ("paid", "certify", "coordinator", {}),
    ],
)
def test_closing_steps_wait_for_the_stays_last_day(xworld, state, step, role, data):
    extra = {"host_confirmed_at": datetime(2027, 3, 1, 9, tzinfo=PARIS)} if step == "validate_report" else {}
    if state == "paid":
        extra = {"paid_amount_eur": Decimal("900"), "paid_on": FIRST_DAY}
    if state == "report_validated":
        extra = {"report_validated_at": datetime(2027, 3, 1, 9, tzinfo=PARIS)}
    exchange = _with_evidence(_stay(xworld, state, **extra))
    user = xworld.users[role]
    with at(FIRST_DAY):
        assert step not in [t.name for t in available_transitions(user, exchange)]
        with pytest.raises(Refused, match="from the stay's last day"):
            domain.perform(user, exchange, step, **data)
        exchange.refresh_from_db()
        assert exchange.state == state
    with at(LAST_DAY):
        assert step in [t.name for t in available_transitions(user, exchange)]
        if step == "record_payment":
            data = {**data, "paid_on": LAST_DAY}
        assert domain.perform(user, exchange, step, **data).state != state


def test_the_host_confirms_from_the_last_day_and_the_page_says_when(xworld):
    exchange = _stay(xworld, "in_progress")
    page_url = reverse("exchanges:detail", args=[exchange.reference])
    with at(FIRST_DAY):
        host = xworld.client("host")  # logged in at the travelled-to time (a session expires)
        with pytest.raises(Refused, match="from its last day"):
            domain.confirm_by_host(xworld.users["host"], exchange)
        page = host.get(page_url).content.decode()
        assert reverse("exchanges:confirm", args=[exchange.reference]) not in page
        assert "The host confirms that the exchange took place from its last day" in page
        refused = host.post(reverse("exchanges:confirm", args=[exchange.reference]), follow=True)
        assert "from its last day" in refused.content.decode()
        exchange.refresh_from_db()
        assert exchange.host_confirmed_at is None
    with at(LAST_DAY):
        host = xworld.client("host")
        page = host.get(page_url).content.decode()
        assert reverse("exchanges:confirm", args=[exchange.reference]) in page
        domain.confirm_by_host(xworld.users["host"], exchange)
        exchange.refresh_from_db()
        assert exchange.host_confirmed_at is not None


def test_the_api_refuses_with_the_reason_and_lists_what_opens_later(xworld):
    exchange = _with_evidence(_stay(xworld, "in_progress"))
    client = Client()
    with at(FIRST_DAY):
        token = ApiToken.issue(xworld.users["visitor"], "test")[1]  # issued then: tokens expire
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        body = client.get(f"/api/exchanges/{exchange.reference}", **headers).json()
        assert "submit_report" not in body["actions"]
        assert [item["code"] for item in body["actions_later"]] == ["submit_report"]
        assert "last day" in body["actions_later"][0]["message"]
        refused = client.post(
            f"/api/exchanges/{exchange.reference}/actions/submit_report",
            data={},
            content_type="application/json",
            **headers,
        )
        assert refused.status_code == 409
        assert "last day" in refused.json()["detail"]
    with at(LAST_DAY):
        done = client.post(
            f"/api/exchanges/{exchange.reference}/actions/submit_report",
            data={},
            content_type="application/json",
            **headers,
        )
        assert done.status_code == 200, done.content
        assert done.json()["state"] == "report_submitted"


def test_a_stay_cannot_be_marked_started_before_its_first_day(xworld):
    exchange = xworld.new_exchange("agreement_signed", start_date=FIRST_DAY)
    with at(date(2027, 2, 28)), pytest.raises(Refused, match="cannot be marked as started before"):
        domain.perform(xworld.users["host"], exchange, "start")
    with at(FIRST_DAY):
        assert domain.perform(xworld.users["host"], exchange, "start").state == "in_progress"
