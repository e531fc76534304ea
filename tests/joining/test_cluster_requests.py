"""A cluster asks an organisation of the directory to join it (issue #16 point 5: the last membership job
of the admin): the cluster's managers and the coordinators find and ask; the organisation's admins
(without an admin, the deciders of a request to join it) accept or refuse with a reason; accepted, the
cluster membership is created and audited; the person who asked is emailed in their language."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clusterxchange.accounts.models import Membership
from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import ClusterMembership, ClusterMembershipRequest
from clusterxchange.joining import domain as joining
from clusterxchange.joining.rules import cluster_requests_to_decide
from clusterxchange.programmes.models import ProgrammeRole
from tests.conftest import make_org, make_user
from tests.joining.test_joining import api

pytestmark = pytest.mark.django_db

# Cluster A (the manager's) asks Gamma Robotics (org B1, a member of cluster B) to join it.
ROLES = ["coordinator", "manager", "other_manager", "org_admin", "member", "outsider", "anonymous"]


@pytest.fixture
def people(world):
    """The roles around the request: `member` is a member of Gamma Robotics, `org_admin` its admin,
    `other_manager` the manager of cluster B (Gamma's own cluster), `outsider` has no organisation."""
    return {
        "coordinator": world.users["coordinator"],
        "manager": world.users["manager"],
        "other_manager": make_user("manager-b@test.example", world.cluster_b, "manager"),
        "org_admin": make_user("admin-b1@test.example", world.org_b1, "manager"),
        "member": world.users["outsider"],
        "outsider": make_user("nobody@test.example"),
        "anonymous": None,
    }


def client_of(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ask(world, people, organisation=None, role="manager"):
    return joining.ask_to_join_cluster(people[role], world.cluster_a, organisation or world.org_b1, "Join us")


def status_of(response):
    if response.status_code == 302 and "/login" in response["Location"]:
        return "login"
    return {200: "ok", 302: "redirect", 403: "forbidden", 404: "missing"}[response.status_code]


# Pages and actions by role ----------------------------------------------------------------------------


ASKERS = {"coordinator", "manager"}


@pytest.mark.parametrize("role", ROLES)
def test_who_finds_organisations_for_a_cluster_and_what_they_see(world, people, role):
    response = client_of(people[role]).get(
        reverse("join:cluster_find", args=[world.cluster_a.slug]), {"q": "a"}
    )
    expected = "ok" if role in ASKERS else "login" if role == "anonymous" else "forbidden"
    assert status_of(response) == expected
    if expected == "ok":
        page = response.content.decode()
        assert reverse("join:cluster_ask", args=[world.cluster_a.slug, world.org_b1.slug]) in page
        assert reverse("join:cluster_ask", args=[world.cluster_a.slug, world.org_a1.slug]) not in page
        assert "Already a member" in page and "The cluster itself" in page


@pytest.mark.parametrize("role", ROLES)
def test_who_asks_an_organisation_to_join_a_cluster(world, people, role, django_capture_on_commit_callbacks):
    url = reverse("join:cluster_ask", args=[world.cluster_a.slug, world.org_b1.slug])
    client = client_of(people[role])
    expected = "ok" if role in ASKERS else "login" if role == "anonymous" else "forbidden"
    assert status_of(client.get(url)) == expected
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Join us"})
    assert status_of(response) == ("redirect" if role in ASKERS else expected)
    created = ClusterMembershipRequest.objects.filter(cluster=world.cluster_a, organisation=world.org_b1)
    assert created.exists() == (role in ASKERS)
    if role in ASKERS:
        assert response["Location"] == reverse("join:cluster_find", args=[world.cluster_a.slug])
        assert [message.to for message in mail.outbox] == [["admin-b1@test.example"]]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_request_among_the_requests_to_decide(world, people, role):
    ask(world, people)
    response = client_of(people[role]).get(reverse("join:requests"))
    deciding = {"coordinator", "manager", "other_manager", "org_admin"}
    expected = "ok" if role in deciding else "login" if role == "anonymous" else "forbidden"
    assert status_of(response) == expected
    if expected == "ok":
        shown = reverse("join:decide_cluster", args=[ClusterMembershipRequest.objects.get().pk])
        assert (shown in response.content.decode()) == (role == "org_admin")


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_a_request_for_an_organisation_with_an_admin(world, people, role):
    cluster_request = ask(world, people)
    response = client_of(people[role]).post(
        reverse("join:decide_cluster", args=[cluster_request.pk]), {"decision": "approve"}
    )
    expected = "redirect" if role == "org_admin" else "login" if role == "anonymous" else "forbidden"
    assert status_of(response) == expected
    joined = ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()
    assert joined == (role == "org_admin")


@pytest.mark.parametrize("role", ROLES)
def test_who_withdraws_a_request(world, people, role):
    cluster_request = ask(world, people)
    response = client_of(people[role]).post(reverse("join:withdraw_cluster", args=[cluster_request.pk]))
    expected = "redirect" if role == "manager" else "login" if role == "anonymous" else "forbidden"
    assert status_of(response) == expected
    cluster_request.refresh_from_db()
    assert cluster_request.status == ("withdrawn" if role == "manager" else "pending")


@pytest.mark.parametrize("role", ROLES)
def test_the_members_page_of_a_cluster_links_to_adding_an_organisation(world, people, role):
    response = client_of(people[role]).get(
        reverse("accounts:organisation_members", args=[world.cluster_a.slug])
    )
    link = reverse("join:cluster_find", args=[world.cluster_a.slug])
    assert (response.status_code == 200 and link in response.content.decode()) == (role in ASKERS)


def test_the_members_page_of_an_organisation_has_no_such_link(world, people):
    page = client_of(people["coordinator"]).get(
        reverse("accounts:organisation_members", args=[world.org_a1.slug])
    )
    assert page.status_code == 200
    assert (
        "join/clusters/" not in page.content.decode()
        and "Add an organisation from" not in page.content.decode()
    )


# The decision ----------------------------------------------------------------------------------------------


def test_accepted_the_organisation_joins_the_cluster_audited_and_the_asker_is_told(
    world, people, django_capture_on_commit_callbacks
):
    cluster_request = ask(world, people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joining.decide_cluster_request(people["org_admin"], cluster_request, True)
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"directory.cluster.add_member", "directory.clusterrequest.decide"} <= actions
    assert [message.to for message in mail.outbox] == [["manager@test.example"]]
    assert "Gamma Robotics accepted to join Cluster A" in mail.outbox[0].subject
    # Now a member of cluster A, Gamma Robotics may be edited by cluster A's manager.
    assert people["manager"].has_perm("directory.change_organisation", world.org_b1)


def test_a_refusal_needs_a_reason_which_the_asker_reads_in_their_language(
    world, people, django_capture_on_commit_callbacks
):
    people["manager"].language = "de"
    people["manager"].save()
    cluster_request = ask(world, people)
    with pytest.raises(ValidationError):
        joining.decide_cluster_request(people["org_admin"], cluster_request, False, "  ")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        joining.decide_cluster_request(people["org_admin"], cluster_request, False, "We are not in Sophia")
    with translation.override("de"):
        subject = gettext("%(organisation)s refused to join %(cluster)s") % {
            "organisation": "Gamma Robotics",
            "cluster": "Cluster A",
        }
    assert subject != "Gamma Robotics refused to join Cluster A"
    assert mail.outbox[0].subject.endswith(subject)
    assert "We are not in Sophia" in mail.outbox[0].body
    assert not ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()
    with pytest.raises(Refused):
        joining.decide_cluster_request(people["org_admin"], cluster_request, True)


def test_without_an_admin_the_deciders_of_a_request_to_join_it_decide(world, people):
    people["org_admin"].memberships.all().delete()
    cluster_request = ask(world, people)
    # Gamma Robotics is in cluster B: its manager and the programme's coordinators decide.
    assert people["other_manager"].has_perm("directory.decide_clustermembershiprequest", cluster_request)
    assert people["coordinator"].has_perm("directory.decide_clustermembershiprequest", cluster_request)
    for role in ("manager", "member", "outsider"):
        assert not people[role].has_perm("directory.decide_clustermembershiprequest", cluster_request)
    joining.decide_cluster_request(people["coordinator"], cluster_request, True)
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()


def test_an_organisation_in_no_cluster_without_an_admin_is_decided_by_the_coordinators(world, people):
    lone = make_org("Lone Labs", "DE")
    cluster_request = ask(world, people, lone)
    deciders = {
        role
        for role in ROLES[:-1]
        if people[role].has_perm("directory.decide_clustermembershiprequest", cluster_request)
    }
    assert deciders == {"coordinator"}


# Refusals ---------------------------------------------------------------------------------------------------


def test_refusals_with_a_reason(world, people):
    with pytest.raises(Refused, match="already a member of Cluster A"):
        ask(world, people, world.org_a1)
    with pytest.raises(Refused, match="cannot be a member of itself"):
        ask(world, people, world.cluster_a)
    ask(world, people)
    with pytest.raises(Refused, match="already been asked to join Cluster A"):
        ask(world, people, role="coordinator")
    with pytest.raises(PermissionDenied):
        joining.ask_to_join_cluster(people["other_manager"], world.cluster_a, world.org_b1)
    with pytest.raises(PermissionDenied):
        joining.ask_to_join_cluster(people["manager"], world.org_a1, world.org_b1)  # not a cluster


def test_a_refusal_is_shown_on_the_page(world, people):
    response = client_of(people["manager"]).post(
        reverse("join:cluster_ask", args=[world.cluster_a.slug, world.org_a1.slug]), {"message": ""}
    )
    assert response.status_code == 200
    assert "Alpha Sensors is already a member of Cluster A." in response.content.decode()


def test_the_menu_counts_the_request_for_its_deciders(world, people):
    from clusterxchange.joining.rules import pending_decision_count

    ask(world, people)
    assert pending_decision_count(people["org_admin"]) == 1
    assert pending_decision_count(people["manager"]) == 0


# API ----------------------------------------------------------------------------------------------------------

API = "/api/cluster-membership-requests"
OUT_FIELDS = {
    "id",
    "cluster",
    "cluster_name",
    "organisation",
    "organisation_name",
    "status",
    "message",
    "reason",
    "created_at",
    "decided_at",
    "requester_name",
    "requester_email",
    "deciders",
}


def api_status(response) -> str:
    return {200: "ok", 201: "ok", 401: "login", 403: "forbidden", 404: "missing", 409: "conflict"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_who_asks_an_organisation_to_join_a_cluster_and_what_they_get(world, people, role):
    response = api(
        people[role], "post", API, {"cluster": world.cluster_a.slug, "organisation": world.org_b1.slug}
    )
    expected = "ok" if role in ASKERS else "login" if role == "anonymous" else "forbidden"
    assert api_status(response) == expected, response.content
    created = ClusterMembershipRequest.objects.filter(cluster=world.cluster_a, organisation=world.org_b1)
    assert created.exists() == (role in ASKERS)
    if role in ASKERS:
        body = response.json()
        assert set(body) == OUT_FIELDS
        assert (body["cluster"], body["organisation"], body["status"]) == (
            world.cluster_a.slug,
            world.org_b1.slug,
            "pending",
        )
        # The asker is not a decider: their own address is not echoed; they read who decides.
        assert body["requester_email"] is None
        assert body["deciders"] == "The admins of Gamma Robotics decide."


# What each role lists, by scope: (ids listed, requester_email shown) per role; anonymous gets 401.
SEEN = {
    "coordinator": {"mine": False, "to-decide": False, "sent": True},
    "manager": {"mine": True, "to-decide": False, "sent": True},
    "other_manager": {"mine": False, "to-decide": False, "sent": False},
    "org_admin": {"mine": False, "to-decide": True, "sent": False},
    "member": {"mine": False, "to-decide": False, "sent": False},
    "outsider": {"mine": False, "to-decide": False, "sent": False},
}


@pytest.mark.parametrize("role", ROLES)
def test_api_who_lists_a_request_and_the_fields_each_role_sees(world, people, role):
    cluster_request = ask(world, people)
    for scope in ("mine", "to-decide", "sent"):
        response = api(people[role], "get", f"{API}?scope={scope}")
        if role == "anonymous":
            assert response.status_code == 401
            continue
        assert response.status_code == 200
        listed = response.json()
        assert [item["id"] for item in listed] == ([cluster_request.pk] if SEEN[role][scope] else []), scope
        for item in listed:
            assert set(item) == OUT_FIELDS
            assert item["requester_name"] == "manager"
            assert item["message"] == "Join us" and item["cluster_name"] == "Cluster A"
            # Only who decides reads the asker's address.
            assert item["requester_email"] == ("manager@test.example" if role == "org_admin" else None)
    if role in ASKERS:
        other_cluster = api(people[role], "get", f"{API}?scope=sent&cluster={world.cluster_b.slug}")
        assert other_cluster.json() == []


@pytest.mark.parametrize("role", ROLES)
def test_api_who_approves_a_request(world, people, role):
    cluster_request = ask(world, people)
    response = api(people[role], "post", f"{API}/{cluster_request.pk}/decision", {"decision": "approve"})
    expected = "ok" if role == "org_admin" else "login" if role == "anonymous" else "forbidden"
    assert api_status(response) == expected
    joined = ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()
    assert joined == (role == "org_admin")
    cluster_request.refresh_from_db()
    assert cluster_request.status == ("approved" if role == "org_admin" else "pending")
    if role == "org_admin":
        body = response.json()
        assert body["status"] == "approved" and body["deciders"] == ""
        assert body["requester_email"] == "manager@test.example"


@pytest.mark.parametrize("role", ROLES)
def test_api_who_refuses_a_request_with_a_reason(world, people, role):
    cluster_request = ask(world, people)
    path = f"{API}/{cluster_request.pk}/decision"
    if role == "org_admin":
        without_reason = api(people[role], "post", path, {"decision": "refuse"})
        assert without_reason.status_code == 422 and "reason" in without_reason.content.decode()
        cluster_request.refresh_from_db()
        assert cluster_request.status == "pending"
    response = api(people[role], "post", path, {"decision": "refuse", "reason": "Not our field"})
    expected = "ok" if role == "org_admin" else "login" if role == "anonymous" else "forbidden"
    assert api_status(response) == expected
    cluster_request.refresh_from_db()
    assert cluster_request.status == ("refused" if role == "org_admin" else "pending")
    if role == "org_admin":
        assert response.json()["reason"] == "Not our field"
        assert api_status(api(people[role], "post", path, {"decision": "approve"})) == "conflict"


@pytest.mark.parametrize("role", ROLES)
def test_api_who_withdraws_a_request(world, people, role):
    cluster_request = ask(world, people)
    response = api(people[role], "post", f"{API}/{cluster_request.pk}/withdraw")
    expected = "ok" if role == "manager" else "login" if role == "anonymous" else "forbidden"
    assert api_status(response) == expected
    cluster_request.refresh_from_db()
    assert cluster_request.status == ("withdrawn" if role == "manager" else "pending")
    if role == "manager":
        assert response.json()["status"] == "withdrawn"
        again = api(people[role], "post", f"{API}/{cluster_request.pk}/withdraw")
        assert api_status(again) == "conflict" and "no longer pending" in again.json()["detail"]


def test_api_refusals_are_the_pages_refusals(world, people):
    manager = people["manager"]
    member = api(manager, "post", API, {"cluster": world.cluster_a.slug, "organisation": world.org_a1.slug})
    assert member.status_code == 409 and "already a member of Cluster A" in member.json()["detail"]
    itself = api(
        manager, "post", API, {"cluster": world.cluster_a.slug, "organisation": world.cluster_a.slug}
    )
    assert itself.status_code == 409 and "cannot be a member of itself" in itself.json()["detail"]
    unknown = api(manager, "post", API, {"cluster": world.cluster_a.slug, "organisation": "no-such-org"})
    assert unknown.status_code == 404
    not_a_cluster = api(
        manager, "post", API, {"cluster": world.org_a1.slug, "organisation": world.org_b1.slug}
    )
    assert not_a_cluster.status_code == 403
    too_long = api(
        manager,
        "post",
        API,
        {"cluster": world.cluster_a.slug, "organisation": world.org_b1.slug, "message": "x" * 2001},
    )
    assert too_long.status_code == 422
    assert not ClusterMembershipRequest.objects.exists()
    assert api(people["outsider"], "post", f"{API}/999999/withdraw").status_code == 404


# Who asked does not decide (unless as the organisation's admin) ------------------------------------------------


def coordinator_managing_cluster_a(world, people):
    """The coordinator is also a manager of cluster A, the asking cluster."""
    Membership.objects.create(user=people["coordinator"], organisation=world.cluster_a, role="manager")
    return people["coordinator"]


def test_a_coordinator_does_not_decide_the_request_they_sent_another_coordinator_does(world, people):
    asker = coordinator_managing_cluster_a(world, people)
    colleague = make_user("coordinator2@test.example")
    ProgrammeRole.objects.create(programme=world.programme, user=colleague)
    lone = make_org("Lone Labs", "DE")  # no admin, in no cluster: the coordinators decide
    cluster_request = ask(world, people, lone, role="coordinator")
    assert not asker.has_perm("directory.decide_clustermembershiprequest", cluster_request)
    assert not cluster_requests_to_decide(asker).exists()
    assert list(cluster_requests_to_decide(colleague)) == [cluster_request]
    with pytest.raises(Refused, match="You asked Lone Labs to join Cluster A, so you do not decide for it"):
        joining.decide_cluster_request(asker, cluster_request, True)
    refused = api(asker, "post", f"{API}/{cluster_request.pk}/decision", {"decision": "approve"})
    assert refused.status_code == 409 and "another coordinator" in refused.json()["detail"]
    page = client_of(asker).post(
        reverse("join:decide_cluster", args=[cluster_request.pk]), {"decision": "approve"}
    )
    assert page.status_code == 403
    assert not ClusterMembership.objects.filter(member=lone).exists()
    joining.decide_cluster_request(colleague, cluster_request, True)
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=lone).exists()


def test_the_only_coordinator_is_told_nobody_else_could_decide(world, people):
    coordinator_managing_cluster_a(world, people)
    lone = make_org("Lone Labs", "DE")
    with pytest.raises(Refused, match="you are the only coordinator"):
        ask(world, people, lone, role="coordinator")
    answer = api(
        people["coordinator"], "post", API, {"cluster": world.cluster_a.slug, "organisation": lone.slug}
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "Lone Labs has no admin and is in no cluster, so a coordinator other than the one who asks decides, "
        "and you are the only coordinator. Invite an admin of Lone Labs, or appoint another coordinator, "
        "then ask again."
    )
    assert not ClusterMembershipRequest.objects.exists()
    # Another coordinator appointed: the request is sent, and they decide it.
    colleague = make_user("coordinator2@test.example")
    ProgrammeRole.objects.create(programme=world.programme, user=colleague)
    cluster_request = ask(world, people, lone, role="coordinator")
    assert colleague.has_perm("directory.decide_clustermembershiprequest", cluster_request)


def test_an_organisation_of_a_cluster_without_another_decider(world, people):
    """Gamma Robotics (cluster B) without an admin nor a manager of cluster B: only the coordinator could
    decide for it, and they asked."""
    people["org_admin"].memberships.all().delete()
    people["other_manager"].memberships.all().delete()
    with pytest.raises(Refused, match="nobody but you manages its clusters or coordinates their programme"):
        ask(world, people, role="coordinator")
    # The manager of cluster A may ask: the coordinator decides.
    cluster_request = ask(world, people)
    assert people["coordinator"].has_perm("directory.decide_clustermembershiprequest", cluster_request)


def test_the_organisations_admin_who_asked_decides_it_is_the_organisations_own_consent(world, people):
    Membership.objects.create(user=people["manager"], organisation=world.org_b1, role="manager")
    cluster_request = ask(world, people)
    assert people["manager"].has_perm("directory.decide_clustermembershiprequest", cluster_request)
    assert list(cluster_requests_to_decide(people["manager"])) == [cluster_request]
    joining.decide_cluster_request(people["manager"], cluster_request, True)
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=world.org_b1).exists()
