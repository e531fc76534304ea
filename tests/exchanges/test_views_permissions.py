"""Permission matrix of every exchange page × the eight roles.

Conventions of the pages: anonymous users are sent to the login page (302); an exchange the user
may not view does not exist for them (404); a party that may view but not do gets 403.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clusterxchange.exchanges.models import AgreementSignature, Evidence, Exchange, HostProfile, HostRequest
from tests.exchanges.conftest import EXCHANGE_ROLES, next_monday, signing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The verification page counts look-ups per address in the cache."""
    from django.core.cache import cache

    cache.clear()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _status(response) -> int:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def _matrix(xworld, method: str, url: str, data=None) -> dict[str, object]:
    results = {}
    for role in EXCHANGE_ROLES:
        client = xworld.client(role)
        response = client.get(url) if method == "get" else client.post(url, data or {})
        results[role] = _status(response)
    return results


def _expect(**statuses):
    """Expected statuses; roles not named default to 404 (anonymous: login)."""
    expected = dict.fromkeys(EXCHANGE_ROLES, 404)
    expected["anonymous"] = "login"
    expected.update(statuses)
    return expected


PARTIES = {
    "visitor": 200,
    "host": 200,
    "visitor_partnership": 200,
    "host_partnership": 200,
    "coordinator": 200,
}


def _with_evidence(xworld, exchange):
    evidence = Evidence(
        exchange=exchange,
        kind="travel",
        original_name="boarding-pass.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=len(PDF_BYTES),
    )
    evidence.file.save("boarding-pass.pdf", SimpleUploadedFile("boarding-pass.pdf", PDF_BYTES), save=False)
    evidence.save()
    return evidence


def _certified(xworld):
    return xworld.new_exchange(
        state="certified",
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
        paid_amount_eur=Decimal("1000"),
        paid_on=timezone.localdate(),
        certificate_code="0123456789ABCDEF",
        certified_at=timezone.now(),
    )


# Pages (GET) -------------------------------------------------------------------------------------


def test_list_page(xworld):
    assert _matrix(xworld, "get", reverse("exchanges:list")) == {
        **dict.fromkeys(EXCHANGE_ROLES, 200),
        "anonymous": "login",
    }


def test_lists_never_show_others_exchanges(xworld):
    """Each role sees exactly the exchanges it is a party to, in the list and with every filter."""
    base = xworld.base
    draft = xworld.new_exchange()
    matched = xworld.new_exchange(state="matched")
    validated_b = xworld.new_exchange(
        state="validated",
        visitor_organisation=base.org_a2,
        visitor_partner=base.programme.partners.get(cluster=base.cluster_a),
    )
    HostRequest.objects.create(exchange=validated_b, host_organisation=base.org_b1, message="Hello")
    expected = {
        "visitor": {draft, matched},
        "host": {matched, validated_b},  # validated_b: a pending request to the host
        "visitor_partnership": {draft, matched, validated_b},
        "host_partnership": {matched},
        "coordinator": {draft, matched, validated_b},
        "same_cluster": {validated_b},
        "outsider": set(),
    }
    for role, exchanges in expected.items():
        client = xworld.client(role)
        for query in ("", "?scope=visitor", "?scope=host", "?scope=partnership", "?state=matched", "?q=CX"):
            content = client.get(reverse("exchanges:list") + query).content.decode()
            shown = {e for e in (draft, matched, validated_b) if e.reference in content}
            assert shown <= exchanges, (role, query, shown)
            if not query:
                assert shown == exchanges, (role, shown)


def test_application_form(xworld):
    # Members of any organisation may apply; the coordinator has no organisation.
    assert _matrix(xworld, "get", reverse("exchanges:create")) == {
        **dict.fromkeys(EXCHANGE_ROLES, 200),
        "coordinator": 403,
        "anonymous": "login",
    }


