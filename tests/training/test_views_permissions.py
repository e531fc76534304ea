"""Permission matrix of every training page: the public sees the catalogue only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterxchange.training.models import TrainingEntry, TrainingRecord
from tests.security.test_hostile_input import UPLOADS
from tests.tandems.conftest import ROLES

ALL = dict.fromkeys(ROLES, 200)
LOGGED_IN = {**ALL, "anonymous": 302}
SECTION = {**LOGGED_IN, "same_cluster": 403, "outsider": 403}
CLUSTER_A = {**SECTION, "other_manager": 403}
COORDINATOR = {**dict.fromkeys(ROLES, 403), "coordinator": 200, "anonymous": 302}
PENDING_READERS = {**dict.fromkeys(ROLES, 404), "coordinator": 200, "same_cluster": 200}
PENDING_EDITORS = {**COORDINATOR, "same_cluster": 200}

PAGES = [
    ("catalogue", lambda t: reverse("training:catalogue"), ALL),
    ("calendar", lambda t: reverse("training:calendar"), ALL),
    ("entry", lambda t: reverse("training:entry", args=[t.entry.pk]), ALL),
    ("pending_entry", lambda t: reverse("training:entry", args=[t.pending_entry.pk]), PENDING_READERS),
    ("entry_create", lambda t: reverse("training:entry_create"), LOGGED_IN),
    ("entry_edit", lambda t: reverse("training:entry_edit", args=[t.entry.pk]), COORDINATOR),
    ("pending_edit", lambda t: reverse("training:entry_edit", args=[t.pending_entry.pk]), PENDING_EDITORS),
    ("moderation", lambda t: reverse("training:moderation"), COORDINATOR),
    ("import", lambda t: reverse("training:import"), COORDINATOR),
    ("records", lambda t: reverse("training:records"), SECTION),
    ("record_create", lambda t: reverse("training:record_create"), SECTION),
    ("record_edit", lambda t: reverse("training:record_edit", args=[t.record.pk]), CLUSTER_A),
    ("suggestions", lambda t: reverse("training:suggestions"), SECTION),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(tw, role, page, url, expected):
    response = tw.client(role).get(url(tw))
    assert response.status_code == expected[role], f"{page} as {role}"
    if expected[role] == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_lists_published_entries_only(tw, role):
    page = tw.client(role).get(reverse("training:catalogue")).content.decode()
    assert "NIS2 for cluster managers" in page
    assert "Pending branding course" not in page


@pytest.mark.parametrize("role", ROLES)
def test_moderation_follows_the_matrix(tw, role):
    response = tw.client(role).post(
        reverse("training:moderate", args=[tw.pending_entry.pk]), {"decision": "publish", "note": ""}
    )
    tw.pending_entry.refresh_from_db()
    assert (tw.pending_entry.status == "published") is (role == "coordinator")
    assert response.status_code in {302, 403}


@pytest.mark.parametrize("role", ROLES)
def test_check_links_is_for_the_coordinator(tw, role, settings):
    settings.TRAINING_LINKCHECK_ALLOW_PRIVATE = False  # .example hosts do not resolve: marked dead fast
    response = tw.client(role).post(reverse("training:check_links"))
    tw.entry.refresh_from_db()
    if role == "coordinator":
        assert response.status_code == 302
        assert tw.entry.link_status == "dead"
    else:
        assert response.status_code in {302, 403}
        assert tw.entry.link_status == "unchecked"


@pytest.mark.parametrize("role", ROLES)
def test_submitting_an_entry(tw, role):
    response = tw.client(role).post(
        reverse("training:entry_create"),
        {
            "title": f"Course by {role}",
            "provider": "P",
            "link": "https://p.example/c",
            "level": "beginner",
            "format": "self_paced",
            "cost_eur": "0",
            "topics": [tw.tandem.topic.pk],
        },
    )
    entry = TrainingEntry.objects.filter(title=f"Course by {role}").first()
    if role == "anonymous":
        assert response.status_code == 302 and entry is None
    else:
        assert response.status_code == 302
        assert entry.status == ("published" if role == "coordinator" else "pending")


@pytest.mark.parametrize("role", ROLES)
def test_recording_completion_with_certificate(tw, role):
    pdf = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 test certificate", content_type="application/pdf")
    tw.client(role).post(
        reverse("training:record_edit", args=[tw.record.pk]),
        {
            "status": "completed",
            "enrolled_on": "2023-03-01",
            "completed_on": "2023-04-01",
            "certificate": pdf,
        },
    )
    record = TrainingRecord.objects.get(pk=tw.record.pk)
    assert (record.status == "completed") is (CLUSTER_A[role] == 200)
    if CLUSTER_A[role] == 200:
        assert record.certificate.name.endswith(".pdf")
        assert "certificate.pdf" not in record.certificate.name  # stored under a generated name
    download = tw.client(role).get(reverse("training:record_certificate", args=[tw.record.pk]))
    expected = {200: 200, 403: 403, 302: 302}[CLUSTER_A[role]]
    if CLUSTER_A[role] == 200:
        assert download.status_code == 200
        assert b"%PDF" in b"".join(download.streaming_content)
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["Content-Security-Policy"].startswith("sandbox;")
        assert download["X-Content-Type-Options"] == "nosniff"
    else:
        assert download.status_code == expected


def test_a_fake_certificate_is_refused(tw):
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = tw.client("staff").post(
        reverse("training:record_edit", args=[tw.record.pk]),
        {
            "status": "completed",
            "enrolled_on": "2023-03-01",
            "completed_on": "2023-04-01",
            "certificate": fake,
        },
    )
    assert response.status_code == 200
    assert "This file is not a PDF, JPG, PNG file." in response.content.decode()
    tw.record.refresh_from_db()
    assert tw.record.status == "enrolled"


def test_bad_entries_are_refused_on_the_page(tw):
    response = tw.client("owner").post(
        reverse("training:entry_create"),
        {
            "title": "Bad",
            "provider": "P",
            "link": "ftp://p.example/c",
            "level": "beginner",
            "format": "webinar",
            "cost_eur": "-5",
            "topics": [tw.tandem.topic.pk],
            "sessions": "2026-03-04 12:00-10:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL." in page or "starts with http:// or https://" in page
    assert "The cost cannot be negative." in page
    assert not TrainingEntry.objects.filter(title="Bad").exists()


def test_suggestions_page_explains(tw):
    from clusterxchange.tandems import domain
    from clusterxchange.tandems.models import Topic

    cyber = Topic.objects.get(code="cybersecurity")
    domain.assess_capabilities(
        tw.user("staff"), tw.partner_a, tw.period_2, [domain.Rating(cyber, 2, wants_to_learn=True)]
    )
    page = tw.client("staff").get(reverse("training:suggestions")).content.decode()
    assert "Your cluster wants to learn “Cybersecurity” and rates itself 2/5" in page


@pytest.mark.parametrize("case", UPLOADS)
def test_each_hostile_certificate_is_refused_with_a_message(tw, case):
    name, content = UPLOADS[case]
    response = tw.client("staff").post(
        reverse("training:record_edit", args=[tw.record.pk]),
        {
            "status": "completed",
            "enrolled_on": "2023-03-01",
            "completed_on": "2023-04-01",
            "certificate": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    tw.record.refresh_from_db()
    assert (tw.record.status, tw.record.certificate.name) == ("enrolled", "")
