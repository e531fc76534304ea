"""Signatures that bind the signer: own role only, the account's name, the password (or the second factor)
again, the document's hash kept and printed, and a changed agreement withdraws earlier signatures."""

import hashlib
import json
import time
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from clusterxchange.accounts.models import ApiToken
from clusterxchange.core.models import AuditEntry
from clusterxchange.exchanges import documents, domain
from clusterxchange.exchanges.agreement import canonical_content, document_sha256
from clusterxchange.exchanges.models import AgreementSignature, Exchange
from tests.exchanges.conftest import signing

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(xworld) -> Exchange:
    return xworld.new_exchange(
        "matched",
        agreement_goals="Learn",
        agreement_objectives="Test lines",
        agreement_agenda="Day 1: lab",
        grant_amount_eur=Decimal("1000.00"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
    )


def test_the_hash_is_the_sha256_of_the_canonical_content(ready):
    content = json.loads(canonical_content(ready))
    assert content["goals"] == "Learn" and content["grant_eur"] == "1000.00"
    assert content["reference"] == ready.reference and content["host"] == ready.host_organisation.slug
    assert document_sha256(ready) == hashlib.sha256(canonical_content(ready)).hexdigest()
    ready.agreement_agenda = "Day 1: lab; day 2: line"
    assert (
        document_sha256(ready)
        != hashlib.sha256(canonical_content(Exchange.objects.get(pk=ready.pk))).hexdigest()
    )


def test_the_record_keeps_time_account_role_and_hash_with_the_accounts_name(xworld, ready):
    visitor = xworld.users["visitor"]
    visitor.first_name, visitor.last_name = "Amélie", "Durand"
    visitor.save()
    domain.sign_agreement(visitor, ready, **signing(ready, "visitor"))
    signature = AgreementSignature.objects.get(exchange=ready)
    assert (signature.party, signature.signed_by, signature.signatory_name) == (
        "visitor",
        visitor,
        "Amélie Durand",
    )
    assert signature.document_sha256 == document_sha256(ready) and signature.signed_at is not None
    entry = AuditEntry.objects.get(object_id=str(ready.pk), action="exchanges.sign_agreement")
    assert entry.changes["sha256"] == signature.document_sha256 and entry.actor == visitor
    html = documents.agreement_html(Exchange.objects.get(pk=ready.pk))
    assert "Amélie Durand &lt;owner@test.example&gt;" in html
    assert html.count(signature.document_sha256) == 2  # the document's hash and the signed version


def test_a_wrong_password_is_refused_logged_and_nothing_is_recorded(xworld, ready, caplog):
    with pytest.raises(ValidationError, match="password is not correct"):
        domain.sign_agreement(xworld.users["visitor"], ready, **signing(ready, "visitor", password="guess"))
    assert not AgreementSignature.objects.exists()
    assert "signature refused: wrong password by owner@test.example" in caplog.text


def test_nobody_signs_for_another_role(xworld, ready):
    for role, party in (("visitor", "host"), ("host", "visitor"), ("coordinator", "visitor_partnership")):
        with pytest.raises(PermissionDenied, match="your own role"):
            domain.sign_agreement(xworld.users[role], ready, **signing(ready, party))
    assert not AgreementSignature.objects.exists()


def test_a_signer_who_read_another_version_is_refused(xworld, ready):
    stale = signing(ready, "host")
    domain.update_agreement(xworld.users["visitor"], ready, {"agreement_agenda": "Day 1: lab; day 2: line"})
    with pytest.raises(ValidationError, match="changed since you read it"):
        domain.sign_agreement(xworld.users["host"], ready, **stale)
    domain.sign_agreement(xworld.users["host"], ready, **signing(ready, "host"))


def test_a_changed_agreement_withdraws_the_earlier_signatures(xworld, ready):
    for role in ("visitor", "host", "visitor_partnership"):
        domain.sign_agreement(xworld.users[role], ready, **signing(ready, role))
    domain.update_agreement(xworld.users["host"], ready, {"agreement_goals": "Learn more"})
    assert not AgreementSignature.objects.filter(exchange=ready).exists()
    entry = AuditEntry.objects.get(object_id=str(ready.pk), action="exchanges.signatures_withdrawn")
    assert entry.changes["parties"] == "host, visitor, visitor_partnership"
    for role in ("visitor", "host", "visitor_partnership", "host_partnership"):
        ready = domain.sign_agreement(xworld.users[role], ready, **signing(ready, role))
    assert ready.state == "agreement_signed"


def test_with_two_factor_login_the_code_is_asked_not_the_password(xworld, ready):
    visitor = xworld.users["visitor"]
    secret = generate_totp_secret()
    TOTP.activate(visitor, secret)
    with pytest.raises(ValidationError, match="authenticator app is not correct"):
        domain.sign_agreement(visitor, ready, **signing(ready, "visitor"))
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    domain.sign_agreement(visitor, ready, **signing(ready, "visitor", password="", code=code))
    assert AgreementSignature.objects.filter(exchange=ready, party="visitor").exists()


def test_the_api_refuses_each_bad_signature_with_the_reason(xworld, ready):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(xworld.users['visitor'], 'test')[1]}"}
    url = f"/api/exchanges/{ready.reference}/agreement/signatures"

    def send(body):
        return client.post(url, body, content_type="application/json", **headers)

    wrong_password = send(signing(ready, "visitor", password="guess"))
    assert wrong_password.status_code == 422 and "password" in wrong_password.content.decode()
    other_role = send(signing(ready, "host"))
    assert other_role.status_code == 403 and "your own role" in other_role.json()["detail"]
    changed = send(signing(ready, "visitor", document_sha256="0" * 64))
    assert changed.status_code == 422 and "changed since you read it" in changed.content.decode()
    assert not AgreementSignature.objects.exists()
    signed = send({**signing(ready, "visitor"), "signatory_name": "Somebody Else"})
    assert signed.status_code == 201
    agreement = signed.json()["agreement"]
    assert agreement["signatures"][0]["signatory_name"] == "owner@test.example"
    assert (
        agreement["signatures"][0]["document_sha256"]
        == agreement["document_sha256"]
        == document_sha256(ready)
    )
