"""Permission matrix of every directory page: role × page → status code."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

ALL_200 = dict.fromkeys(ROLES, 200)
EDITORS_OF_A1 = {
    "coordinator": 200,
    "manager": 200,
    "owner": 200,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}
MANAGERS = {
    "coordinator": 200,
    "manager": 200,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}
MEMBERS_ONLY = {
    "coordinator": 200,
    "manager": 200,
    "owner": 200,
    "same_cluster": 200,
    "outsider": 200,
    "anonymous": 403,
}
DRAFT_READERS = {
    "coordinator": 200,
    "manager": 200,
    "owner": 200,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 403,
}
LOGGED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}

PAGES = [
    ("home", lambda w: reverse("home"), ALL_200),
    ("organisations", lambda w: reverse("directory:organisations"), ALL_200),
    ("clusters", lambda w: reverse("directory:clusters"), ALL_200),
    ("organisation", lambda w: reverse("directory:organisation", args=[w.org_a1.slug]), ALL_200),
    ("organisation_create", lambda w: reverse("directory:organisation_create"), MANAGERS),
    (
        "organisation_edit",
        lambda w: reverse("directory:organisation_edit", args=[w.org_a1.slug]),
        EDITORS_OF_A1,
    ),
    (
        "organisation_delete",
        lambda w: reverse("directory:organisation_delete", args=[w.org_a1.slug]),
        MANAGERS,
    ),
    ("people", lambda w: reverse("directory:people"), ALL_200),
    ("person", lambda w: reverse("directory:person", args=[w.person_a1.pk]), ALL_200),
    ("unlisted_person", lambda w: reverse("directory:person", args=[w.hidden_person_a1.pk]), MEMBERS_ONLY),
    ("person_create", lambda w: reverse("directory:person_create", args=[w.org_a1.slug]), EDITORS_OF_A1),
    ("person_edit", lambda w: reverse("directory:person_edit", args=[w.person_a1.pk]), EDITORS_OF_A1),
    ("opportunities", lambda w: reverse("directory:opportunities"), ALL_200),
    ("opportunity", lambda w: reverse("directory:opportunity", args=[w.opportunity_a1.pk]), ALL_200),
    ("draft_opportunity", lambda w: reverse("directory:opportunity", args=[w.draft_a1.pk]), DRAFT_READERS),
    (
        "opportunity_create",
        lambda w: reverse("directory:opportunity_create", args=[w.org_a1.slug]),
        EDITORS_OF_A1,
    ),
    (
        "opportunity_edit",
        lambda w: reverse("directory:opportunity_edit", args=[w.opportunity_a1.pk]),
        EDITORS_OF_A1,
    ),
    ("import", lambda w: reverse("directory:import"), MANAGERS),
    ("my_account", lambda w: reverse("accounts:me"), LOGGED_IN),
    ("api_tokens", lambda w: reverse("accounts:api_tokens"), LOGGED_IN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world, role, page, url, expected):
    response = world.client(role).get(url(world))
    assert response.status_code == expected[role], f"{page} as {role}"
    if expected[role] == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_editing_the_profile_follows_the_matrix(world, role):
    url = reverse("directory:organisation_edit", args=[world.org_a1.slug])
    response = world.client(role).post(
        url,
        {
            "name": "Alpha Sensors",
            "org_type": "sme",
            "country": "FR",
            "city": "Nice",
            "description": f"Edited by {role}",
            "staff_count": "21",
        },
    )
    world.org_a1.refresh_from_db()
    if EDITORS_OF_A1[role] == 200:
        assert response.status_code == 302
        assert world.org_a1.description == f"Edited by {role}"
        assert world.org_a1.staff_count == 21
    else:
        assert response.status_code in {302, 403}
        assert world.org_a1.description == "Printed sensors on foil"


@pytest.mark.parametrize("role", ROLES)
def test_deleting_follows_the_matrix(world, role):
    url = reverse("directory:organisation_delete", args=[world.org_a1.slug])
    world.client(role).post(url)
    exists = type(world.org_a1).objects.filter(pk=world.org_a1.pk).exists()
    assert exists is (MANAGERS[role] != 200)


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_by_the_disclosure_declaration(world, role):
    """Organisation contacts: programme members; people's contacts: the organisation's side only."""
    detail = (
        world.client(role).get(reverse("directory:organisation", args=[world.org_a1.slug])).content.decode()
    )
    people = world.client(role).get(reverse("directory:people")).content.decode()
    person = world.client(role).get(reverse("directory:person", args=[world.person_a1.pk])).content.decode()
    member = role != "anonymous"
    own_side = role in {"owner", "manager", "coordinator"}
    assert ("hello@alpha.example" in detail) is member
    assert ("amelie@alpha.example" in detail) is own_side
    assert ("amelie@alpha.example" in people) is own_side
    assert ("+33 6 00" in person) is own_side
    assert ("Hidden Person" in people) is member
    assert "Amélie Durand" in people


def test_draft_opportunities_are_not_listed_publicly(world):
    page = world.client("anonymous").get(reverse("directory:organisation", args=[world.org_a1.slug]))
    assert "Printed sensors" in page.content.decode()
    assert "Secret draft" not in page.content.decode()
    owner_page = world.client("owner").get(reverse("directory:organisation", args=[world.org_a1.slug]))
    assert "Secret draft" in owner_page.content.decode()
