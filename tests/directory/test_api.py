"""Directory API: the same permissions as the pages, for tokens and sessions; clear 4xx errors."""

import pytest

from clusterxchange.accounts.models import ApiToken
from clusterxchange.api.schema import current_schema
from clusterxchange.directory import domain
from clusterxchange.directory.models import Opportunity, Organisation, Person
from tests.conftest import ROLES

EDITORS = {"coordinator", "manager", "owner"}
MANAGERS = {"coordinator", "manager"}


def api(world, role):
    """An API client authenticated by a bearer token (anonymous: none)."""
    from django.test import Client

    user = world.users[role]
    if user is None:
        return Client()
    _token, secret = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def denied(role) -> set[int]:
    return {401} if role == "anonymous" else {403}


@pytest.mark.parametrize("role", ROLES)
def test_public_reads(world, role):
    client = api(world, role)
    listing = client.get("/api/organisations", {"q": "alpha"})
    assert listing.status_code == 200
    assert [o["slug"] for o in listing.json()["results"]] == [world.org_a1.slug]
    detail = client.get(f"/api/organisations/{world.org_a1.slug}").json()
    assert detail["ecosystems"] == ["electronics"]
    assert (detail["email"] == "hello@alpha.example") is (role != "anonymous")
    people = client.get(f"/api/organisations/{world.org_a1.slug}/people").json()
    assert ("Hidden" in [p["first_name"] for p in people]) is (role != "anonymous")
    hidden = client.get(f"/api/people/{world.hidden_person_a1.pk}")
    assert hidden.status_code == (403 if role == "anonymous" else 200)
    draft = client.get(f"/api/opportunities/{world.draft_a1.pk}")
    assert draft.status_code == (200 if role in EDITORS else 403)
    titles = [o["title"] for o in client.get("/api/opportunities").json()["results"]]
    assert titles == ["Printed sensors"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_whether_the_coordinates_come_from_the_city_as_they_read_the_coordinates(world, role):
    """Coordinates are public (directory/disclosure.py), and so is where they come from."""
    located = domain.create_organisation(
        world.users["coordinator"], {"name": "Zeta", "org_type": "sme", "country": "DE", "city": "Dresden"}
    )
    client = api(world, role)
    from_city = client.get(f"/api/organisations/{located.slug}").json()
    typed = client.get(f"/api/organisations/{world.cluster_a.slug}").json()
    assert (from_city["coordinates_from_city"], from_city["latitude"]) == (True, located.latitude)
    assert (typed["coordinates_from_city"], typed["latitude"]) == (False, world.cluster_a.latitude)
    asked = client.get(f"/api/organisations/{located.slug}", {"fields": "latitude,coordinates_from_city"})
    assert asked.status_code == 200


def test_coordinates_from_city_is_read_only(world):
    """Typed coordinates stay typed whatever a client sends."""
    response = api(world, "manager").patch(
        f"/api/organisations/{world.cluster_a.slug}",
        {"coordinates_from_city": True},
        content_type="application/json",
    )
    world.cluster_a.refresh_from_db()
    assert response.status_code == 200 and response.json()["coordinates_from_city"] is False
    assert not world.cluster_a.coordinates_from_city
    schemas = current_schema()["components"]["schemas"]
    assert "coordinates_from_city" in schemas["OrganisationOut"]["properties"]
    for written in ("OrganisationIn", "OrganisationPatch"):
        assert "coordinates_from_city" not in schemas[written]["properties"]


@pytest.mark.parametrize("role", ROLES)
def test_patch_organisation(world, role):
    response = api(world, role).patch(
        f"/api/organisations/{world.org_a1.slug}",
        {"city": "Grasse", "ecosystems": ["digital"]},
        content_type="application/json",
    )
    world.org_a1.refresh_from_db()
    if role in EDITORS:
        assert response.status_code == 200, response.content
        assert response.json()["city"] == "Grasse"
        assert world.org_a1.city == "Grasse"
        assert [e.code for e in world.org_a1.ecosystems.all()] == ["digital"]
    else:
        assert response.status_code in denied(role)
        assert world.org_a1.city == "Nice"


@pytest.mark.parametrize("role", ROLES)
def test_create_and_delete_organisation(world, role):
    client = api(world, role)
    response = client.post(
        "/api/organisations",
        {"name": "Lambda Tech", "org_type": "sme", "country": "de"},
        content_type="application/json",
    )
    created = Organisation.objects.filter(name="Lambda Tech").first()
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        assert created.country.code == "DE"
        if role == "manager":
            assert list(created.clusters.all()) == [world.cluster_a]
    else:
        assert response.status_code in denied(role)
        assert created is None
    response = client.delete(f"/api/organisations/{world.org_a2.slug}")
    assert response.status_code == (204 if role in MANAGERS else next(iter(denied(role))))
    assert Organisation.objects.filter(pk=world.org_a2.pk).exists() is (role not in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_people_and_opportunities_writes(world, role):
    client = api(world, role)
    person = client.post(
        f"/api/organisations/{world.org_a1.slug}/people",
        {"first_name": "Noé", "last_name": "Roux", "languages": ["fr"]},
        content_type="application/json",
    )
    patch = client.patch(
        f"/api/people/{world.person_a1.pk}", {"position": "Chair"}, content_type="application/json"
    )
    opp = client.post(
        f"/api/organisations/{world.org_a1.slug}/opportunities",
        {"type": "business-request", "title": "Distributor wanted", "description": "In Spain."},
        content_type="application/json",
    )
    expected = 201 if role in EDITORS else next(iter(denied(role)))
    assert person.status_code == expected
    assert opp.status_code == expected
    assert patch.status_code == (200 if role in EDITORS else next(iter(denied(role))))
    assert Person.objects.filter(last_name="Roux").exists() is (role in EDITORS)
    assert Opportunity.objects.filter(title="Distributor wanted").exists() is (role in EDITORS)


def test_validation_errors_name_the_field(world):
    client = api(world, "coordinator")
    response = client.post(
        "/api/organisations",
        {"name": "Mu", "org_type": "sme", "country": "XX", "email": "nope", "staff_count": 5},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert {("body", "country"), ("body", "email")} <= fields
    response = client.post(
        "/api/organisations",
        {"name": "Mu", "org_type": "giant", "country": "DE", "staff_count": -1},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        "/api/organisations",
        {"name": "Alpha Sensors", "org_type": "sme", "country": "FR"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "already exists" in response.json()["detail"][0]["msg"]
    response = client.patch(
        f"/api/organisations/{world.org_a1.slug}",
        {"ecosystems": ["moon-mining"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "moon-mining" in response.json()["detail"][0]["msg"]
    assert client.get("/api/organisations", {"country": "XX"}).status_code == 422
    assert client.get("/api/organisations/no-such-org").status_code == 404


def test_bad_token_is_rejected(world):
    from django.test import Client

    client = Client(headers={"Authorization": "Bearer cx_wrong"})
    assert (
        client.patch(
            f"/api/organisations/{world.org_a1.slug}", {"city": "X"}, content_type="application/json"
        ).status_code
        == 401
    )
    detail = client.get(f"/api/organisations/{world.org_a1.slug}").json()
    assert detail["email"] is None


def test_session_writes_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    response = client.patch(
        f"/api/organisations/{world.org_a1.slug}", {"city": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    world.org_a1.refresh_from_db()
    assert world.org_a1.city == "Nice"


def test_reference_data(db, client):
    assert len(client.get("/api/reference/ecosystems").json()) == 14
    assert len(client.get("/api/reference/opportunity-types").json()) == 5
    nace = client.get("/api/reference/nace").json()
    assert {
        "revision": "2",
        "code": "26",
        "name": "Manufacture of computer, electronic and optical products",
        "level": "division",
        "parent": "C",
    } in nace
    assert any(lang["code"] == "lt" for lang in client.get("/api/reference/languages").json())
