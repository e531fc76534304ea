"""The memberships and coordinators API: the same permissions and field disclosure as the pages."""

import json

import pytest
from django.test import Client

from clusterxchange.accounts.models import ApiToken, Membership
from clusterxchange.directory.models import Person
from clusterxchange.programmes.models import ProgrammeRole
from tests.conftest import make_user

ROLES = ["coordinator", "manager", "other_manager", "org_admin", "owner", "outsider", "anonymous"]


@pytest.fixture
def people(world):
    users = dict(world.users)
    users["other_manager"] = make_user("manager.b@test.example", world.cluster_b, "manager")
    users["org_admin"] = make_user("admin.a1@test.example", world.org_a1, "manager")
    return users


def call(people, role, method, path, body=None):
    headers = {}
    if people[role] is not None:
        headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(people[role], "test")[1]
    client = Client()
    data = json.dumps(body) if body is not None else None
    response = getattr(client, method.lower())(path, data=data, content_type="application/json", **headers)
    return response.status_code, (response.json() if response.content else None)


def statuses(people, method, path, body=None, roles=ROLES):
    return {role: call(people, role, method, path, body)[0] for role in roles}


def test_list_memberships_by_role(world, people):
    seen = {}
    for role in ROLES[:-1]:
        code, data = call(people, role, "GET", "/api/memberships?page_size=100")
        assert code == 200
        seen[role] = {(item["organisation"], item["email"]) for item in data["results"]}
    assert call(people, "anonymous", "GET", "/api/memberships")[0] == 401
    a1 = {("alpha-sensors-fr", "owner@test.example"), ("alpha-sensors-fr", "admin.a1@test.example")}
    assert (
        a1 <= seen["coordinator"]
        and a1 <= seen["manager"]
        and a1 <= seen["owner"]
        and a1 <= seen["org_admin"]
    )
    assert not a1 & seen["other_manager"] and not a1 & seen["outsider"]
    assert ("cluster-b-es", "manager.b@test.example") in seen["coordinator"]
    assert ("cluster-b-es", "manager.b@test.example") not in seen["manager"]
    # everyone sees their own
    assert {email for _org, email in seen["outsider"]} == {"outsider@test.example"}


def test_list_memberships_filters_and_fields(world, people):
    code, data = call(people, "manager", "GET", "/api/memberships?organisation=alpha-sensors-fr&q=admin")
    assert code == 200 and data["count"] == 1
    item = data["results"][0]
    assert set(item) == {"id", "organisation", "name", "email", "role", "since"}
    assert item["role"] == "organisation-admin" and item["email"] == "admin.a1@test.example"
    # an organisation the caller may not see is refused, not silently empty
    assert call(people, "outsider", "GET", "/api/memberships?organisation=alpha-sensors-fr")[0] == 403
    assert call(people, "other_manager", "GET", "/api/memberships?organisation=alpha-sensors-fr")[0] == 403


def test_change_and_remove_memberships_by_role(world, people):
    owner_membership = Membership.objects.get(user=people["owner"])
    path = f"/api/memberships/{owner_membership.pk}"
    assert statuses(people, "GET", path) == {
        "coordinator": 200,
        "manager": 200,
        "other_manager": 404,
        "org_admin": 200,
        "owner": 200,
        "outsider": 404,
        "anonymous": 401,
    }
    refused = statuses(
        people,
        "PATCH",
        path,
        {"role": "organisation-admin"},
        roles=["other_manager", "owner", "outsider", "anonymous"],
    )
    assert refused == {"other_manager": 404, "owner": 403, "outsider": 404, "anonymous": 401}
    assert Membership.objects.get(pk=owner_membership.pk).role == "member"
    code, data = call(people, "org_admin", "PATCH", path, {"role": "organisation-admin"})
    assert code == 200 and data["role"] == "organisation-admin"
    assert call(people, "manager", "PATCH", path, {"role": "emperor"})[0] == 422
    assert (
        call(
            people,
            "owner",
            "DELETE",
            f"/api/memberships/{Membership.objects.get(user=people['org_admin']).pk}",
        )[0]
        == 204
    )
    assert call(people, "coordinator", "DELETE", path + "?reason=gone")[0] == 204
    assert not Membership.objects.filter(organisation=world.org_a1).exists()


