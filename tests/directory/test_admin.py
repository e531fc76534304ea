"""The admin is for coordinators; it applies the same object rules as the pages."""

import pytest

from tests.conftest import ROLES

ADMIN_PAGES = [
    "/admin/",
    "/admin/directory/organisation/",
    "/admin/directory/person/",
    "/admin/directory/opportunity/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_is_for_coordinators(world, role, url):
    response = world.client(role).get(url)
    if role == "coordinator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_coordinator_edits_through_admin(world):
    client = world.client("coordinator")
    page = client.get(f"/admin/directory/organisation/{world.org_a1.pk}/change/")
    assert page.status_code == 200
    assert "Alpha Sensors" in page.content.decode()
