"""The main menu offers each role the groups and pages it may open, marks the current place, and shows
the user's roles and programme."""

import pytest

pytestmark = pytest.mark.django_db


def _groups(body: str) -> str:
    return body.split('class="menu-groups"')[1].split('class="menu-user"')[0]


def test_anonymous_sees_the_public_groups_only(client):
    menu = _groups(client.get("/events/").content.decode())
    assert "Directory" in menu and "Events" in menu and "Learning" in menu
    assert "Reporting" not in menu and "Admin" not in menu and "/exchanges/" not in menu


def test_coordinator_sees_every_group_and_their_roles(world):
    body = world.client("coordinator").get("/events/").content.decode()
    menu = _groups(body)
    for group in ("Directory", "Exchanges", "Events", "Learning", "Reporting", "Admin"):
        assert f">{group}<" in menu
    assert "Coordinator" in body.split('class="user-roles"')[1][:200]
    assert world.programme.acronym in body.split('class="user-roles"')[1][:200]


def test_a_participant_sees_no_reporting_nor_admin(world):
    menu = _groups(world.client("outsider").get("/events/").content.decode())
    assert "Reporting" not in menu and "Admin" not in menu
    assert "/exchanges/" in menu


def test_the_current_place_is_marked(world):
    body = world.client("manager").get("/directory/clusters/").content.decode()
    assert '<summary class="current">Directory</summary>' in body
    assert 'href="/directory/clusters/" aria-current="page"' in body