def test_apply_for_an_organisation(xworld):
    """Only a member of the visiting organisation applies for it; others are refused (nothing saved)."""
    start = next_monday()
    data = {
        "programme": xworld.base.programme.pk,
        "visitor_organisation": xworld.base.org_a1.pk,
        "motivation": "Learn",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=4)).isoformat(),
    }
    results = {}
    for role in EXCHANGE_ROLES:
        response = xworld.client(role).post(reverse("exchanges:create"), data)
        results[role] = (_status(response), Exchange.objects.exists())
        Exchange.objects.all().delete()
    # Others see the form again with "Select a valid choice" (200); the coordinator may not apply.
    assert results == {
        **dict.fromkeys(EXCHANGE_ROLES, (200, False)),
        "visitor": (302, True),
        "coordinator": (403, False),
        "anonymous": ("login", False),
    }


def test_edit_draft_saved(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(),
        lambda client, exchange: client.post(
            reverse("exchanges:edit", args=[exchange.reference]),
            {
                "motivation": "Changed",
                "start_date": exchange.start_date.isoformat(),
                "end_date": exchange.end_date.isoformat(),
            },
        ),
        lambda exchange: Exchange.objects.get(pk=exchange.pk).motivation == "Changed",
    )
    assert results == _expect_actions({"visitor"}, visitor_partnership=403, coordinator=403)


def test_register_a_host_profile(xworld):
    """Each member registers its own organisation (the form offers only those)."""
    results = {}
    for role in EXCHANGE_ROLES:
        user = xworld.users[role]
        organisation = user.memberships.first().organisation if user and user.memberships.exists() else None
        data = {
            "programme": xworld.base.programme.pk,
            "organisation": organisation.pk if organisation else xworld.base.org_a1.pk,
            "offer": "We show our lab",
        }
        response = xworld.client(role).post(reverse("exchanges:host_profile_register"), data)
        results[role] = (_status(response), HostProfile.objects.exists())
        HostProfile.objects.all().delete()
    assert results == {
        **dict.fromkeys(EXCHANGE_ROLES, (302, True)),
        "coordinator": (403, False),
        "anonymous": ("login", False),
    }


def test_edit_draft(xworld):
    exchange = xworld.new_exchange()
    assert _matrix(xworld, "get", reverse("exchanges:edit", args=[exchange.reference])) == _expect(
        visitor=200, visitor_partnership=403, coordinator=403
    )


@pytest.mark.parametrize("state", ["draft", "submitted", "validated"])
def test_detail_before_a_host(xworld, state):
    exchange = xworld.new_exchange(state=state)
    assert _matrix(xworld, "get", exchange.get_absolute_url()) == _expect(
        visitor=200, visitor_partnership=200, coordinator=200
    )


@pytest.mark.parametrize("state", ["matched", "in_progress", "certified"])
def test_detail_with_a_host(xworld, state):
    exchange = xworld.new_exchange(state=state)
    assert _matrix(xworld, "get", exchange.get_absolute_url()) == _expect(**PARTIES)


def test_detail_for_an_asked_host(xworld):
    exchange = xworld.new_exchange(state="validated")
    HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
    assert _matrix(xworld, "get", exchange.get_absolute_url()) == _expect(
        visitor=200, host=200, visitor_partnership=200, coordinator=200
    )


def test_host_search(xworld):
    exchange = xworld.new_exchange(state="validated")
    assert _matrix(xworld, "get", reverse("exchanges:hosts", args=[exchange.reference])) == _expect(
        visitor=200, visitor_partnership=403, coordinator=403
    )


def test_agreement_pdf(xworld):
    exchange = xworld.new_exchange(state="matched")
    assert _matrix(xworld, "get", reverse("exchanges:agreement_pdf", args=[exchange.reference])) == _expect(
        **PARTIES
    )


def test_agreement_pdf_not_for_a_host_only_asked(xworld):
    exchange = xworld.new_exchange(state="validated")
    HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
    response = xworld.client("host").get(reverse("exchanges:agreement_pdf", args=[exchange.reference]))
    assert response.status_code == 403


def test_certificate_pdf(xworld):
    exchange = _certified(xworld)
    assert _matrix(xworld, "get", reverse("exchanges:certificate_pdf", args=[exchange.reference])) == _expect(
        **PARTIES
    )