def test_add_membership_by_role(world, people):
    body = {
        "organisation": world.org_a1.slug,
        "email": "colleague@test.example",
        "role": "organisation-member",
    }
    refused = statuses(
        people, "POST", "/api/memberships", body, roles=["other_manager", "owner", "outsider", "anonymous"]
    )
    assert refused == {"other_manager": 403, "owner": 403, "outsider": 403, "anonymous": 401}
    code, data = call(people, "org_admin", "POST", "/api/memberships", body)
    assert code == 201 and data["organisation"] == world.org_a1.slug
    assert call(people, "org_admin", "POST", "/api/memberships", body)[0] == 409  # already a member
    unknown = dict(body, email="nobody@test.example")
    code, data = call(people, "org_admin", "POST", "/api/memberships", unknown)
    assert code == 409 and "Invite the person" in data["detail"]


def test_leave_by_api(world, people):
    body = {"organisation": world.org_a1.slug}
    assert call(people, "outsider", "POST", "/api/memberships/leave", body)[0] == 409
    code, data = call(people, "org_admin", "POST", "/api/memberships/leave", body)
    assert code == 409 and "last admin" in data["detail"]
    body["successor_email"] = "owner@test.example"
    assert call(people, "org_admin", "POST", "/api/memberships/leave", body)[0] == 204
    assert Membership.objects.get(user=people["owner"]).role == "manager"


def test_coordinators_by_role(world, people):
    path = f"/api/programmes/{world.programme.slug}/coordinators"
    assert statuses(people, "GET", path) == {
        "coordinator": 200,
        "manager": 200,
        "other_manager": 200,
        "org_admin": 403,
        "owner": 403,
        "outsider": 403,
        "anonymous": 401,
    }
    code, data = call(people, "manager", "GET", path)
    assert [item["email"] for item in data] == ["coordinator@test.example"]
    assert set(data[0]) == {"id", "programme", "name", "email", "since"}
    body = {"email": "owner@test.example"}
    refused = statuses(
        people, "POST", path, body, roles=["manager", "other_manager", "org_admin", "owner", "anonymous"]
    )
    assert set(refused.values()) <= {403, 401}
    code, data = call(people, "coordinator", "POST", path, body)
    assert code == 201 and data["email"] == "owner@test.example"
    role = ProgrammeRole.objects.get(user=people["coordinator"])
    assert call(people, "manager", "DELETE", f"{path}/{role.pk}")[0] == 403
    assert call(people, "coordinator", "DELETE", f"{path}/{role.pk}")[0] == 204
    last = ProgrammeRole.objects.get()
    code, data = call(people, "owner", "DELETE", f"{path}/{last.pk}")
    assert code == 409 and "last coordinator" in data["detail"]


def test_link_a_person_by_api(world, people):
    path = f"/api/people/{world.person_a1.pk}/account"
    body = {"email": "owner@test.example"}
    refused = statuses(people, "PUT", path, body, roles=["other_manager", "owner", "outsider", "anonymous"])
    assert refused == {"other_manager": 404, "owner": 404, "outsider": 404, "anonymous": 401}
    code, data = call(people, "org_admin", "PUT", path, body)
    assert code == 200 and data == {
        "person": world.person_a1.pk,
        "organisation": "alpha-sensors-fr",
        "account": "owner@test.example",
    }
    assert call(people, "org_admin", "PUT", path, body)[0] == 409
    code, data = call(people, "manager", "DELETE", path)
    assert code == 200 and data["account"] is None
    assert Person.objects.get(pk=world.person_a1.pk).user is None


def test_a_coordinator_needs_no_staff_status(world, people):
    coordinator = people["coordinator"]
    coordinator.is_staff = False
    coordinator.save()
    assert (
        call(people, "coordinator", "GET", f"/api/programmes/{world.programme.slug}/coordinators")[0] == 200
    )
    client = Client()
    client.force_login(coordinator)
    assert client.get(f"/accounts/members/programmes/{world.programme.slug}/").status_code == 200
    assert client.get(f"/accounts/members/organisations/{world.org_b1.slug}/").status_code == 200
