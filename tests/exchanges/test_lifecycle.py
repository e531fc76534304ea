"""The exchange lifecycle through the domain actions: the whole happy path, then every transition
allowed and refused per role, and states that refuse an action with the reason."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.money import money
from clusterxchange.exchanges import domain
from clusterxchange.exchanges.lifecycle import TRANSITIONS, available_transitions
from clusterxchange.exchanges.models import Exchange, ExchangeState, HostRequest
from clusterxchange.exchanges.timing import EXCHANGE_TIME_RULES
from tests.exchanges.conftest import EXCHANGE_ROLES, next_monday, signing

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.mark.date_sensitive
def test_the_whole_lifecycle(xworld, django_capture_on_commit_callbacks):
    users, base = xworld.users, xworld.base
    start = next_monday()
    with django_capture_on_commit_callbacks(execute=True):
        exchange = domain.create_exchange(
            users["visitor"],
            base.programme,
            base.org_a1,
            {
                "motivation": "Learn how a Basque robotics SME runs pilot lines.",
                "goals": "Two joint pilots",
                "start_date": start,
                "end_date": start + timedelta(days=4),
            },
        )
        assert exchange.state == "draft"
        assert exchange.visitor_partner.cluster == base.cluster_a
        domain.perform(users["visitor"], exchange, "submit")
        domain.perform(users["visitor_partnership"], exchange, "validate")
        request = domain.request_host(
            users["visitor"], exchange, base.org_b1, "May we visit your pilot line?"
        )
        exchange = domain.respond_to_host_request(users["host"], request, accept=True, response="Welcome!")
        assert (exchange.state, exchange.host_organisation, exchange.host_partner.cluster) == (
            "matched",
            base.org_b1,
            base.cluster_b,
        )
        exchange = domain.approve_grant(users["visitor_partnership"], exchange)
    # Nice → Bilbao is over 200 km; Monday to Friday is 5 working days (full EUR 1,000) unless a Spanish
    # public holiday falls in that week of the run (halved to 500): both values are the rule applied right.
    assert exchange.grant_distance_km > 700
    assert exchange.grant_amount_eur in {Decimal("1000.00"), Decimal("500.00")}
    assert exchange.grant_rules_snapshot["country_caps"]["ES"] == "1000.00"
    # The grant's email names the amount once, in its reader's format (it read "Grant of EUR 1000.00").
    amounts = {money(exchange.grant_amount_eur, language=code) for code, _name in settings.LANGUAGES}
    granted = [m.subject for m in mail.outbox if any(amount in m.subject for amount in amounts)]
    assert granted and not [subject for subject in granted if "EUR" in subject]
    domain.update_agreement(
        users["host"],
        exchange,
        {
            "agreement_goals": "Learn pilot-line operation",
            "agreement_objectives": "Two pilots agreed",
            "agreement_agenda": "Mon: tour; Tue-Thu: line; Fri: wrap-up",
        },
    )
    for role, party in (
        ("visitor", "visitor"),
        ("host", "host"),
        ("visitor_partnership", "visitor_partnership"),
        ("host_partnership", "host_partnership"),
    ):
        exchange = domain.sign_agreement(users[role], exchange, **signing(exchange, party))
    assert exchange.state == "agreement_signed"
    with mock.patch("django.utils.timezone.localdate", return_value=start):
        exchange = domain.perform(users["host"], exchange, "start")
    domain.save_report(
        users["visitor"],
        exchange,
        {
            "report_activities": "Worked on the line",
            "report_results": "Two pilots",
            "testimonial": "Great",
            "testimonial_consent": True,
        },
    )
    domain.add_evidence(users["visitor"], exchange, SimpleUploadedFile("boarding.pdf", PDF), "travel")
    last_day = datetime.combine(exchange.end_date, time(17), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(last_day, tick=False):  # closing steps open on the stay's last day
        domain.confirm_by_host(users["host"], exchange)
        exchange = domain.perform(users["visitor"], exchange, "submit_report")
        exchange = domain.perform(users["visitor_partnership"], exchange, "validate_report")
        exchange = domain.perform(
            users["visitor_partnership"],
            exchange,
            "record_payment",
            amount=exchange.grant_amount_eur,
            paid_on=timezone.localdate(),
        )
        assert exchange.payment_late is False
        exchange = domain.perform(users["coordinator"], exchange, "certify")
    assert exchange.state == "certified"
    assert len(exchange.certificate_code) == 16
    actions = list(AuditEntry.objects.filter(object_id=str(exchange.pk)).values_list("action", flat=True))
    for action in (
        "create",
        "submit",
        "validate",
        "request_host",
        "match",
        "approve_grant",
        "sign_agreement",
        "start",
        "submit_report",
        "validate_report",
        "record_payment",
        "certify",
    ):
        assert f"exchanges.{action}" in actions
    entry = AuditEntry.objects.get(object_id=str(exchange.pk), action="exchanges.validate")
    assert (entry.actor, entry.from_state, entry.to_state) == (
        users["visitor_partnership"],
        "submitted",
        "validated",
    )
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"owner@test.example", "manager@test.example", "outsider@test.example"} <= recipients


ALLOWED = {
    "submit": {"visitor"},
    "validate": {"visitor_partnership", "coordinator"},
    "decline": {"visitor_partnership", "coordinator"},
    "start": {"visitor", "host", "visitor_partnership", "coordinator"},
    "submit_report": {"visitor"},
    "return_report": {"visitor_partnership", "coordinator"},
    "validate_report": {"visitor_partnership", "coordinator"},
    "record_payment": {"visitor_partnership", "coordinator"},
    "certify": {"visitor_partnership", "coordinator"},
    "withdraw": {"visitor"},
    "cancel": {"visitor_partnership", "coordinator"},
}


def prepared(xworld, action):
    """An exchange in the first state from which `action` is possible, with what its guard needs."""
    transition = TRANSITIONS[action]
    state = sorted(transition.sources)[0]
    extra = {}
    if action == "start":
        extra["start_date"] = timezone.localdate()
    if action in EXCHANGE_TIME_RULES and action != "start":  # the stay is over (see test_timing.py)
        extra["start_date"] = timezone.localdate() - timedelta(days=10)
    if action == "validate_report":
        extra["host_confirmed_at"] = timezone.now()
    if action in {"record_payment", "certify"}:
        extra["report_validated_at"] = timezone.now()
        extra["grant_amount_eur"] = Decimal("500")
        extra["grant_approved_at"] = timezone.now()
    exchange = xworld.new_exchange(state=state, **extra)
    if action == "submit_report":
        exchange.report_activities, exchange.report_results = "Did things", "Results"
        exchange.save()
        domain.add_evidence(xworld.users["visitor"], exchange, SimpleUploadedFile("ticket.pdf", PDF))
    return exchange


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_transition_matrix(xworld, action, role):
    exchange = prepared(xworld, action)
    user = xworld.users[role]
    if user is None:
        assert not exchange_visible(None, exchange)
        return
    data = {"amount": Decimal("500"), "paid_on": timezone.localdate()} if action == "record_payment" else {}
    comment = "A reason" if TRANSITIONS[action].needs_reason else ""
    if role in ALLOWED[action]:
        done = domain.perform(user, exchange, action, comment=comment, **data)
        assert done.state == TRANSITIONS[action].target
        assert action in [t.name for t in available_transitions(user, prepared(xworld, action))]
    else:
        with pytest.raises(PermissionDenied):
            domain.perform(user, exchange, action, comment=comment, **data)
        exchange.refresh_from_db()
        assert exchange.state == sorted(TRANSITIONS[action].sources)[0]


def exchange_visible(user, exchange):
    from django.contrib.auth.models import AnonymousUser

    return (user or AnonymousUser()).has_perm("exchanges.view_exchange", exchange)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "validate"),
        ("submitted", "submit"),
        ("certified", "cancel"),
        ("paid", "withdraw"),
        ("declined", "validate"),
        ("in_progress", "certify"),
        ("matched", "submit_report"),
    ],
)
def test_invalid_transitions_are_refused_with_the_reason(xworld, state, action):
    exchange = xworld.new_exchange(state=state)
    with pytest.raises(Refused) as refused:
        domain.perform(xworld.users[sorted(ALLOWED[action])[0]], exchange, action, comment="x")
    message = str(refused.value)
    assert str(ExchangeState(state).label) in message
    for source in TRANSITIONS[action].sources:
        assert str(ExchangeState(source).label) in message
    exchange.refresh_from_db()
    assert exchange.state == state


def test_reasons_are_required_for_decline_and_cancel(xworld):
    exchange = xworld.new_exchange(state="submitted")
    with pytest.raises(ValidationError) as error:
        domain.perform(xworld.users["visitor_partnership"], exchange, "decline", comment="  ")
    assert "comment" in error.value.message_dict
    domain.perform(xworld.users["visitor_partnership"], exchange, "decline", comment="Not eligible this year")
    exchange.refresh_from_db()
    assert (exchange.state, exchange.closing_reason) == ("declined", "Not eligible this year")


def test_submit_refuses_host_only_types_and_second_visits(xworld):
    base = xworld.base
    base.org_a1.org_type = "large_company"
    base.org_a1.save()
    exchange = xworld.new_exchange(state="draft")
    with pytest.raises(ValidationError, match="may host but not visit"):
        domain.perform(xworld.users["visitor"], exchange, "submit")
    base.org_a1.org_type = "sme"
    base.org_a1.save()
    xworld.new_exchange(state="paid")
    with pytest.raises(ValidationError, match="already visited once"):
        domain.perform(xworld.users["visitor"], exchange, "submit")
    exchange.refresh_from_db()
    assert exchange.state == "draft"


@pytest.mark.date_sensitive
@pytest.mark.parametrize(
    ("start_in_days", "end_in_days", "field"),
    [(21, 20, "end_date"), (-3, 0, "start_date")],
    ids=["end-before-start", "start-in-the-past"],
)
def test_application_dates_are_checked(xworld, start_in_days, end_in_days, field):
    today = timezone.localdate()  # read at run time, under the test's clock, not at collection
    fields = {
        "start_date": today + timedelta(days=start_in_days),
        "end_date": today + timedelta(days=end_in_days),
    }
    with pytest.raises(ValidationError) as error:
        domain.create_exchange(
            xworld.users["visitor"], xworld.base.programme, xworld.base.org_a1, {"motivation": "x", **fields}
        )
    assert field in error.value.message_dict
    assert not Exchange.objects.exists()


def test_only_members_apply_for_their_organisation(xworld):
    with pytest.raises(PermissionDenied):
        domain.create_exchange(
            xworld.users["same_cluster"],
            xworld.base.programme,
            xworld.base.org_a1,
            {"motivation": "x", "start_date": next_monday(), "end_date": next_monday()},
        )


def test_host_in_the_visitors_country_is_refused(xworld):
    exchange = xworld.new_exchange(state="validated")
    with pytest.raises(ValidationError) as error:
        domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_a2, "Hello")
    assert any("same country" in message or "country" in message for message in error.value.messages)
    assert not HostRequest.objects.exists()


def test_host_decline_keeps_the_exchange_open_for_another_request(xworld):
    exchange = xworld.new_exchange(state="validated")
    request = domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_b1, "Hello")
    with pytest.raises(ValidationError, match="already waiting"):
        domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_b1, "Again")
    with pytest.raises(PermissionDenied):
        domain.respond_to_host_request(xworld.users["same_cluster"], request, accept=True)
    domain.respond_to_host_request(xworld.users["host"], request, accept=False, response="Fully booked")
    exchange.refresh_from_db()
    assert exchange.state == "validated" and exchange.host_organisation is None
    with pytest.raises(Refused):
        domain.respond_to_host_request(xworld.users["host"], request, accept=True)
    domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_b1, "Maybe later dates?")


@pytest.mark.date_sensitive
def test_grant_is_halved_under_200_km_and_frozen_on_approval(xworld):
    base = xworld.base
    base.org_b1.country, base.org_b1.latitude, base.org_b1.longitude = "DE", 47.6, 7.6  # Lörrach-ish
    base.org_b1.save()
    base.org_a1.latitude, base.org_a1.longitude = 47.75, 7.34  # Mulhouse: ~25 km
    base.org_a1.save()
    exchange = xworld.new_exchange(state="matched")
    exchange = domain.approve_grant(xworld.users["visitor_partnership"], exchange)
    assert exchange.grant_amount_eur == Decimal("550.00")
    assert any("200" in rule["message"] for rule in exchange.grant_rules_applied)
    xworld.rules.country_caps.filter(country="DE").update(amount_eur=Decimal("2000"))
    exchange.refresh_from_db()
    assert exchange.grant_amount_eur == Decimal("550.00")
    with pytest.raises(Refused, match="already approved"):
        domain.approve_grant(xworld.users["visitor_partnership"], exchange)


@pytest.mark.date_sensitive
def test_grant_beyond_the_partner_budget_is_refused(xworld):
    partner = xworld.base.programme.partners.get(cluster=xworld.base.cluster_a)
    partner.grant_budget_eur = Decimal("1500")
    partner.save()
    xworld.new_exchange(
        state="paid",
        grant_amount_eur=Decimal("1000"),
        grant_approved_at=timezone.now(),
        visitor_organisation=xworld.base.org_a2,
    )
    # A stay of five working days in the host country, whatever the day the test runs: the stay of
    # "next Monday" met a public holiday on 6 December 2026, its grant was halved and fitted the budget.
    exchange = xworld.new_exchange(state="matched", start_date=date(2027, 3, 8))
    with pytest.raises(ValidationError, match=r"€500\.00 are left"):
        domain.approve_grant(xworld.users["visitor_partnership"], exchange)
    exchange.refresh_from_db()
    assert exchange.grant_amount_eur is None and not exchange.grant_approved


def test_cancelled_exchanges_release_their_commitment(xworld):
    partner = xworld.base.programme.partners.get(cluster=xworld.base.cluster_a)
    other = xworld.new_exchange(
        state="matched",
        grant_amount_eur=Decimal("1000"),
        grant_approved_at=timezone.now(),
        visitor_organisation=xworld.base.org_a2,
    )
    assert domain.partner_commitments(partner) == Decimal("1000")
    domain.perform(xworld.users["visitor_partnership"], other, "cancel", comment="Visa refused")
    assert domain.partner_commitments(partner) == Decimal("0")


@pytest.mark.date_sensitive
def test_agreement_needs_content_grant_and_the_right_signatory(xworld):
    exchange = xworld.new_exchange(state="matched")
    with pytest.raises(ValidationError) as error:
        domain.sign_agreement(xworld.users["visitor"], exchange, **signing(exchange, "visitor"))
    assert len(error.value.messages) == 2
    with pytest.raises(PermissionDenied, match="your own role"):
        domain.sign_agreement(xworld.users["visitor"], exchange, **signing(exchange, "host"))
    exchange.grant_approved_at, exchange.grant_amount_eur = timezone.now(), Decimal("1000")
    exchange.agreement_goals = exchange.agreement_objectives = exchange.agreement_agenda = "Set"
    exchange.save()
    domain.sign_agreement(xworld.users["visitor"], exchange, **signing(exchange, "visitor"))
    with pytest.raises(ValidationError, match="already signed"):
        domain.sign_agreement(xworld.users["visitor"], exchange, **signing(exchange, "visitor"))


@pytest.mark.date_sensitive
def test_report_needs_text_evidence_and_host_confirmation(xworld):
    exchange = xworld.new_exchange(state="in_progress")
    with pytest.raises(ValidationError) as error:
        domain.perform(xworld.users["visitor"], exchange, "submit_report")
    assert len(error.value.messages) == 2
    exchange.report_activities, exchange.report_results = "Did", "Got"
    exchange.save()
    domain.add_evidence(xworld.users["visitor"], exchange, SimpleUploadedFile("invoice.pdf", PDF))
    exchange = domain.perform(xworld.users["visitor"], exchange, "submit_report")
    with pytest.raises(ValidationError, match="not yet confirmed"):
        domain.perform(xworld.users["visitor_partnership"], exchange, "validate_report")
    with pytest.raises(PermissionDenied):
        domain.confirm_by_host(xworld.users["visitor"], exchange)
    domain.confirm_by_host(xworld.users["host"], exchange)
    assert (
        domain.perform(xworld.users["visitor_partnership"], exchange, "validate_report").state
        == "report_validated"
    )


@pytest.mark.date_sensitive
def test_late_payment_is_flagged_and_overpayment_refused(xworld):
    validated_at = timezone.now() - timedelta(days=20)
    exchange = xworld.new_exchange(
        state="report_validated",
        report_validated_at=validated_at,
        grant_amount_eur=Decimal("780"),
        grant_approved_at=validated_at,
    )
    with pytest.raises(ValidationError) as error:
        domain.perform(
            xworld.users["visitor_partnership"],
            exchange,
            "record_payment",
            amount=Decimal("900"),
            paid_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"amount", "paid_on"}
    exchange = domain.perform(
        xworld.users["visitor_partnership"],
        exchange,
        "record_payment",
        amount=Decimal("780"),
        paid_on=timezone.localdate(),
    )
    assert exchange.payment_late is True
    # Due 10 days after the day of validation in the programme's time zone, not in UTC (the two
    # differ late in the evening, when this test once failed).
    assert exchange.payment_due_by == timezone.localdate(validated_at) + timedelta(days=10)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"MZ\x90\x00 executable", "not a PDF, JPG, PNG"),
        ("photo.png", PDF, "does not match"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
    ],
)
def test_bad_evidence_is_refused(xworld, name, content, message):
    exchange = xworld.new_exchange(state="in_progress")
    with pytest.raises(ValidationError, match=message):
        domain.add_evidence(xworld.users["visitor"], exchange, SimpleUploadedFile(name, content))
    assert not exchange.evidence.exists()


def test_jpeg_and_png_evidence_are_accepted(xworld):
    exchange = xworld.new_exchange(state="in_progress")
    jpeg = domain.add_evidence(
        xworld.users["visitor"], exchange, SimpleUploadedFile("a.jpeg", b"\xff\xd8\xff\xe0...")
    )
    png = domain.add_evidence(
        xworld.users["visitor"], exchange, SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n....")
    )
    assert (jpeg.content_type, png.content_type) == ("image/jpeg", "image/png")
    assert jpeg.file.name.startswith(f"evidence/{exchange.reference}/") and jpeg.file.name.endswith(".jpg")


def test_travelling_person_must_work_for_the_visitor(xworld):
    stranger = xworld.base.org_b1.people.create(first_name="Iker", last_name="Zubia")
    with pytest.raises(ValidationError) as error:
        domain.create_exchange(
            xworld.users["visitor"],
            xworld.base.programme,
            xworld.base.org_a1,
            {
                "motivation": "x",
                "start_date": next_monday(),
                "end_date": next_monday() + timedelta(days=4),
                "visitor_person": stranger,
            },
        )
    assert "visitor_person" in error.value.message_dict


def test_a_payment_amount_that_is_not_a_number_is_a_field_error(xworld):
    exchange = xworld.new_exchange(
        state="report_validated",
        report_validated_at=timezone.now(),
        grant_amount_eur=Decimal("780"),
        grant_approved_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as error:
        domain.perform(
            xworld.users["visitor_partnership"],
            exchange,
            "record_payment",
            amount="lots",
            paid_on=timezone.localdate(),
        )
    assert "amount" in error.value.message_dict


def test_host_answers_are_recorded_as_outcomes(xworld):
    exchange = xworld.new_exchange(state="validated")
    request = domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_b1, "Hello")
    domain.respond_to_host_request(xworld.users["host"], request, accept=False, response="Booked")
    request = domain.request_host(xworld.users["visitor"], exchange, xworld.base.org_b1, "Later?")
    domain.respond_to_host_request(xworld.users["host"], request, accept=True)
    from clusterxchange.directory.models import MatchingOutcome

    kinds = list(MatchingOutcome.objects.order_by("created_at").values_list("use", "kind"))
    assert kinds == [("exchange_host", "declined"), ("exchange_host", "accepted")]
