"""Who may do what with invitations, on the pages and in the API, role by role; and which invitations
(and fields) each role sees."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clusterxchange.accounts import invitations
from clusterxchange.accounts.models import ApiToken, Invitation
from tests.conftest import ROLES, make_user
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

# The shared world's roles, plus the manager of the other partner cluster (B) and an admin of
# Alpha Sensors (a member organisation of cluster A).
INVITER_ROLES = [*ROLES, "other_manager", "org_admin"]


@pytest.fixture(autouse=True)
def inviters(world):
    world.users["other_manager"] = make_user("manager.b@test.example", world.cluster_b, "manager")
    world.users["org_admin"] = make_user("admin.a1@test.example", world.org_a1, "manager")


# Expected status of the invite page (and of the file page) per target, role by role.
NOBODY = dict.fromkeys(INVITER_ROLES, 403)
INVITE_PAGE = {
    # The programme: only its coordinator invites coordinators.
    ("programme", "test"): NOBODY | {"coordinator": 200},
    # Partner cluster A: the coordinator invites its managers (organisation admins), and its manager.
    ("organisation", "cluster-a-fr"): NOBODY | {"coordinator": 200, "manager": 200},
    # Alpha Sensors (a member of partner cluster A): the coordinator, cluster A's manager, its own admin.
    ("organisation", "alpha-sensors-fr"): NOBODY | {"coordinator": 200, "manager": 200, "org_admin": 200},
    # Gamma Robotics (cluster B): the coordinator and cluster B's manager; not cluster A's.
    ("organisation", "gamma-robotics-es"): NOBODY | {"coordinator": 200, "other_manager": 200},
}


@pytest.mark.parametrize("role", INVITER_ROLES)
@pytest.mark.parametrize("target", list(INVITE_PAGE))
def test_invite_pages_by_role(world, role, target):
    for name in ("invitations:invite", "invitations:invite_file"):
        response = world.client(role).get(reverse(name, args=target))
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == INVITE_PAGE[target][role], (name, role)


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_event_invite_page_by_role(world, role):
    event = make_event(world)  # hosted by cluster A: organised by its managers and the coordinators
    response = world.client(role).get(reverse("invitations:invite", args=["event", event.slug]))
    expected = {"coordinator": 200, "manager": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected


def test_an_organisation_admin_invites_colleagues_only(world):
    admin = make_user("admin@alpha.example", world.org_a1, "manager")
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("invitations:invite", args=["organisation", world.org_a1.slug]))
    assert page.status_code == 200
    assert b"Organisation admin" in page.content and b"Organisation member" in page.content
    assert (
        client.get(reverse("invitations:invite", args=["organisation", world.org_a2.slug])).status_code == 403
    )
    assert client.get(reverse("invitations:invite", args=["programme", "test"])).status_code == 403


def test_unknown_targets_are_not_found(world):
    client = world.client("coordinator")
    assert client.get(reverse("invitations:invite", args=["organisation", "nope"])).status_code == 404
    assert client.get(reverse("invitations:invite", args=["planet", "test"])).status_code == 404


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_resend_and_revoke_by_role(world, role):
    invitation = invitations.invite(
        world.users["manager"], email="x@example.org", role_kind="organisation-member", target=world.org_a1
    )
    allowed = role in {"coordinator", "manager", "org_admin"}
    for action in ("resend", "revoke"):
        url = reverse(f"invitations:{action}", args=[invitation.pk])
        assert world.client(role).get(url).status_code in {302, 405}
        response = world.client(role).post(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (302 if allowed else 404), (action, role)
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == allowed
    assert invitation.sent_count == (2 if allowed else 1)


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_list_page_by_role(world, role):
    response = world.client(role).get(reverse("invitations:list"))
    assert response.status_code == (302 if role == "anonymous" else 200)


def test_the_accept_page_of_an_unknown_link_is_not_found(world):
    response = Client().get(reverse("invitations:accept", args=["not-a-token"]))
    assert response.status_code == 404 and b"Unknown invitation link" in response.content


# API ---------------------------------------------------------------------------------------------


def api(world, role):
    client = Client()
    user = world.users[role]
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user, 'test')[1]}"
    return client, headers


CREATE = {"email": "api@example.org", "role_kind": "organisation-member", "target": "alpha-sensors-fr"}


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_api_create_by_role(world, role):
    client, headers = api(world, role)
    response = client.post("/api/invitations", json.dumps(CREATE), content_type="application/json", **headers)
    expected = {"coordinator": 201, "manager": 201, "org_admin": 201, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected, response.content
    assert Invitation.objects.filter(email="api@example.org").exists() == (expected == 201)


def test_api_refusals_are_conflicts_with_the_reason(world):
    client, headers = api(world, "manager")
    body = json.dumps({**CREATE, "email": world.users["owner"].email})
    response = client.post("/api/invitations", body, content_type="application/json", **headers)
    assert response.status_code == 409 and "already a member" in response.json()["detail"]
    bad = json.dumps({**CREATE, "email": "nope"})
    assert client.post("/api/invitations", bad, content_type="application/json", **headers).status_code == 422


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_api_list_resend_revoke_by_role(world, role):
    invitation = invitations.invite(
        world.users["manager"], email="x@example.org", role_kind="organisation-member", target=world.org_a1
    )
    client, headers = api(world, role)
    listed = client.get("/api/invitations", **headers)
    if role == "anonymous":
        assert listed.status_code == 401
        return
    emails = [item["email"] for item in listed.json()["results"]]
    allowed = role in {"coordinator", "manager", "org_admin"}
    assert emails == (["x@example.org"] if allowed else [])
    for action in ("resend", "revoke"):
        response = client.post(f"/api/invitations/{invitation.pk}/{action}", **headers)
        assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.json()["state"] == "revoked"


def test_api_fields_of_an_invitation(world):
    invitations.invite(
        world.users["manager"],
        email="x@example.org",
        role_kind="organisation-admin",
        target=world.org_a1,
        first_name="Xavier",
        language="fr",
    )
    client, headers = api(world, "coordinator")
    (item,) = client.get("/api/invitations?state=pending", **headers).json()["results"]
    assert set(item) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "role_kind",
        "target_type",
        "target",
        "target_name",
        "language",
        "state",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_count",
        "last_sent_at",
        "accepted_at",
        "revoked_at",
    }
    assert "digest" not in item and "token" not in item  # the link's secret is never shown
    assert (item["target"], item["state"], item["invited_by"]) == (
        "alpha-sensors-fr",
        "pending",
        "manager@test.example",
    )
    assert client.get("/api/invitations?state=accepted", **headers).json()["count"] == 0


def test_api_file_dry_run_then_send(world, django_capture_on_commit_callbacks):
    client, headers = api(world, "manager")
    content = b"email,role\nok@example.org,member\nbad,member\n"

    def post(body: bytes, dry_run: bool):
        return client.post(
            "/api/invitations/files",
            {
                "file": SimpleUploadedFile("people.csv", body),
                "role_kind": "organisation-member",
                "target": "alpha-sensors-fr",
                "dry_run": "true" if dry_run else "false",
            },
            **headers,
        )

    report = post(content, False).json()
    assert report["ok"] is False and report["batch"] is None
    assert report["errors"][0]["row"] == 3
    assert not Invitation.objects.exists()
    assert post(b"email\nok@example.org\n", True).json() == {
        "ok": True,
        "total_rows": 1,
        "errors": [],
        "batch": None,
    }
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(b"email\nok@example.org\n", False)
    assert response.status_code == 202
    batch = client.get(f"/api/invitations/files/{response.json()['batch']}", **headers).json()
    assert (batch["status"], batch["sent"], batch["progress"]) == ("done", 1, 100)
    other, other_headers = api(world, "coordinator")
    assert other.get(f"/api/invitations/files/{batch['id']}", **other_headers).status_code == 404
    outsider, outsider_headers = api(world, "outsider")
    refused = outsider.post(
        "/api/invitations/files",
        {
            "file": SimpleUploadedFile("p.csv", b"email\na@example.org\n"),
            "role_kind": "organisation-member",
            "target": "alpha-sensors-fr",
        },
        **outsider_headers,
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("role", INVITER_ROLES)
def test_the_invite_button_shows_where_the_role_may_invite(world, role):
    event = make_event(world)
    pages = {
        "organisation": (world.org_a1.get_absolute_url(), {"coordinator", "manager", "org_admin"}),
        "event": (event.get_absolute_url(), {"coordinator", "manager"}),
        "programme": (reverse("site:about", args=[world.programme.slug]), {"coordinator"}),
    }
    for target_type, (url, inviters) in pages.items():
        content = world.client(role).get(url).content.decode()
        assert ("/invitations/new/" + target_type in content) == (role in inviters), (target_type, role)


def test_a_token_needs_the_invitations_scope(world):
    token = ApiToken.issue(world.users["coordinator"], "directory only", scopes=["directory:write"])[1]
    response = Client().get("/api/invitations", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    token = ApiToken.issue(world.users["coordinator"], "invitations", scopes=["invitations:read"])[1]
    assert Client().get("/api/invitations", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
