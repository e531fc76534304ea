"""The exchange pages through the web: happy paths, and refusals shown with their reason."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterxchange.exchanges import documents
from clusterxchange.exchanges.agreement import document_sha256
from clusterxchange.exchanges.models import AgreementSignature, Evidence, Exchange, HostProfile, HostRequest
from clusterxchange.exchanges.views import hosts
from clusterxchange.programmes.models import PartnerCluster, Programme
from tests.conftest import make_org, make_user
from tests.exchanges.conftest import next_monday, signing

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def page_text(response) -> str:
    return response.content.decode()


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True, timeout=30
    )
    return result.stdout.decode()


def _partner(xworld, cluster):
    return xworld.base.programme.partners.get(cluster=cluster)


# Applications ------------------------------------------------------------------------------------


def test_apply_with_the_programme_preselected(xworld):
    client = xworld.client("visitor")
    form_page = page_text(client.get(reverse("exchanges:create")))
    assert f'<option value="{xworld.base.programme.pk}" selected>' in form_page
    start = next_monday()
    response = client.post(
        reverse("exchanges:create"),
        {
            "programme": xworld.base.programme.pk,
            "visitor_organisation": xworld.base.org_a1.pk,
            "visitor_person": xworld.base.person_a1.pk,
            "motivation": "Learn how Basque robotics firms test sensors",
            "goals": "Two pilot projects",
            "preferences": "Spain, robotics",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=4)).isoformat(),
        },
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302 and response["Location"] == exchange.get_absolute_url()
    assert (exchange.state, exchange.visitor_person, exchange.created_by) == (
        "draft",
        xworld.base.person_a1,
        xworld.users["visitor"],
    )
    detail = page_text(client.get(exchange.get_absolute_url()))
    assert "Draft" in detail and "Application created" in detail and ">Submit</button>" in detail


def test_an_ended_programme_is_not_offered_for_a_new_application(xworld):
    """The partner clusters of a programme that ended are partners of the running one too: the form
    offers the running one only (preselected), not the ended call."""
    running = xworld.base.programme
    ended = Programme.objects.create(
        name="Ended call",
        acronym="ENDED",
        slug="ended",
        start_date=timezone.localdate() - timedelta(days=900),
        end_date=timezone.localdate() - timedelta(days=100),
    )
    for partner in running.partners.all():
        PartnerCluster.objects.create(programme=ended, cluster=partner.cluster)
    form_page = page_text(xworld.client("visitor").get(reverse("exchanges:create")))
    assert f'<option value="{running.pk}" selected>' in form_page
    assert ">ENDED</option>" not in form_page


@pytest.mark.date_sensitive
def test_apply_refuses_bad_dates_and_foreign_people(xworld):
    client = xworld.client("visitor")
    other_person = xworld.base.org_b1.people.create(first_name="Iker", last_name="Etxeberria")
    start = next_monday()
    data = {
        "programme": xworld.base.programme.pk,
        "visitor_organisation": xworld.base.org_a1.pk,
        "motivation": "Learn",
        "start_date": start.isoformat(),
        "end_date": (start - timedelta(days=2)).isoformat(),
    }
    response = client.post(reverse("exchanges:create"), data)
    assert "The last day cannot be before the first day." in page_text(response)
    past = timezone.localdate() - timedelta(days=10)
    response = client.post(
        reverse("exchanges:create"),
        {**data, "start_date": past.isoformat(), "end_date": (past + timedelta(days=3)).isoformat()},
    )
    assert "The stay cannot start in the past." in page_text(response)
    response = client.post(
        reverse("exchanges:create"),
        {**data, "end_date": (start + timedelta(days=3)).isoformat(), "visitor_person": other_person.pk},
    )
    assert "Select a valid choice" in page_text(response)  # not a person of the user's organisations
    response = client.post(
        reverse("exchanges:create"),
        {
            **data,
            "visitor_organisation": xworld.base.org_b1.pk,
            "end_date": (start + timedelta(days=3)).isoformat(),
        },
    )
    assert "Select a valid choice" in page_text(response)  # not the user's organisation
    assert not Exchange.objects.exists()


def test_edit_a_draft_only(xworld):
    exchange = xworld.new_exchange()
    client = xworld.client("visitor")
    url = reverse("exchanges:edit", args=[exchange.reference])
    response = client.post(
        url,
        {
            "motivation": "A better motivation",
            "start_date": exchange.start_date.isoformat(),
            "end_date": exchange.end_date.isoformat(),
        },
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.motivation == "A better motivation"
    exchange.state = "submitted"
    exchange.save()
    response = client.get(url, follow=True)
    assert "Only a draft can be edited." in page_text(response)


# Transitions -------------------------------------------------------------------------------------


def test_submit_then_an_invalid_transition_shows_the_reason(xworld):
    exchange = xworld.new_exchange()
    client = xworld.client("visitor")
    url = reverse("exchanges:transition", args=[exchange.reference, "submit"])
    response = client.post(url, follow=True)
    assert "the exchange is now “Submitted”" in page_text(response)
    response = client.post(url, follow=True)  # a second click, from a stale page
    text = page_text(response)
    assert "“Submit” is not possible while the exchange is “Submitted”" in text
    assert "Draft" in text  # the states in which it is possible
    exchange.refresh_from_db()
    assert exchange.state == "submitted"


def test_decline_needs_a_reason(xworld):
    exchange = xworld.new_exchange(state="submitted")
    client = xworld.client("visitor_partnership")
    detail = page_text(client.get(exchange.get_absolute_url()))
    assert 'name="comment"' in detail and ">Decline</button>" in detail and ">Validate</button>" in detail
    url = reverse("exchanges:transition", args=[exchange.reference, "decline"])
    assert "Please give a reason." in page_text(client.post(url, {"comment": " "}, follow=True))
    exchange.refresh_from_db()
    assert exchange.state == "submitted"
    response = client.post(url, {"comment": "Not a member any more"}, follow=True)
    exchange.refresh_from_db()
    assert exchange.state == "declined" and exchange.closing_reason == "Not a member any more"
    assert "Not a member any more" in page_text(response)


def test_bulk_validation_reports_each_failure(xworld):
    base = xworld.base
    first = xworld.new_exchange(state="submitted")
    second = xworld.new_exchange(
        state="submitted", visitor_organisation=base.org_a2, visitor_partner=_partner(xworld, base.cluster_a)
    )
    draft = xworld.new_exchange(
        visitor_organisation=base.cluster_a, visitor_partner=_partner(xworld, base.cluster_a)
    )
    client = xworld.client("visitor_partnership")
    listing = page_text(client.get(reverse("exchanges:list") + "?scope=partnership"))
    assert 'name="references"' in listing and "Apply to selected" in listing
    response = client.post(
        reverse("exchanges:bulk"),
        {
            "action": "validate",
            "references": [first.reference, second.reference, draft.reference, "CX-NOTMINE"],
            "next": reverse("exchanges:list") + "?state=submitted",
        },
    )
    assert response["Location"] == reverse("exchanges:list") + "?state=submitted"
    text = page_text(client.get(response["Location"]))
    assert "done for 2 exchanges" in text
    assert f"{draft.reference}: “Validate” is not possible while the exchange is “Draft”" in text
    assert "CX-NOTMINE: not found." in text
    assert [e.state for e in Exchange.objects.order_by("pk")] == ["validated", "validated", "draft"]


def test_bulk_action_refuses_other_hosts_next_url(xworld):
    exchange = xworld.new_exchange(state="submitted")
    response = xworld.client("coordinator").post(
        reverse("exchanges:bulk"),
        {"action": "validate", "references": [exchange.reference], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("exchanges:list")


def test_list_filters_and_pages(xworld):
    base = xworld.base
    early = xworld.new_exchange(state="submitted", start_date=next_monday(3))
    late = xworld.new_exchange(
        state="draft",
        start_date=next_monday(10),
        visitor_organisation=base.org_a2,
        visitor_partner=_partner(xworld, base.cluster_a),
    )
    client = xworld.client("coordinator")
    url = reverse("exchanges:list")

    def shown(query):
        text = page_text(client.get(url + query))
        return {e.reference for e in (early, late) if e.reference in text}

    assert shown("") == {early.reference, late.reference}
    assert shown("?state=submitted") == {early.reference}
    assert shown(f"?q={late.reference.lower()}") == {late.reference}
    assert shown("?q=beta") == {late.reference}
    assert shown(f"?start_from={next_monday(8).isoformat()}") == {late.reference}
    assert shown(f"?start_until={next_monday(5).isoformat()}") == {early.reference}
    assert shown(f"?partner={_partner(xworld, base.cluster_b).pk}") == set()
    assert shown(f"?partner={_partner(xworld, base.cluster_a).pk}") == {early.reference, late.reference}
    for _ in range(30):
        xworld.new_exchange(
            visitor_organisation=base.org_a2, visitor_partner=_partner(xworld, base.cluster_a)
        )
    text = page_text(client.get(url))
    assert "Page 1 of 2" in text


# Matching ----------------------------------------------------------------------------------------


def test_host_search_lists_only_eligible_hosts_validated_first(xworld):
    base = xworld.base
    exchange = xworld.new_exchange(state="validated")
    make_org("Roma Robotics", "IT", description="Not a participating country")
    big = make_org("Dresden Chips", "DE", "large_company", latitude=51.05, longitude=13.74)
    big.memberships_as_member.create(cluster=base.cluster_b)
    delta = base.org_b1.__class__.objects.get(name="Delta Drones")
    delta.latitude, delta.longitude = 42.85, -2.67  # Vitoria-Gasteiz
    delta.save()
    make_org("Bilbao Bits", "ES", description="No location: the distance cannot be measured")
    HostProfile.objects.create(
        programme=base.programme, organisation=delta, offer="Drone test field", status="validated"
    )
    client = xworld.client("visitor")
    response = client.get(reverse("exchanges:hosts", args=[exchange.reference]))
    text = page_text(response)
    hosts_section = text[text.index('id="hosts-title"') :]
    for name in ("Delta Drones", "Gamma Robotics", big.name):
        assert name in hosts_section
    for name in ("Roma Robotics", "Beta Software", "Alpha Sensors", "Cluster A", "Bilbao Bits"):
        assert name not in hosts_section  # country not participating; same country; itself; no location
    assert "left out" in hosts_section
    assert "The host&#x27;s location is missing, so the distance cannot be measured. (1)" in hosts_section
    assert hosts_section.index("Delta Drones") < hosts_section.index("Gamma Robotics")
    assert "Validated host" in hosts_section
    filtered = page_text(client.get(reverse("exchanges:hosts", args=[exchange.reference]) + "?country=DE"))
    filtered = filtered[filtered.index('id="hosts-title"') :]
    assert big.name in filtered and "Gamma Robotics" not in filtered


def test_host_search_offers_only_the_candidates_countries(xworld):
    exchange = xworld.new_exchange(state="validated")
    make_org("Roma Robotics", "IT", description="Not a participating country")
    response = xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference]))
    offered = {code for code, _name in response.context["filter"].form.fields["country"].choices if code}
    candidates = {str(org.country) for org in hosts.eligible_host_candidates(exchange)}
    assert offered == candidates and offered
    assert "IT" not in offered and str(exchange.visitor_organisation.country) not in offered


def test_host_search_leaves_out_types_the_rules_exclude(xworld):
    exchange = xworld.new_exchange(state="validated")
    make_org("Madrid Ministry", "ES", "public_authority")
    xworld.rules.host_types = ["sme", "cluster"]
    xworld.rules.save()
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    assert "Madrid Ministry" not in text[text.index('id="hosts-title"') :]


def test_host_search_leaves_out_hosts_unavailable_at_the_dates(xworld):
    exchange = xworld.new_exchange(state="validated")
    HostProfile.objects.create(
        programme=xworld.base.programme,
        organisation=xworld.base.org_b1,
        offer="Robot lab",
        status="validated",
        available_until=exchange.start_date + timedelta(days=1),
    )
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    hosts = text[text.index('id="hosts-title"') :]
    assert "Gamma Robotics" not in hosts and "Cluster B" in hosts


def test_host_search_is_for_validated_applications(xworld):
    exchange = xworld.new_exchange(state="submitted")
    response = xworld.client("visitor").get(
        reverse("exchanges:hosts", args=[exchange.reference]), follow=True
    )
    assert "once the partnership has validated the application" in page_text(response)


def test_suggested_hosts_are_eligible_and_explained(xworld):
    exchange = xworld.new_exchange(state="validated")
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    suggested = text[text.index('id="suggested"') : text.index("</ol>", text.index('id="suggested"'))]
    assert "Gamma Robotics" in suggested and "Cluster B" in suggested
    assert "a good fit for an SME" in suggested  # the engine's reason
    for name in ("Beta Software", "Alpha Sensors", "Delta Drones"):  # same country, itself, no location
        assert name not in suggested


def test_request_a_host_who_accepts(xworld):
    exchange = xworld.new_exchange(state="validated")
    visitor, host = xworld.client("visitor"), xworld.client("host")
    response = visitor.post(
        reverse("exchanges:request_host", args=[exchange.reference]),
        {"host": xworld.base.org_b1.pk, "message": "May we visit your robot lab?"},
        follow=True,
    )
    assert "Your request was sent to Gamma Robotics." in page_text(response)
    incoming = page_text(host.get(reverse("exchanges:list")))
    assert "Requests to host" in incoming and exchange.reference in incoming
    detail = page_text(host.get(exchange.get_absolute_url()))
    assert "May we visit your robot lab?" in detail and "Accept to host" in detail
    host_request = HostRequest.objects.get()
    response = host.post(
        reverse("exchanges:respond_request", args=[exchange.reference, host_request.pk]),
        {"decision": "accept", "response": "Welcome!"},
        follow=True,
    )
    assert "You accepted to host this exchange." in page_text(response)
    exchange.refresh_from_db()
    assert (exchange.state, exchange.host_organisation) == ("matched", xworld.base.org_b1)
    assert exchange.host_partner == _partner(xworld, xworld.base.cluster_b)


def test_a_host_in_the_visitors_country_is_refused(xworld):
    exchange = xworld.new_exchange(state="validated")
    response = xworld.client("visitor").post(
        reverse("exchanges:request_host", args=[exchange.reference]),
        {"host": xworld.base.org_a2.pk, "message": "Hello neighbours"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("exchanges:hosts", args=[exchange.reference])
    assert "country" in page_text(response).lower()
    assert not HostRequest.objects.exists()


def test_host_declines_and_visitor_withdraws(xworld):
    exchange = xworld.new_exchange(state="validated")
    first = HostRequest.objects.create(exchange=exchange, host_organisation=xworld.base.org_b1, message="Hi")
    xworld.client("host").post(
        reverse("exchanges:respond_request", args=[exchange.reference, first.pk]),
        {"decision": "decline", "response": "Fully booked"},
    )
    first.refresh_from_db()
    assert first.status == "declined"
    second = HostRequest.objects.create(
        exchange=exchange, host_organisation=xworld.base.cluster_b, message="Hi"
    )
    response = xworld.client("visitor").post(
        reverse("exchanges:withdraw_request", args=[exchange.reference, second.pk]), follow=True
    )
    assert "Your request was withdrawn." in page_text(response)
    assert "Fully booked" in page_text(response)


# Grant and agreement ---------------------------------------------------------------------------


def test_grant_preview_then_frozen_values(xworld):
    exchange = xworld.new_exchange(state="matched")
    client = xworld.client("visitor_partnership")
    text = page_text(client.get(exchange.get_absolute_url()))
    assert "Preview with the current rules" in text and "Approve the grant" in text
    response = client.post(reverse("exchanges:approve_grant", args=[exchange.reference]), follow=True)
    exchange.refresh_from_db()
    assert exchange.grant_approved and exchange.grant_amount_eur > 0
    text = page_text(response)
    assert f"€{exchange.grant_amount_eur:,}" in text and "Approved grant" in text
    assert "Preview with the current rules" not in text
    from clusterxchange.core.engine_messages import applied_rule_text

    for rule in exchange.grant_rules_applied:  # as the page writes them: amounts in its format ("€1,000.00")
        assert applied_rule_text(rule).replace("'", "&#x27;").replace('"', "&quot;") in text


def test_grant_beyond_the_budget_is_refused_with_the_reason(xworld):
    exchange = xworld.new_exchange(state="matched")
    _partner(xworld, xworld.base.cluster_a).__class__.objects.filter(pk=exchange.visitor_partner_id).update(
        grant_budget_eur=Decimal("10")
    )
    response = xworld.client("coordinator").post(
        reverse("exchanges:approve_grant", args=[exchange.reference]), follow=True
    )
    assert "would exceed the grant budget" in page_text(response)
    exchange.refresh_from_db()
    assert not exchange.grant_approved


def test_agreement_written_signed_by_all_and_downloaded(xworld):
    exchange = xworld.new_exchange(
        state="matched",
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
    )
    visitor = xworld.client("visitor")
    response = visitor.post(
        reverse("exchanges:agreement", args=[exchange.reference]),
        {"agreement_goals": "Learn testing", "agreement_objectives": "", "agreement_agenda": "Day 1: lab"},
    )
    assert "This field is required." in page_text(response)  # every part of the agreement is needed
    visitor.post(
        reverse("exchanges:agreement", args=[exchange.reference]),
        {
            "agreement_goals": "Learn testing",
            "agreement_objectives": "A joint pilot",
            "agreement_agenda": "Day 1: lab",
        },
    )
    names = {
        "visitor": "Amélie Durand",
        "host": "Iker Etxeberria",
        "visitor_partnership": "Paul Martin",
        "host_partnership": "Ane Garcia",
    }
    for role, name in names.items():  # the name a signature shows is the account's
        first, last = name.split(" ", 1)
        type(xworld.users[role]).objects.filter(pk=xworld.users[role].pk).update(
            first_name=first, last_name=last
        )
    sign_url = reverse("exchanges:sign", args=[exchange.reference])
    wrong = visitor.post(sign_url, signing(exchange, "host"))
    assert wrong.status_code == 403
    for role, name in names.items():
        client = xworld.client(role)
        detail = page_text(client.get(exchange.get_absolute_url()))
        assert f'name="party" value="{role}"' in detail
        assert f"You sign as {name}" in detail
        assert 'name="signatory_name"' not in detail
        response = client.post(sign_url, {**signing(exchange, role), "signatory_name": "Somebody Else"})
        assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == "agreement_signed"
    assert AgreementSignature.objects.filter(exchange=exchange).count() == 4
    detail = page_text(visitor.get(exchange.get_absolute_url()))
    for name in names.values():
        assert name in detail
    assert "Somebody Else" not in detail
    response = visitor.get(reverse("exchanges:agreement_pdf", args=[exchange.reference]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = documents.agreement_html(exchange)
    assert exchange.reference in html and "Ane Garcia" in html and "A joint pilot" in html
    text = pdf_text(response.content)
    assert exchange.reference in text and "Iker Etxeberria" in text and "€1,000.00" in text
    assert "Somebody Else" not in text and document_sha256(exchange) in text.replace("\n", "")


def test_signing_before_the_grant_is_refused(xworld):
    exchange = xworld.new_exchange(
        state="matched", agreement_goals="G", agreement_objectives="O", agreement_agenda="A"
    )
    response = xworld.client("visitor").post(
        reverse("exchanges:sign", args=[exchange.reference]),
        signing(exchange, "visitor"),
        follow=True,
    )
    assert "The grant must be approved before the agreement is signed." in page_text(response)
    assert not AgreementSignature.objects.exists()


# Closing ---------------------------------------------------------------------------------------


def _upload(client, exchange, name, content, kind="travel"):
    return client.post(
        reverse("exchanges:evidence_upload", args=[exchange.reference]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_report_evidence_and_submission(xworld):
    exchange = xworld.new_exchange(state="in_progress")
    client = xworld.client("visitor")
    url = reverse("exchanges:transition", args=[exchange.reference, "submit_report"])
    refused = page_text(client.post(url, follow=True))
    assert "Fill in the report first" in refused and "Upload at least one piece of evidence" in refused
    client.post(
        reverse("exchanges:report", args=[exchange.reference]),
        {
            "report_activities": "Tested sensors in the robot lab",
            "report_results": "A pilot contract",
            "testimonial": "Great week",
            "testimonial_consent": "on",
        },
    )
    assert _upload(client, exchange, "boarding-pass.pdf", PDF_BYTES).status_code == 302
    assert _upload(client, exchange, "hotel.png", PNG_BYTES, "accommodation").status_code == 302
    response = client.post(url, follow=True)
    exchange.refresh_from_db()
    assert exchange.state == "report_submitted" and exchange.testimonial_consent
    text = page_text(response)
    assert "boarding-pass.pdf" in text and "hotel.png" in text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.pdf", b"just some text, not a PDF", "This file is not a PDF, JPG, PNG file."),
        ("photo.pdf", PNG_BYTES, "The file&#x27;s name does not match its content (PNG)."),
        ("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "at most 10 MB are allowed."),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_uploads_refused(xworld, name, content, message):
    exchange = xworld.new_exchange(state="in_progress")
    response = _upload(xworld.client("visitor"), exchange, name, content)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Evidence.objects.exists()


def test_evidence_download_is_an_attachment_with_its_type(xworld):
    exchange = xworld.new_exchange(state="in_progress")
    _upload(xworld.client("visitor"), exchange, "Boarding Pass.pdf", PDF_BYTES)
    evidence = Evidence.objects.get()
    assert not evidence.file.name.endswith("Boarding Pass.pdf")  # stored under a random name
    response = xworld.client("visitor_partnership").get(
        reverse("exchanges:evidence", args=[exchange.reference, evidence.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Boarding Pass.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert b"".join(response.streaming_content) == PDF_BYTES
    for role in ("visitor", "anonymous"):  # never served from the media folder
        assert xworld.client(role).get(f"/media/{evidence.file.name}").status_code == 404


def test_host_confirms(xworld):
    exchange = xworld.new_exchange(state="report_submitted")
    client = xworld.client("host")
    assert "Confirm that the exchange took place" in page_text(client.get(exchange.get_absolute_url()))
    response = client.post(reverse("exchanges:confirm", args=[exchange.reference]), follow=True)
    assert "You confirmed that the exchange took place." in page_text(response)
    response = client.post(reverse("exchanges:confirm", args=[exchange.reference]), follow=True)
    assert "already confirmed" in page_text(response)


@pytest.mark.date_sensitive
def test_payment_defaults_to_the_grant_and_late_payments_are_flagged(xworld):
    exchange = xworld.new_exchange(
        state="report_validated",
        grant_amount_eur=Decimal("780.00"),
        grant_approved_at=timezone.now() - timedelta(days=60),
        report_validated_at=timezone.now() - timedelta(days=20),
        host_confirmed_at=timezone.now() - timedelta(days=21),
    )
    client = xworld.client("visitor_partnership")
    form_page = page_text(client.get(exchange.get_absolute_url()))
    assert 'name="amount" value="780.00"' in form_page
    url = reverse("exchanges:payment", args=[exchange.reference])
    too_much = client.post(url, {"amount": "900", "paid_on": timezone.localdate().isoformat()})
    assert "The payment cannot exceed the approved grant of €780.00." in page_text(too_much)
    future = client.post(
        url, {"amount": "780", "paid_on": (timezone.localdate() + timedelta(days=2)).isoformat()}
    )
    assert "The payment date cannot be in the future." in page_text(future)
    response = client.post(url, {"amount": "780", "paid_on": timezone.localdate().isoformat()}, follow=True)
    exchange.refresh_from_db()
    assert exchange.state == "paid" and exchange.payment_late
    text = page_text(response)
    assert "it is late" in text and "Late: due by" in text


def test_payment_on_time_is_not_flagged(xworld):
    exchange = xworld.new_exchange(
        state="report_validated",
        grant_amount_eur=Decimal("780.00"),
        grant_approved_at=timezone.now() - timedelta(days=60),
        report_validated_at=timezone.now() - timedelta(days=2),
    )
    response = xworld.client("coordinator").post(
        reverse("exchanges:payment", args=[exchange.reference]),
        {"amount": "780", "paid_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "The payment was recorded." in page_text(response) and "Late: due by" not in page_text(response)


# Certificate and verification ------------------------------------------------------------------


@pytest.fixture
def certified(xworld):
    return xworld.new_exchange(
        state="certified",
        motivation="A secret motivation",
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
        paid_amount_eur=Decimal("1000"),
        paid_on=timezone.localdate(),
        certificate_code="0123456789ABCDEF",
        certified_at=timezone.now(),
    )


def test_certificate_pdf(xworld, certified):
    response = xworld.client("visitor").get(reverse("exchanges:certificate_pdf", args=[certified.reference]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = documents.certificate_html(certified, "http://testserver/exchanges/verify/0123456789ABCDEF/")
    assert certified.reference in html and "0123456789ABCDEF" in html
    text = pdf_text(response.content)
    assert certified.reference in text and "0123456789ABCDEF" in text
    assert "/exchanges/verify/0123456789ABCDEF/" in text and "Gamma Robotics" in text


def test_verification_shows_only_the_essentials(client, certified):
    response = client.get(reverse("exchanges:verify"), {"code": " 0123-4567-89ab-cdef "})
    assert response["Location"] == reverse("exchanges:verify_code", args=["0123456789ABCDEF"])
    text = page_text(client.get(response["Location"]))
    assert "Valid certificate" in text and "Alpha Sensors" in text and "Gamma Robotics" in text
    assert "A secret motivation" not in text and "1000" not in text and certified.reference not in text


@pytest.mark.parametrize("code", ["FFFFFFFFFFFFFFFF", "not-a-code", "0123456789ABCDE"])
def test_verification_of_an_unknown_code(client, certified, code):
    response = client.get(reverse("exchanges:verify_code", args=[code]))
    assert response.status_code == 404
    assert "There is no certificate with the code" in page_text(response)
    assert "Alpha Sensors" not in page_text(response)


def test_verification_of_a_revoked_state_fails(client, certified):
    Exchange.objects.filter(pk=certified.pk).update(state="paid")
    assert client.get(reverse("exchanges:verify_code", args=["0123456789ABCDEF"])).status_code == 404


def test_verification_is_throttled(client, certified, settings):
    for _ in range(30):
        client.get(reverse("exchanges:verify_code", args=["FFFFFFFFFFFFFFFF"]))
    response = client.get(reverse("exchanges:verify_code", args=["0123456789ABCDEF"]))
    assert response.status_code == 429 and "Too many checks" in page_text(response)


# Budget ----------------------------------------------------------------------------------------


def _approved(xworld, amount, state="matched", **fields):
    organisation = make_org(f"Visitor {Exchange.objects.count()}", "FR")
    organisation.memberships_as_member.create(cluster=xworld.base.cluster_a)
    return xworld.new_exchange(
        state=state,
        visitor_organisation=organisation,
        grant_amount_eur=Decimal(amount),
        grant_approved_at=timezone.now(),
        **fields,
    )


def test_budget_for_the_coordinator_and_a_partner_manager(xworld):
    _approved(xworld, "1000")
    _approved(xworld, "500", state="paid", paid_amount_eur=Decimal("500"), paid_on=timezone.localdate())
    _approved(xworld, "700", state="cancelled")  # no longer counts
    b_exchange = xworld.new_exchange(
        state="matched",
        visitor_organisation=xworld.base.org_b1,
        visitor_partner=_partner(xworld, xworld.base.cluster_b),
        host_organisation=xworld.base.org_a1,
        host_partner=_partner(xworld, xworld.base.cluster_a),
        grant_amount_eur=Decimal("300"),
        grant_approved_at=timezone.now(),
    )
    assert b_exchange.pk
    coordinator = page_text(xworld.client("coordinator").get(reverse("exchanges:budget")))
    assert (
        '<th scope="row">Cluster A</th><td>5000.00</td><td>1500.00</td><td>500.00</td><td>3500.00</td>'
        in coordinator
    )
    assert (
        '<th scope="row">Cluster B</th><td>5000.00</td><td>300.00</td><td>0.00</td><td>4700.00</td>'
        in coordinator
    )
    assert "<td>100000.00</td><td>1800.00</td><td>500.00</td><td>98200.00</td>" in coordinator
    manager_b = page_text(xworld.client("host_partnership").get(reverse("exchanges:budget")))
    assert '<th scope="row">Cluster B</th>' in manager_b and '<th scope="row">Cluster A</th>' not in manager_b
    assert "1 other partner" in manager_b and "<td>1500.00</td>" in manager_b


def test_budget_queries_do_not_grow_with_exchanges(xworld):
    client = xworld.client("coordinator")
    _approved(xworld, "100")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("exchanges:budget"))
    for _ in range(6):
        _approved(xworld, "100")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("exchanges:budget"))
    assert len(many) == len(few)


# Host profiles ---------------------------------------------------------------------------------


def test_host_profile_registered_and_validated(xworld):
    member = xworld.client("same_cluster")
    response = member.post(
        reverse("exchanges:host_profile_register"),
        {
            "programme": xworld.base.programme.pk,
            "organisation": xworld.base.org_a2.pk,
            "offer": "Our cloud platform team shows how we run data pipelines",
            "topics": "cloud, data",
            "available_from": next_monday().isoformat(),
            "available_until": (next_monday() - timedelta(days=1)).isoformat(),
        },
    )
    assert "The end of the availability cannot be before its start." in page_text(response)
    response = member.post(
        reverse("exchanges:host_profile_register"),
        {
            "programme": xworld.base.programme.pk,
            "organisation": xworld.base.org_a2.pk,
            "offer": "Our cloud platform team shows how we run data pipelines",
            "topics": "cloud, data",
        },
        follow=True,
    )
    assert "sent to your partnership for validation" in page_text(response)
    profile = HostProfile.objects.get()
    assert profile.status == "submitted"
    manager = xworld.client("visitor_partnership")
    assert "Our cloud platform team" in page_text(manager.get(reverse("exchanges:host_profiles")))
    refused = manager.post(
        reverse("exchanges:host_profile_decide", args=[profile.pk]), {"decision": "decline"}, follow=True
    )
    assert "Please give a reason." in page_text(refused)
    manager.post(reverse("exchanges:host_profile_decide", args=[profile.pk]), {"decision": "validate"})
    profile.refresh_from_db()
    assert profile.status == "validated" and profile.validated_at is not None
    again = manager.post(
        reverse("exchanges:host_profile_decide", args=[profile.pk]), {"decision": "validate"}, follow=True
    )
    assert "only a submitted profile can be validated" in page_text(again)
    assert "Validated" in page_text(member.get(reverse("exchanges:host_profiles")))


def test_host_profile_only_for_own_organisations(xworld):
    response = xworld.client("same_cluster").post(
        reverse("exchanges:host_profile_register"),
        {"programme": xworld.base.programme.pk, "organisation": xworld.base.org_a1.pk, "offer": "Not ours"},
    )
    assert "Select a valid choice" in page_text(response)
    assert not HostProfile.objects.exists()


# Navigation ------------------------------------------------------------------------------------


def test_navigation_link_for_logged_in_users(xworld, client):
    assert 'href="/exchanges/"' not in page_text(client.get("/"))
    assert 'href="/exchanges/"' in page_text(xworld.client("same_cluster").get("/"))


def test_a_user_with_no_role_sees_an_empty_list(xworld):
    from django.test import Client

    loner = make_user("loner@test.example")
    client = Client()
    client.force_login(loner)
    text = page_text(client.get(reverse("exchanges:list")))
    assert "No exchange yet: join your organisation with the button above, then apply." in text
    assert "Apply for an exchange" not in text


def test_host_search_offers_a_request_on_each_suggested_host(xworld):
    """The top suggestions have the same (folded) request action as the list below them."""
    exchange = xworld.new_exchange(state="validated")
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    suggested = text[text.index('id="suggested"') : text.index("</ol>", text.index('id="suggested"'))]
    assert "Ask Gamma Robotics to host" in suggested
    assert 'name="host"' in suggested and 'id="message-suggested-' in suggested
    assert '<details class="host-request">' in text[text.index('id="hosts-title"') :]


def test_the_list_reads_the_users_roles_once(xworld):
    """The view asks `roles_of(request.user)` (a lazy stand-in) and the permission backend asks for
    the user it stands for: both get the answer kept on the user (core.memo), one query each."""
    with CaptureQueriesContext(connection) as queries:
        response = xworld.client("visitor_partnership").get(reverse("exchanges:list"))
    assert response.status_code == 200
    role_reads = [q["sql"] for q in queries if 'FROM "programmes_programmerole"' in q["sql"]]
    assert len(role_reads) == 1  # two before: the lazy stand-in and the user each had theirs


def test_host_search_says_the_visitors_missing_location_and_where_to_add_it(xworld):
    """A newcomer's organisation has no coordinates: every host was left out with a count and no way on."""
    exchange = xworld.new_exchange(state="validated")
    visitor = exchange.visitor_organisation
    visitor.latitude = visitor.longitude = None
    visitor.save()
    edit = reverse("directory:organisation_edit", args=[visitor.slug])
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    assert 'id="visitor-unlocated"' in text and f"{visitor.name} has its location" in text
    assert edit in text
    visitor.latitude, visitor.longitude = 40.4, -3.7
    visitor.save()
    text = page_text(xworld.client("visitor").get(reverse("exchanges:hosts", args=[exchange.reference])))
    assert 'id="visitor-unlocated"' not in text
