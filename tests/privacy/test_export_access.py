"""The data export and the log of who accessed another person's data."""

import io
import json
import zipfile

from django.urls import reverse

from clusterxchange.privacy import domain
from clusterxchange.privacy.models import PersonalDataAccess
from tests.privacy.conftest import PDF


def test_export_lists_everything_about_the_person(pworld):
    domain.set_listing_consent(pworld.users["self"], pworld.person, True)
    name, content = domain.export_person(pworld.users["self"], pworld.person)
    document = json.loads(content)
    assert name.startswith(f"personal-data-{pworld.person.pk}-") and name.endswith(".json")
    assert document["format"] == "clusterxchange-personal-data/1"
    assert document["person"]["email"] == "amelie@alpha.example"
    assert document["user"]["email"] == "amelie@alpha.example"
    assert document["user"]["event_staff_of"] == []  # events whose day they help at (Event.staff)
    assert [m["organisation"] for m in document["memberships"]] == ["Alpha Sensors"]
    references = {x["reference"] for x in document["exchanges"]}
    assert pworld.paid.reference in references and len(references) == 2
    paid = next(x for x in document["exchanges"] if x["reference"] == pworld.paid.reference)
    assert paid["testimonial"] == pworld.paid.testimonial and paid["motivation"] == pworld.paid.motivation
    assert document["evidence"][0]["original_name"] == "boarding-pass.pdf"
    assert document["event_registrations"][0]["profile"] == "I am Amélie, I look for robots"
    assert document["meetings"][0]["with"] == ["Alpha Sensors", "Gamma Robotics"]
    assert document["meeting_feedback"][0]["testimonial"] == "Met my future partner"
    assert document["consents"][-1]["purpose"] == "directory_listing"
    assert any(entry["action"] == "privacy.consent.listing" for entry in document["audit_entries_about_them"])
    assert document["exported_at"].endswith("Z") or "+" in document["exported_at"]  # ISO 8601
    staff = json.loads(domain.export_person(pworld.users["staff"], pworld.staff)[1])
    assert staff["training_records"][0]["course"] == "NIS2"
    assert staff["tandem_sessions"][0]["session"] == "Kick-off"
    assert staff["strategy_reviews"][0]["strategy"] == "Strategy A"


def test_zip_export_holds_the_uploaded_files(pworld):
    response = pworld.client("self").get(reverse("privacy:export", args=[pworld.person.pk]) + "?files=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("personal-data.json"))
    path = document["evidence"][0]["file_in_archive"]
    assert archive.read(path) == PDF
    assert document["files_missing_from_storage"] == []


def test_views_by_others_are_logged_once_and_own_views_not_at_all(pworld):
    url = reverse("directory:person", args=[pworld.person.pk])
    pworld.client("self").get(url)
    pworld.client("anonymous").get(url)
    assert not PersonalDataAccess.objects.exists()
    outsider = pworld.client("outsider")
    outsider.get(url)
    outsider.get(url)  # within the de-duplication window
    accesses = list(PersonalDataAccess.objects.all())
    assert [(a.actor, a.kind) for a in accesses] == [(pworld.users["outsider"], "view")]


def test_downloads_and_exports_by_others_are_logged(pworld):
    coordinator = pworld.client("coordinator")
    evidence_url = reverse("exchanges:evidence", args=[pworld.paid.reference, pworld.evidence.pk])
    assert coordinator.get(evidence_url).status_code == 200
    assert coordinator.get(reverse("privacy:export", args=[pworld.person.pk])).status_code == 200
    coordinator.get(reverse("privacy:person", args=[pworld.person.pk]))
    certificate_url = reverse("training:record_certificate", args=[pworld.record.pk])
    assert coordinator.get(certificate_url).status_code == 200
    kinds = {
        (a.person_id, a.kind) for a in PersonalDataAccess.objects.filter(actor=pworld.users["coordinator"])
    }
    assert kinds == {
        (pworld.person.pk, "evidence"),
        (pworld.person.pk, "export"),
        (pworld.person.pk, "privacy_page"),
        (pworld.staff.pk, "certificate"),
    }
    page = pworld.client("self").get(reverse("privacy:me")).content.decode()
    assert "Downloaded exchange evidence" in page and "coordinator@test.example" in page
