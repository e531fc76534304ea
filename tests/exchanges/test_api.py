"""Exchanges API: every endpoint × the eight roles, 409 for refused transitions, 422 for bad input.

Convention checked here: anonymous → 401; a caller who is no party to the exchange → 404 (its
existence is not revealed); a party without the right → 403.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clusterxchange.accounts.models import ApiToken
from clusterxchange.exchanges.models import AgreementSignature, Exchange, HostRequest
from tests.exchanges.conftest import EXCHANGE_ROLES, next_monday, signing

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Who sees an exchange once it has a host (matched and later); before, the host side does not.
PARTIES = {"visitor", "host", "visitor_partnership", "host_partnership", "coordinator"}
PARTIES_WITHOUT_HOST = {"visitor", "visitor_partnership", "coordinator"}


def api(xworld, role) -> Client:
    user = xworld.users[role]
    if user is None:
        return Client()
    _token, secret = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def expected(role: str, allowed: set[str], viewers: set[str], ok: int = 200) -> int:
    if role == "anonymous":
        return 401
    if role in allowed:
        return ok
    return 403 if role in viewers else 404


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def ready_to_sign(xworld) -> Exchange:
    exchange = xworld.new_exchange(
        "matched",
        agreement_goals="Learn",
        agreement_objectives="Test lines",
        agreement_agenda="Day 1: lab",
        grant_amount_eur=Decimal("1000.00"),
        grant_approved_at=timezone.now(),
    )
    return exchange


def in_progress(xworld, **fields) -> Exchange:
    today = timezone.localdate()
    return xworld.new_exchange(
        "in_progress", start_date=today - timedelta(days=8), end_date=today - timedelta(days=2), **fields
    )


# Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_list_shows_only_own_exchanges(xworld, role):
    matched = xworld.new_exchange("matched")
    draft = xworld.new_exchange("draft", visitor_organisation=xworld.base.org_a2)
    response = api(xworld, role).get("/api/exchanges")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    references = {e["reference"] for e in response.json()["results"]}
    assert (matched.reference in references) is (role in PARTIES)
    assert (draft.reference in references) is (role in {"same_cluster", "visitor_partnership", "coordinator"})


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_get_one(xworld, role):
    exchange = xworld.new_exchange("matched")
    response = api(xworld, role).get(f"/api/exchanges/{exchange.reference}")
    assert response.status_code == expected(role, PARTIES, PARTIES)
    if response.status_code == 200:
        body = response.json()
        assert body["state"] == "matched"
        assert body["host"]["slug"] == xworld.base.org_b1.slug
        assert body["start_date"] == exchange.start_date.isoformat()
        # Only the visitor's side and the host see the evidence; the host's partnership does not.
        assert (body["evidence"] is None) is (role == "host_partnership")
    nonexistent = api(xworld, role).get("/api/exchanges/CX-NOPE")
    assert nonexistent.status_code == (401 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_pending_host_sees_the_exchange(xworld, role):
    exchange = xworld.new_exchange("validated")
    HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
    response = api(xworld, role).get(f"/api/exchanges/{exchange.reference}")
    viewers = PARTIES_WITHOUT_HOST | {"host"}
    assert response.status_code == expected(role, viewers, viewers)


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_timeline(xworld, role):
    exchange = xworld.new_exchange("submitted")
    post(
        api(xworld, "coordinator"),
        f"/api/exchanges/{exchange.reference}/actions/decline",
        {"comment": "Too late"},
    )
    response = api(xworld, role).get(f"/api/exchanges/{exchange.reference}/timeline")
    assert response.status_code == expected(role, PARTIES_WITHOUT_HOST, PARTIES_WITHOUT_HOST)
    if response.status_code == 200:
        (entry,) = response.json()
        assert (entry["action"], entry["from_state"], entry["to_state"]) == (
            "decline",
            "submitted",
            "declined",
        )
        assert entry["comment"] == "Too late"
        assert entry["actor"] == "coordinator@test.example"


def test_list_filters_and_pagination(xworld):
    xworld.new_exchange("matched")
    xworld.new_exchange("draft", visitor_organisation=xworld.base.org_a2)
    client = api(xworld, "coordinator")
    assert client.get("/api/exchanges").json()["count"] == 2
    assert client.get("/api/exchanges", {"state": "matched"}).json()["count"] == 1
    assert client.get("/api/exchanges", {"programme": "test"}).json()["count"] == 2
    assert client.get("/api/exchanges", {"programme": "other"}).json()["count"] == 0
    assert client.get("/api/exchanges", {"partner": xworld.base.cluster_b.slug}).json()["count"] == 1
    page = client.get("/api/exchanges", {"page_size": 1, "page": 2}).json()
    assert (page["count"], page["page"], page["pages"], len(page["results"])) == (2, 2, 2, 1)
    assert client.get("/api/exchanges", {"state": "lost"}).status_code == 422
    assert client.get("/api/exchanges", {"page_size": 1000}).status_code == 422


# Application -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_create_application(xworld, role):
    start = next_monday()
    response = post(
        api(xworld, role),
        "/api/exchanges",
        {
            "programme": "test",
            "visitor_organisation": xworld.base.org_a1.slug,
            "motivation": "Learn printed electronics testing",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=4)).isoformat(),
            "visitor_person": xworld.base.person_a1.pk,
        },
    )
    created = Exchange.objects.filter(visitor_organisation=xworld.base.org_a1).first()
    if role == "visitor":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["state"] == "draft"
        assert body["visitor_person"] == xworld.base.person_a1.pk
        assert body["actions"] == ["submit", "withdraw"]
        assert created.reference == body["reference"]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert created is None


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_patch_draft(xworld, role):
    exchange = xworld.new_exchange("draft")
    response = patch(api(xworld, role), f"/api/exchanges/{exchange.reference}", {"goals": "Meet labs"})
    assert response.status_code == expected(role, {"visitor"}, PARTIES_WITHOUT_HOST)
    exchange.refresh_from_db()
    assert (exchange.goals == "Meet labs") is (role == "visitor")


def test_patch_refused_after_submission(xworld):
    exchange = xworld.new_exchange("submitted")
    response = patch(api(xworld, "visitor"), f"/api/exchanges/{exchange.reference}", {"goals": "x"})
    assert response.status_code == 409
    assert "Submitted" in response.json()["detail"] and "Draft" in response.json()["detail"]


# Transitions -------------------------------------------------------------------------------------

PARTNERSHIP = {"visitor_partnership", "coordinator"}
TRANSITION_MATRIX = [
    # action, state, body, allowed roles, viewers
    ("submit", "draft", {}, {"visitor"}, PARTIES_WITHOUT_HOST),
    ("withdraw", "submitted", {}, {"visitor"}, PARTIES_WITHOUT_HOST),
    ("validate", "submitted", {}, PARTNERSHIP, PARTIES_WITHOUT_HOST),
    ("decline", "submitted", {"comment": "Not a cluster member"}, PARTNERSHIP, PARTIES_WITHOUT_HOST),
    ("cancel", "matched", {"comment": "Visitor fell ill"}, PARTNERSHIP, PARTIES),
    ("start", "agreement_signed", {}, {"visitor", "host", *PARTNERSHIP}, PARTIES),
    ("return_report", "report_submitted", {"comment": "Add the invoice"}, PARTNERSHIP, PARTIES),
    ("certify", "paid", {}, PARTNERSHIP, PARTIES),
]


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
@pytest.mark.parametrize(("action", "state", "body", "allowed", "viewers"), TRANSITION_MATRIX)
def test_transition_matrix(xworld, role, action, state, body, allowed, viewers):
    today = timezone.localdate()
    fields = {"start_date": today, "end_date": today + timedelta(days=6)} if action == "start" else {}
    exchange = xworld.new_exchange(state, **fields)
    response = post(api(xworld, role), f"/api/exchanges/{exchange.reference}/actions/{action}", body)
    assert response.status_code == expected(role, allowed, viewers), response.content
    exchange.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["state"] == exchange.state != state
    else:
        assert exchange.state == state


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_record_payment_matrix(xworld, role):
    exchange = in_progress(xworld)
    Exchange.objects.filter(pk=exchange.pk).update(
        state="report_validated",
        report_validated_at=timezone.now() - timedelta(days=1),
        grant_amount_eur=Decimal("1000.00"),
        grant_approved_at=timezone.now() - timedelta(days=30),
    )
    paid_on = timezone.localdate().isoformat()
    response = post(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/actions/record_payment",
        {"amount": "1000.00", "paid_on": paid_on},
    )
    assert response.status_code == expected(role, PARTNERSHIP, PARTIES)
    if response.status_code == 200:
        payment = response.json()["payment"]
        assert payment == {
            "amount_eur": "1000.00",
            "paid_on": paid_on,
            "due_by": payment["due_by"],
            "late": False,
        }


def test_invalid_transitions_give_409_with_the_reason(xworld):
    exchange = xworld.new_exchange("paid")
    client = api(xworld, "visitor")
    response = post(client, f"/api/exchanges/{exchange.reference}/actions/submit")
    assert response.status_code == 409
    assert "“Submit”" in response.json()["detail"]
    assert "Paid" in response.json()["detail"]
    response = post(api(xworld, "coordinator"), f"/api/exchanges/{exchange.reference}/actions/validate")
    assert response.status_code == 409
    assert "Submitted" in response.json()["detail"]
    response = post(client, f"/api/exchanges/{exchange.reference}/actions/fly")
    assert response.status_code == 404
    confirmed = in_progress(xworld, host_confirmed_at=timezone.now())
    response = post(api(xworld, "host"), f"/api/exchanges/{confirmed.reference}/host-confirmation")
    assert response.status_code == 409
    assert "already confirmed" in response.json()["detail"]


@pytest.mark.date_sensitive
def test_field_errors_give_422(xworld):
    client = api(xworld, "visitor")
    start = next_monday()
    body = {
        "programme": "test",
        "visitor_organisation": xworld.base.org_a1.slug,
        "motivation": "Learn",
        "start_date": start.isoformat(),
        "end_date": (start - timedelta(days=2)).isoformat(),
    }
    response = post(client, "/api/exchanges", body)
    assert response.status_code == 422
    assert ["body", "end_date"] in [error["loc"] for error in response.json()["detail"]]
    past = timezone.localdate() - timedelta(days=10)
    response = post(
        client,
        "/api/exchanges",
        {**body, "start_date": past.isoformat(), "end_date": (past + timedelta(days=4)).isoformat()},
    )
    assert response.status_code == 422
    assert ["body", "start_date"] in [error["loc"] for error in response.json()["detail"]]
    response = post(client, "/api/exchanges", {**body, "programme": "nope"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "programme"]
    response = post(client, "/api/exchanges", {"programme": "test"})
    assert response.status_code == 422  # ninja's own: missing fields
    response = post(client, "/api/exchanges", {**body, "end_date": "2023-02-30"})
    assert response.status_code == 422
    response = post(
        client, "/api/exchanges", {**body, "end_date": body["start_date"], "visitor_person": 999999}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "visitor_person"]

    submitted = xworld.new_exchange("submitted")
    coordinator = api(xworld, "coordinator")
    response = post(coordinator, f"/api/exchanges/{submitted.reference}/actions/decline", {"comment": " "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "comment"]

    validated = in_progress(xworld)
    Exchange.objects.filter(pk=validated.pk).update(
        state="report_validated", report_validated_at=timezone.now(), grant_amount_eur=Decimal("500")
    )
    response = post(coordinator, f"/api/exchanges/{validated.reference}/actions/record_payment", {})
    assert response.status_code == 422
    locs = [error["loc"] for error in response.json()["detail"]]
    assert ["body", "amount"] in locs and ["body", "paid_on"] in locs
    response = post(
        coordinator,
        f"/api/exchanges/{validated.reference}/actions/record_payment",
        {"amount": "600", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422
    assert "500" in response.json()["detail"][0]["msg"]


# Matching ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_request_host(xworld, role):
    exchange = xworld.new_exchange("validated")
    response = post(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/host-requests",
        {"host": xworld.base.org_b1.slug, "message": "May we visit your robot lab?"},
    )
    assert response.status_code == expected(role, {"visitor"}, PARTIES_WITHOUT_HOST, ok=201)
    assert exchange.host_requests.exists() is (role == "visitor")


def test_request_host_refused_with_reasons(xworld):
    exchange = xworld.new_exchange("validated")
    client = api(xworld, "visitor")
    url = f"/api/exchanges/{exchange.reference}/host-requests"
    same_country = post(client, url, {"host": xworld.base.org_a2.slug, "message": "Hi"})
    assert same_country.status_code == 422
    assert "another country" in same_country.json()["detail"][0]["msg"]
    assert post(client, url, {"host": "nobody", "message": "Hi"}).status_code == 422
    assert post(client, url, {"host": xworld.base.org_b1.slug, "message": " "}).status_code == 422
    draft = xworld.new_exchange("draft", visitor_organisation=xworld.base.org_a2)
    response = post(
        api(xworld, "same_cluster"),
        f"/api/exchanges/{draft.reference}/host-requests",
        {"host": xworld.base.org_b1.slug, "message": "Hi"},
    )
    assert response.status_code == 409


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
@pytest.mark.parametrize("accept", [True, False])
def test_answer_host_request(xworld, role, accept):
    exchange = xworld.new_exchange("validated")
    host_request = HostRequest.objects.create(
        exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello"
    )
    response = post(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/host-requests/{host_request.pk}/answer",
        {"accept": accept, "response": "Welcome" if accept else "Not this month"},
    )
    viewers = PARTIES_WITHOUT_HOST | {"host"}
    assert response.status_code == expected(role, {"host"}, viewers)
    exchange.refresh_from_db()
    host_request.refresh_from_db()
    if role == "host":
        assert exchange.state == ("matched" if accept else "validated")
        assert host_request.status == ("accepted" if accept else "declined")
        if accept:
            assert exchange.host_organisation == xworld.base.org_b1
            assert response.json()["host_partner"]["cluster"] == xworld.base.cluster_b.slug
    else:
        assert (exchange.state, host_request.status) == ("validated", "pending")


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_withdraw_host_request(xworld, role):
    exchange = xworld.new_exchange("validated")
    host_request = HostRequest.objects.create(
        exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello"
    )
    response = post(
        api(xworld, role), f"/api/exchanges/{exchange.reference}/host-requests/{host_request.pk}/withdraw"
    )
    viewers = PARTIES_WITHOUT_HOST | {"host"}
    assert response.status_code == expected(role, {"visitor"}, viewers)
    host_request.refresh_from_db()
    assert (host_request.status == "withdrawn") is (role == "visitor")


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_grant_assessment_preview(xworld, role):
    exchange = xworld.new_exchange("validated")
    response = api(xworld, role).get(
        f"/api/exchanges/{exchange.reference}/grant-assessment", {"host": xworld.base.org_b1.slug}
    )
    assert response.status_code == expected(role, PARTIES_WITHOUT_HOST, PARTIES_WITHOUT_HOST)
    if response.status_code != 200:
        return
    body = response.json()
    assert body["eligible"] is True
    assert body["reasons"] == []
    assert body["start_date"] == exchange.start_date.isoformat()
    assert 3 <= body["working_days"] <= 5
    assert 700 < body["distance_km"] < 900  # Nice – Bilbao
    expected_amount = "1000.00" if body["working_days"] >= 5 else "500.00"  # ES cap, halved when short
    assert body["lump_sum_eur"] == expected_amount
    assert "country_lump_sum" in [rule["code"] for rule in body["applied_rules"]]


def test_grant_assessment_reasons(xworld):
    exchange = xworld.new_exchange("validated")
    client = api(xworld, "visitor")
    url = f"/api/exchanges/{exchange.reference}/grant-assessment"
    body = client.get(url, {"host": xworld.base.org_a2.slug}).json()
    assert body["eligible"] is False
    assert body["lump_sum_eur"] == "0.00"
    assert "same_country" in [reason["code"] for reason in body["reasons"]]
    itself = client.get(url, {"host": xworld.base.org_a1.slug}).json()
    assert itself["eligible"] is False
    assert client.get(url).status_code == 422  # no host yet and none named
    assert client.get(url, {"host": "nobody"}).status_code == 422


# Grant, agreement, closing ------------------------------------------------------------------------


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_approve_grant(xworld, role):
    exchange = xworld.new_exchange("matched")
    response = post(api(xworld, role), f"/api/exchanges/{exchange.reference}/grant/approve")
    assert response.status_code == expected(role, PARTNERSHIP, PARTIES)
    exchange.refresh_from_db()
    assert exchange.grant_approved is (role in PARTNERSHIP)
    if response.status_code == 200:
        grant = response.json()["grant"]
        assert grant["approved"] is True
        assert grant["amount_eur"] in {"1000.00", "500.00"}
        assert isinstance(grant["distance_km"], float)


def test_approve_grant_over_budget_and_twice(xworld):
    xworld.base.programme.partners.update(grant_budget_eur=Decimal("100"))
    exchange = xworld.new_exchange("matched")
    client = api(xworld, "visitor_partnership")
    response = post(client, f"/api/exchanges/{exchange.reference}/grant/approve")
    assert response.status_code == 422
    assert "budget" in response.json()["detail"][0]["msg"]
    xworld.base.programme.partners.update(grant_budget_eur=Decimal("5000"))
    assert post(client, f"/api/exchanges/{exchange.reference}/grant/approve").status_code == 200
    assert post(client, f"/api/exchanges/{exchange.reference}/grant/approve").status_code == 409


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_update_agreement(xworld, role):
    exchange = xworld.new_exchange("matched")
    response = patch(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/agreement",
        {"goals": "Learn testing", "agenda": "Day 1: lab tour"},
    )
    assert response.status_code == expected(role, {"visitor", "host"}, PARTIES)
    exchange.refresh_from_db()
    assert (exchange.agreement_goals == "Learn testing") is (role in {"visitor", "host"})


SIGNING_PARTY = {
    "visitor": "visitor",
    "host": "host",
    "visitor_partnership": "visitor_partnership",
    "host_partnership": "host_partnership",
}


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_sign_agreement(xworld, role):
    exchange = ready_to_sign(xworld)
    response = post(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/agreement/signatures",
        signing(exchange, SIGNING_PARTY.get(role, "visitor")),
    )
    assert response.status_code == expected(role, set(SIGNING_PARTY), PARTIES, ok=201)
    assert exchange.signatures.exists() is (role in SIGNING_PARTY)


def test_all_four_signatures_sign_the_agreement(xworld):
    exchange = ready_to_sign(xworld)
    url = f"/api/exchanges/{exchange.reference}/agreement/signatures"
    for role, party in SIGNING_PARTY.items():
        response = post(api(xworld, role), url, signing(exchange, party))
        assert response.status_code == 201
    assert response.json()["state"] == "agreement_signed"
    assert {s["party"] for s in response.json()["agreement"]["signatures"]} == set(SIGNING_PARTY)
    again = post(api(xworld, "visitor"), url, signing(exchange, "visitor"))
    assert again.status_code == 409
    assert post(api(xworld, "visitor"), url, signing(exchange, "king")).status_code == 422


def test_signing_needs_an_approved_grant(xworld):
    exchange = ready_to_sign(xworld)
    Exchange.objects.filter(pk=exchange.pk).update(grant_approved_at=None)
    response = post(
        api(xworld, "visitor"),
        f"/api/exchanges/{exchange.reference}/agreement/signatures",
        signing(exchange, "visitor"),
    )
    assert response.status_code == 422
    messages = " ".join(error["msg"] for error in response.json()["detail"])
    assert "grant" in messages
    assert not AgreementSignature.objects.exists()


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_update_report(xworld, role):
    exchange = in_progress(xworld)
    response = patch(
        api(xworld, role),
        f"/api/exchanges/{exchange.reference}/report",
        {"activities": "Lab work", "results": "Two pilots", "testimonial_consent": True},
    )
    assert response.status_code == expected(role, {"visitor"}, PARTIES)
    exchange.refresh_from_db()
    assert (exchange.report_activities == "Lab work") is (role == "visitor")


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_upload_evidence(xworld, role):
    exchange = in_progress(xworld)
    response = api(xworld, role).post(
        f"/api/exchanges/{exchange.reference}/evidence",
        {"file": SimpleUploadedFile("boarding.png", PNG, content_type="image/png"), "kind": "travel"},
    )
    assert response.status_code == expected(role, {"visitor"}, PARTIES, ok=201)
    assert exchange.evidence.exists() is (role == "visitor")
    if role == "visitor":
        assert response.json()["content_type"] == "image/png"
        assert response.json()["kind"] == "travel"


def test_upload_refuses_a_file_that_is_not_what_it_claims(xworld):
    exchange = in_progress(xworld)
    response = api(xworld, "visitor").post(
        f"/api/exchanges/{exchange.reference}/evidence",
        {"file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert not exchange.evidence.exists()


@pytest.mark.parametrize("role", EXCHANGE_ROLES)
def test_host_confirmation(xworld, role):
    exchange = in_progress(xworld)
    response = post(api(xworld, role), f"/api/exchanges/{exchange.reference}/host-confirmation")
    assert response.status_code == expected(role, {"host"}, PARTIES)
    exchange.refresh_from_db()
    assert (exchange.host_confirmed_at is not None) is (role == "host")


# The whole way through the API ------------------------------------------------------------------------


@pytest.mark.date_sensitive
def test_full_lifecycle_through_the_api(xworld):
    visitor, host = api(xworld, "visitor"), api(xworld, "host")
    partnership = api(xworld, "visitor_partnership")
    today = timezone.localdate()
    created = post(
        visitor,
        "/api/exchanges",
        {
            "programme": "TEST",
            "visitor_organisation": xworld.base.org_a1.slug,
            "motivation": "Learn robot testing",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=9)).isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    url = f"/api/exchanges/{created.json()['reference']}"
    assert post(visitor, f"{url}/actions/submit").json()["state"] == "submitted"
    assert post(partnership, f"{url}/actions/validate").json()["state"] == "validated"
    preview = visitor.get(f"{url}/grant-assessment", {"host": xworld.base.org_b1.slug}).json()
    assert preview["eligible"] is True
    asked = post(visitor, f"{url}/host-requests", {"host": xworld.base.org_b1.slug, "message": "Hello"})
    assert asked.status_code == 201
    answer = post(host, f"{url}/host-requests/{asked.json()['id']}/answer", {"accept": True})
    assert answer.json()["state"] == "matched"
    approved = post(partnership, f"{url}/grant/approve").json()
    assert approved["grant"]["amount_eur"] == preview["lump_sum_eur"]
    patch(visitor, f"{url}/agreement", {"goals": "G", "objectives": "O", "agenda": "A"})
    for role, party in SIGNING_PARTY.items():
        exchange = Exchange.objects.get(reference=url.rsplit("/", 1)[1])
        post(api(xworld, role), f"{url}/agreement/signatures", signing(exchange, party))
    assert host.get(url).json()["state"] == "agreement_signed"
    assert post(host, f"{url}/actions/start").json()["state"] == "in_progress"
    last_day = today + timedelta(days=9)  # the closing steps open on the stay's last day
    with time_machine.travel(
        datetime.combine(last_day, time(17), tzinfo=timezone.get_current_timezone()), tick=False
    ):
        patch(visitor, f"{url}/report", {"activities": "Lab work", "results": "A pilot"})
        visitor.post(f"{url}/evidence", {"file": SimpleUploadedFile("ticket.png", PNG)})
        assert post(visitor, f"{url}/actions/submit_report").json()["state"] == "report_submitted"
        refused = post(partnership, f"{url}/actions/validate_report")
        assert refused.status_code == 422
        assert "host has not yet confirmed" in refused.json()["detail"][0]["msg"]
        post(host, f"{url}/host-confirmation")
        assert post(partnership, f"{url}/actions/validate_report").json()["state"] == "report_validated"
        paid = post(
            partnership,
            f"{url}/actions/record_payment",
            {"amount": approved["grant"]["amount_eur"], "paid_on": last_day.isoformat()},
        )
        assert paid.json()["state"] == "paid"
        certified = post(partnership, f"{url}/actions/certify").json()
        assert certified["state"] == "certified"
        assert certified["certificate_code"]
        assert certified["actions"] == []
