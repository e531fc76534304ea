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


def test_export_lists_the_invitations_to_and_from_the_person_and_the_emails_kept_for_them(pworld):
    """Invitations to the person (to their address, or accepted by their account) with what they said and
    who sent them; those the person sent without the invitees' addresses; the emails the mail queue keeps
    for them, without their text (an invitation's carries its link)."""
    from datetime import timedelta

    from django.utils import timezone

    from clusterxchange.accounts import invitations
    from clusterxchange.accounts.models import Invitation

    world, me = pworld.base, pworld.users["self"]
    invitations.invite(
        pworld.users["manager"],
        email="amelie@alpha.example",
        role_kind="organisation-member",
        target=world.org_a2,
        first_name="Amélie",
        message="Dear Amélie, join Beta too",
    )
    Invitation.objects.create(
        email="a.durand@old-job.example",
        role_kind="organisation-member",
        organisation=world.org_a1,
        expires_at=timezone.now() + timedelta(days=10),
        accepted_at=timezone.now(),
        accepted_by=me,
    )
    Invitation.objects.create(
        email="bob@colleague.example",
        first_name="Bob",
        role_kind="organisation-member",
        organisation=world.org_a1,
        message="Join us, Bob",
        invited_by=me,
        expires_at=timezone.now() + timedelta(days=10),
    )
    document = json.loads(domain.export_person(me, pworld.person)[1])
    received = {item["email"]: item for item in document["invitations_to_them"]}
    assert set(received) == {"amelie@alpha.example", "a.durand@old-job.example"}
    pending = received["amelie@alpha.example"]
    assert (pending["message"], pending["first_name"], pending["to"], pending["state"]) == (
        "Dear Amélie, join Beta too",
        "Amélie",
        "Beta Software",
        "pending",
    )
    assert pending["invited_by"] == "manager@test.example" and pending["role"] == "organisation-member"
    assert received["a.durand@old-job.example"]["state"] == "accepted"
    assert document["invitations_sent_by_them"] == [
        {
            "role": "organisation-member",
            "to": "Alpha Sensors",
            "message": "Join us, Bob",
            "state": "pending",
            "created_at": document["invitations_sent_by_them"][0]["created_at"],
            "sent_count": 0,
            "accepted_at": None,
            "revoked_at": None,
        }
    ]
    assert "bob@colleague.example" not in json.dumps(document)
    emails = [email for email in document["emails_to_them"] if email["recipient"] == "amelie@alpha.example"]
    assert [email["status"] for email in emails] == ["queued"] and "body" not in emails[0]