def test_certificate_pdf_only_once_certified(xworld):
    exchange = xworld.new_exchange(state="paid")
    assert (
        _matrix(xworld, "get", reverse("exchanges:certificate_pdf", args=[exchange.reference])) == _expect()
    )


def test_evidence_download(xworld):
    exchange = xworld.new_exchange(state="report_submitted")
    evidence = _with_evidence(xworld, exchange)
    url = reverse("exchanges:evidence", args=[exchange.reference, evidence.pk])
    assert _matrix(xworld, "get", url) == _expect(
        visitor=200, host=200, visitor_partnership=200, host_partnership=403, coordinator=200
    )


def test_evidence_of_another_exchange_is_not_found(xworld):
    mine = xworld.new_exchange(state="in_progress")
    other = xworld.new_exchange(
        state="in_progress",
        visitor_organisation=xworld.base.org_a2,
        visitor_partner=xworld.base.programme.partners.get(cluster=xworld.base.cluster_a),
    )
    evidence = _with_evidence(xworld, other)
    response = xworld.client("visitor").get(reverse("exchanges:evidence", args=[mine.reference, evidence.pk]))
    assert response.status_code == 404


def test_budget(xworld):
    assert _matrix(xworld, "get", reverse("exchanges:budget")) == {
        "visitor": 403,
        "host": 403,
        "visitor_partnership": 200,
        "host_partnership": 200,
        "coordinator": 200,
        "same_cluster": 403,
        "outsider": 403,
        "anonymous": "login",
    }


def test_verification_is_public(xworld):
    exchange = _certified(xworld)
    assert _matrix(xworld, "get", reverse("exchanges:verify")) == dict.fromkeys(EXCHANGE_ROLES, 200)
    assert _matrix(
        xworld, "get", reverse("exchanges:verify_code", args=[exchange.certificate_code])
    ) == dict.fromkeys(EXCHANGE_ROLES, 200)
    assert _matrix(
        xworld, "get", reverse("exchanges:verify_code", args=["FFFFFFFFFFFFFFFF"])
    ) == dict.fromkeys(EXCHANGE_ROLES, 404)


def test_host_profile_pages(xworld):
    assert _matrix(xworld, "get", reverse("exchanges:host_profiles")) == {
        **dict.fromkeys(EXCHANGE_ROLES, 200),
        "anonymous": "login",
    }
    assert _matrix(xworld, "get", reverse("exchanges:host_profile_register")) == {
        **dict.fromkeys(EXCHANGE_ROLES, 200),
        "coordinator": 403,
        "anonymous": "login",
    }


# Actions (POST): who may, and that nobody else changes anything ----------------------------------


def _each_role(xworld, make, post, succeeded):
    """For every role: a fresh object, the POST, and whether it took effect; returns statuses."""
    results = {}
    for role in EXCHANGE_ROLES:
        obj = make()
        response = post(xworld.client(role), obj)
        results[role] = (_status(response), succeeded(obj))
        if isinstance(obj, Exchange):  # the next role starts afresh (visit-once rule)
            obj.delete()
    return results


def _expect_actions(allowed: set[str], **statuses):
    expected = {}
    for role in EXCHANGE_ROLES:
        if role in allowed:
            expected[role] = (302, True)
        elif role == "anonymous":
            expected[role] = ("login", False)
        else:
            expected[role] = (statuses.get(role, 404), False)
    return expected


def _state_is(state):
    def check(exchange):
        exchange.refresh_from_db()
        return exchange.state == state

    return check


def _post_to(name, data=None, extra_args=()):
    def post(client, exchange):
        return client.post(reverse(f"exchanges:{name}", args=[exchange.reference, *extra_args]), data or {})

    return post


def test_submit(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(),
        _post_to("transition", extra_args=["submit"]),
        _state_is("submitted"),
    )
    assert results == _expect_actions({"visitor"}, visitor_partnership=403, coordinator=403)


def test_validate(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="submitted"),
        _post_to("transition", extra_args=["validate"]),
        _state_is("validated"),
    )
    assert results == _expect_actions({"visitor_partnership", "coordinator"}, visitor=403)


