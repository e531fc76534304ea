"""Every privacy page and action × every role (the person themself, coordinator, partner manager,
a colleague, same-cluster member, outsider, anonymous)."""

import json

import pytest
from django.urls import reverse

from clusterxchange.privacy import domain
from tests.privacy.conftest import PRIVACY_ROLES

ALLOWED = "allowed"
DENIED = 403
LOGIN = "login"

SELF_OR_COORDINATOR = dict.fromkeys(PRIVACY_ROLES, DENIED) | {
    "self": ALLOWED,
    "coordinator": ALLOWED,
    "anonymous": LOGIN,
}
COORDINATOR_ONLY = dict.fromkeys(PRIVACY_ROLES, DENIED) | {"coordinator": ALLOWED, "anonymous": LOGIN}
SELF_ONLY = dict.fromkeys(PRIVACY_ROLES, DENIED) | {"self": ALLOWED, "anonymous": LOGIN}
LOGGED_IN = dict.fromkeys(PRIVACY_ROLES, ALLOWED) | {"anonymous": LOGIN}


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == ALLOWED:
        assert response.status_code in {200, 302}, response.status_code
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_my_data(pworld, role):
    response = pworld.client(role).get(reverse("privacy:me"))
    check(response, LOGGED_IN[role])
    if role == "self":
        assert "Amélie Durand" in response.content.decode()
        assert "Great week in Bilbao" in response.content.decode()


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_person_privacy_page(pworld, role):
    response = pworld.client(role).get(reverse("privacy:person", args=[pworld.person.pk]))
    check(response, SELF_OR_COORDINATOR[role])


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_export_json(pworld, role):
    response = pworld.client(role).get(reverse("privacy:export", args=[pworld.person.pk]))
    check(response, SELF_OR_COORDINATOR[role])
    if response.status_code == 200:
        document = json.loads(response.content)
        assert document["person"]["email"] == "amelie@alpha.example"
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_consent(pworld, role):
    url = reverse("privacy:consent", args=[pworld.person.pk])
    response = pworld.client(role).post(url, {"purpose": "directory_listing", "given": "0"})
    check(response, SELF_OR_COORDINATOR[role])
    pworld.person.refresh_from_db()
    assert pworld.person.listed is (SELF_OR_COORDINATOR[role] != ALLOWED)


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_request_erasure(pworld, role):
    url = reverse("privacy:request_erasure", args=[pworld.person.pk])
    response = pworld.client(role).post(url, {"message": "Forget me"})
    check(response, SELF_ONLY[role])
    assert pworld.person.erasure_requests.exists() is (role == "self")


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_erase_page(pworld, role):
    response = pworld.client(role).get(reverse("privacy:erase", args=[pworld.person.pk]))
    check(response, COORDINATOR_ONLY[role])


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_erase_action(pworld, role, django_capture_on_commit_callbacks):
    url = reverse("privacy:erase", args=[pworld.person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = pworld.client(role).post(url, {"confirm": "on", "reason": "asked"})
    check(response, COORDINATOR_ONLY[role])
    pworld.person.refresh_from_db()
    assert (pworld.person.last_name == "person") is (role == "coordinator")


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_erasure_requests_list(pworld, role):
    domain.request_erasure(pworld.users["self"], pworld.person, "Forget me")
    response = pworld.client(role).get(reverse("privacy:requests"))
    check(response, COORDINATOR_ONLY[role])
    if role == "coordinator":
        assert "Forget me" in response.content.decode()


@pytest.mark.parametrize("role", PRIVACY_ROLES)
def test_refuse(pworld, role):
    request = domain.request_erasure(pworld.users["self"], pworld.person)
    response = pworld.client(role).post(reverse("privacy:refuse", args=[request.pk]), {"reason": "Audit"})
    check(response, COORDINATOR_ONLY[role])
    request.refresh_from_db()
    assert (request.status == "refused") is (role == "coordinator")


def test_erase_without_confirmation_or_with_blocker_changes_nothing(pworld, xworld):
    client = pworld.client("coordinator")
    url = reverse("privacy:erase", args=[pworld.person.pk])
    assert client.post(url, {"reason": "x"}).status_code == 400
    running = xworld.new_exchange("in_progress", visitor_person=pworld.person)
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400 and running.reference in response.content.decode()
    pworld.person.refresh_from_db()
    assert pworld.person.last_name == "Durand"


def test_testimonial_of_someone_else_cannot_be_changed(pworld, xworld):
    other = xworld.new_exchange("paid", visitor_organisation=pworld.base.org_a2, testimonial="Not Amélie's")
    url = reverse("privacy:consent", args=[pworld.person.pk])
    response = pworld.client("self").post(
        url, {"purpose": "testimonial", "kind": "exchange", "id": other.pk, "given": "1"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.testimonial_consent is False
