"""Training API: public catalogue, submission by logged-in users, moderation by the coordinator,
records for the cluster's staff; the same refusals as the pages."""

import pytest

from clusterxchange.training.models import TrainingEntry, TrainingRecord
from tests.tandems.conftest import ROLES
from tests.tandems.test_api import api, expected

SECTION = {"coordinator", "manager", "staff", "other_manager"}
CLUSTER_A = {"coordinator", "manager", "staff"}
ENTRY = {
    "title": "API course",
    "provider": "API Academy",
    "link": "https://api.example/course",
    "topics": ["cybersecurity"],
    "format": "webinar",
    "languages": ["en"],
    "sessions": [{"starts_at": "2026-12-01T10:00:00+01:00", "ends_at": "2026-12-01T12:00:00+01:00"}],
}


@pytest.mark.parametrize("role", ROLES)
def test_public_catalogue(tw, role):
    client = api(tw, role)
    listing = client.get("/api/training/entries", {"q": "nis2"})
    assert listing.status_code == 200
    assert [e["title"] for e in listing.json()["results"]] == ["NIS2 for cluster managers"]
    assert client.get(f"/api/training/entries/{tw.entry.pk}").status_code == 200
    pending = client.get(f"/api/training/entries/{tw.pending_entry.pk}")
    assert pending.status_code == (200 if role in {"coordinator", "same_cluster"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_submission(tw, role):
    response = api(tw, role).post("/api/training/entries", ENTRY, content_type="application/json")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 201, response.content
        assert response.json()["status"] == ("published" if role == "coordinator" else "pending")
        assert len(response.json()["sessions"]) == 1


@pytest.mark.parametrize("role", ROLES)
def test_moderation(tw, role):
    response = api(tw, role).post(
        f"/api/training/entries/{tw.pending_entry.pk}/moderation",
        {"publish": True},
        content_type="application/json",
    )
    assert response.status_code == expected(role, {"coordinator"})
    assert TrainingEntry.objects.get(pk=tw.pending_entry.pk).status == (
        "published" if role == "coordinator" else "pending"
    )


@pytest.mark.parametrize("role", ROLES)
def test_records(tw, role):
    client = api(tw, role)
    listing = client.get("/api/training/records")
    assert listing.status_code == expected(role, SECTION)
    if listing.status_code == 200:
        assert len(listing.json()) == (1 if role in CLUSTER_A else 0)
    patch = client.patch(
        f"/api/training/records/{tw.record.pk}",
        {"status": "completed", "completed_on": "2023-05-01"},
        content_type="application/json",
    )
    assert patch.status_code == expected(role, CLUSTER_A)
    assert (TrainingRecord.objects.get(pk=tw.record.pk).status == "completed") is (role in CLUSTER_A)


@pytest.mark.parametrize("role", ROLES)
def test_create_record(tw, role):
    from clusterxchange.directory.models import Person

    bob = Person.objects.create(first_name="Bob", last_name="Staff", organisation=tw.world.cluster_a)
    response = api(tw, role).post(
        "/api/training/records",
        {
            "partner_id": tw.partner_a.pk,
            "person_id": bob.pk,
            "entry_id": tw.entry.pk,
            "enrolled_on": "2023-01-05",
        },
        content_type="application/json",
    )
    assert response.status_code == expected(role, CLUSTER_A, 201), response.content


def test_bad_input_gives_clear_errors(tw):
    client = api(tw, "owner")
    for change, field, message in [
        ({"link": "ftp://api.example/c"}, "link", "starts with http:// or https://"),
        ({"cost_eur": -3}, "cost_eur", "The cost cannot be negative."),
        ({"topics": ["knitting"]}, "topics", "Unknown code(s): knitting"),
    ]:
        response = client.post("/api/training/entries", {**ENTRY, **change}, content_type="application/json")
        assert response.status_code == 422, response.content
        details = response.json()["detail"]
        assert any(d["loc"][-1] == field and message in d["msg"] for d in details), details
    assert not TrainingEntry.objects.filter(title="API course").exists()
    assert client.get("/api/training/entries", {"topic": "knitting"}).status_code == 422