def test_cancel_needs_partnership(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="matched"),
        _post_to("transition", {"comment": "Budget withdrawn"}, extra_args=["cancel"]),
        _state_is("cancelled"),
    )
    assert results == _expect_actions(
        {"visitor_partnership", "coordinator"}, visitor=403, host=403, host_partnership=403
    )


def test_unknown_transition_is_not_found(xworld):
    exchange = xworld.new_exchange()
    client = xworld.client("visitor")
    assert (
        client.post(reverse("exchanges:transition", args=[exchange.reference, "explode"])).status_code == 404
    )
    assert (
        client.post(reverse("exchanges:transition", args=[exchange.reference, "record_payment"])).status_code
        == 404
    )


def test_transitions_refuse_get(xworld):
    exchange = xworld.new_exchange()
    response = xworld.client("visitor").get(
        reverse("exchanges:transition", args=[exchange.reference, "submit"])
    )
    assert response.status_code == 405


def test_bulk_validate(xworld):
    def post(client, exchange):
        return client.post(
            reverse("exchanges:bulk"), {"action": "validate", "references": [exchange.reference]}
        )

    results = _each_role(xworld, lambda: xworld.new_exchange(state="submitted"), post, _state_is("validated"))
    # Roles that cannot validate are sent back to the list with the reason (or "not found").
    assert {role: outcome[1] for role, outcome in results.items()} == {
        role: role in {"visitor_partnership", "coordinator"} for role in EXCHANGE_ROLES
    }
    assert results["anonymous"] == ("login", False)


def test_request_host(xworld):
    def post(client, exchange):
        return client.post(
            reverse("exchanges:request_host", args=[exchange.reference]),
            {"host": xworld.base.org_b1.pk, "message": "May we visit you?"},
        )

    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="validated"),
        post,
        lambda exchange: exchange.host_requests.filter(status="pending").exists(),
    )
    assert results == _expect_actions({"visitor"}, visitor_partnership=403, coordinator=403)


def test_respond_to_host_request(xworld):
    def make():
        exchange = xworld.new_exchange(state="validated")
        HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
        return exchange

    def post(client, exchange):
        host_request = exchange.host_requests.get()
        return client.post(
            reverse("exchanges:respond_request", args=[exchange.reference, host_request.pk]),
            {"decision": "accept", "response": "Welcome"},
        )

    results = _each_role(xworld, make, post, _state_is("matched"))
    assert results == _expect_actions({"host"}, visitor=403, visitor_partnership=403, coordinator=403)


def test_withdraw_host_request(xworld):
    def make():
        exchange = xworld.new_exchange(state="validated")
        HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hello")
        return exchange

    def post(client, exchange):
        host_request = exchange.host_requests.get()
        return client.post(reverse("exchanges:withdraw_request", args=[exchange.reference, host_request.pk]))

    results = _each_role(
        xworld, make, post, lambda exchange: exchange.host_requests.get().status == "withdrawn"
    )
    assert results == _expect_actions({"visitor"}, host=403, visitor_partnership=403, coordinator=403)


def test_approve_grant(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="matched"),
        _post_to("approve_grant"),
        lambda exchange: type(exchange).objects.get(pk=exchange.pk).grant_approved,
    )
    assert results == _expect_actions(
        {"visitor_partnership", "coordinator"}, visitor=403, host=403, host_partnership=403
    )


def test_edit_agreement(xworld):
    data = {"agreement_goals": "G", "agreement_objectives": "O", "agreement_agenda": "A"}
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="matched"),
        _post_to("agreement", data),
        lambda exchange: type(exchange).objects.get(pk=exchange.pk).agreement_goals == "G",
    )
    assert results == _expect_actions(
        {"visitor", "host"}, visitor_partnership=403, host_partnership=403, coordinator=403
    )


def _signable(xworld):
    return xworld.new_exchange(
        state="matched",
        agreement_goals="G",
        agreement_objectives="O",
        agreement_agenda="A",
        grant_amount_eur=Decimal("1000"),
        grant_approved_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "party, signers",
    [
        ("visitor", {"visitor"}),
        ("host", {"host"}),
        ("visitor_partnership", {"visitor_partnership"}),
        ("host_partnership", {"host_partnership"}),
    ],
)
def test_sign_for_a_party(xworld, party, signers):
    results = _each_role(
        xworld,
        lambda: _signable(xworld),
        lambda client, exchange: client.post(
            reverse("exchanges:sign", args=[exchange.reference]), signing(exchange, party)
        ),
        lambda exchange: AgreementSignature.objects.filter(exchange=exchange, party=party).exists(),
    )
    parties_not_signing = {role: 403 for role in PARTIES if role not in signers}
    assert results == _expect_actions(signers, **parties_not_signing)


def test_save_report(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="in_progress"),
        _post_to("report", {"report_activities": "Visited labs", "report_results": "A contract"}),
        lambda exchange: type(exchange).objects.get(pk=exchange.pk).report_activities == "Visited labs",
    )
    assert results == _expect_actions(
        {"visitor"}, host=403, visitor_partnership=403, host_partnership=403, coordinator=403
    )


def test_upload_evidence(xworld):
    def post(client, exchange):
        upload = SimpleUploadedFile("ticket.pdf", PDF_BYTES, content_type="application/pdf")
        return client.post(
            reverse("exchanges:evidence_upload", args=[exchange.reference]),
            {"kind": "travel", "file": upload},
        )

    results = _each_role(
        xworld, lambda: xworld.new_exchange(state="in_progress"), post, lambda e: e.evidence.exists()
    )
    assert results == _expect_actions(
        {"visitor"}, host=403, visitor_partnership=403, host_partnership=403, coordinator=403
    )


def test_remove_evidence(xworld):
    def make():
        exchange = xworld.new_exchange(state="in_progress")
        _with_evidence(xworld, exchange)
        return exchange

    def post(client, exchange):
        evidence = exchange.evidence.get()
        return client.post(reverse("exchanges:evidence_remove", args=[exchange.reference, evidence.pk]))

    results = _each_role(xworld, make, post, lambda e: not e.evidence.exists())
    assert results == _expect_actions(
        {"visitor"}, host=403, visitor_partnership=403, host_partnership=403, coordinator=403
    )


def test_host_confirmation(xworld):
    results = _each_role(
        xworld,
        lambda: xworld.new_exchange(state="in_progress"),
        _post_to("confirm"),
        lambda exchange: type(exchange).objects.get(pk=exchange.pk).host_confirmed_at is not None,
    )
    assert results == _expect_actions(
        {"host"}, visitor=403, visitor_partnership=403, host_partnership=403, coordinator=403
    )


def test_record_payment(xworld):
    def make():
        return xworld.new_exchange(
            state="report_validated",
            grant_amount_eur=Decimal("1000"),
            grant_approved_at=timezone.now() - timedelta(days=30),
            report_validated_at=timezone.now() - timedelta(days=2),
        )

    data = {"amount": "1000", "paid_on": timezone.localdate().isoformat()}
    results = _each_role(xworld, make, _post_to("payment", data), _state_is("paid"))
    assert results == _expect_actions(
        {"visitor_partnership", "coordinator"}, visitor=403, host=403, host_partnership=403
    )


def test_validate_host_profile(xworld):
    def make():
        HostProfile.objects.filter(organisation=xworld.base.org_a2).delete()
        return HostProfile.objects.create(
            programme=xworld.base.programme, organisation=xworld.base.org_a2, offer="Our cloud lab"
        )

    def post(client, profile):
        return client.post(
            reverse("exchanges:host_profile_decide", args=[profile.pk]), {"decision": "validate"}
        )

    results = _each_role(
        xworld, make, post, lambda profile: HostProfile.objects.get(pk=profile.pk).status == "validated"
    )
    assert results == _expect_actions(
        {"visitor_partnership", "coordinator"},
        visitor=403,
        host=403,
        host_partnership=403,
        same_cluster=403,
        outsider=403,
    )
