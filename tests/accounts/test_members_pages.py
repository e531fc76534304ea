"""The members and roles pages: who opens which (permission matrix by role), which fields each role sees,
and the actions (change, remove, leave, appoint and remove a coordinator, link a person record)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clusterxchange.accounts import domain as role_actions
from clusterxchange.accounts.models import Membership
from clusterxchange.accounts.rules import role_history
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import ClusterMembership, Person
from clusterxchange.programmes.models import ProgrammeRole
from tests.conftest import make_org, make_user

ROLES = ["coordinator", "manager", "other_manager", "org_admin", "owner", "outsider", "anonymous"]


@pytest.fixture
def people(world):
    """The world's roles, plus the manager of the other partner (B) and an admin of org A1."""
    users = dict(world.users)
    users["other_manager"] = make_user("manager.b@test.example", world.cluster_b, "manager")
    users["org_admin"] = make_user("admin.a1@test.example", world.org_a1, "manager")
    users["org_admin"].first_name, users["org_admin"].last_name = "Ada", "Admin"
    users["org_admin"].save()
    return users


def client_of(people, role) -> Client:
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    return client


def status(people, role, url, data=None):
    client = client_of(people, role)
    response = client.post(url, data or {}) if data is not None else client.get(url)
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


# page -> role -> status
PAGES = {
    "members": {"anonymous": "login", **dict.fromkeys(ROLES[:-1], 200)},
    "programme": {
        "coordinator": 200,
        "manager": 200,
        "other_manager": 200,
        "org_admin": 403,
        "owner": 403,
        "outsider": 403,
        "anonymous": "login",
    },
    "organisation": {
        "coordinator": 200,
        "manager": 200,
        "other_manager": 403,
        "org_admin": 200,
        "owner": 200,
        "outsider": 403,
        "anonymous": "login",
    },
}


def page_url(world, page):
    return {
        "members": reverse("accounts:members"),
        "programme": reverse("accounts:programme_members", args=[world.programme.slug]),
        "organisation": reverse("accounts:organisation_members", args=[world.org_a1.slug]),
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_who_opens_which_page(world, people, page, role):
    assert status(people, role, page_url(world, page)) == PAGES[page][role]


def test_programme_page_fields_by_role(world, people):
    url = page_url(world, "programme")
    coordinator_view = client_of(people, "coordinator").get(url).content.decode()
    assert "coordinator@test.example" in coordinator_view
    assert "manager@test.example" in coordinator_view and "manager.b@test.example" in coordinator_view
    assert "Appoint coordinator" in coordinator_view and "Remove coordinator" in coordinator_view
    # A partner manager reads their own managers' emails, not the other partner's; no coordinator actions.
    manager_view = client_of(people, "manager").get(url).content.decode()
    assert "manager@test.example" in manager_view
    assert "manager.b@test.example" not in manager_view
    assert "coordinator@test.example" in manager_view
    assert "Appoint coordinator" not in manager_view and "Remove coordinator" not in manager_view
    other_view = client_of(people, "other_manager").get(url).content.decode()
    assert "manager.b@test.example" in other_view and ">manager@test.example<" not in other_view
    assert reverse("accounts:organisation_members", args=[world.cluster_a.slug]) not in other_view
    assert reverse("accounts:organisation_members", args=[world.cluster_b.slug]) in other_view


def test_organisation_page_fields_by_role(world, people):
    url = page_url(world, "organisation")
    for role in ("coordinator", "manager", "org_admin"):
        content = client_of(people, role).get(url).content.decode()
        assert "owner@test.example" in content and "admin.a1@test.example" in content, role
        assert "Change role" in content and "Add an existing account" in content, role
        assert "Person records without an account" in content and "Amélie" in content, role
    member_view = client_of(people, "owner").get(url).content.decode()
    assert "owner@test.example" in member_view and "Ada Admin" in member_view  # their own side
    assert "Change role" not in member_view and "Person records without an account" not in member_view
    assert "Leave the organisation" in member_view
    assert "Leave the organisation" not in client_of(people, "manager").get(url).content.decode()


def test_a_cluster_page_lists_its_member_organisations_paginated_and_searchable(world, people):
    for index in range(30):
        ClusterMembership.objects.create(cluster=world.cluster_a, member=make_org(f"Extra {index:02d}", "FR"))
    url = reverse("accounts:organisation_members", args=[world.cluster_a.slug])
    client = client_of(people, "manager")
    first = client.get(url).content.decode()
    assert "Member organisations" in first and "(32)" in first and "Alpha Sensors" in first
    assert "orgs=2" in first
    second = client.get(url + "?orgs=2").content.decode()
    assert "Extra 29" in second
    found = client.get(url + "?q=beta").content.decode()
    assert "Beta Software" in found and "Extra 01" not in found


def test_member_search_and_pagination(world, people):
    for index in range(30):
        make_user(f"person{index:02d}@alpha.example", world.org_a1)
    client = client_of(people, "manager")
    url = page_url(world, "organisation")
    page_one = client.get(url).content.decode()
    assert "Page 1 of 2" in page_one
    found = client.get(url + "?q=person07").content.decode()
    assert "person07@alpha.example" in found and "person08@alpha.example" not in found


def test_change_and_remove_a_member(world, people, django_capture_on_commit_callbacks):
    client = client_of(people, "manager")
    membership = Membership.objects.get(user=people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership_change", args=[membership.pk]), {"role": "organisation-admin"}
        )
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == "manager"
    assert mail.outbox[-1].to == ["owner@test.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:membership_remove", args=[membership.pk]), {"reason": "moved on"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "moved on" in mail.outbox[-1].body
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "accounts.role.change",
        "accounts.role.remove",
    }


def test_a_member_may_not_change_roles(world, people):
    membership = Membership.objects.get(user=people["org_admin"])
    response = client_of(people, "owner").post(
        reverse("accounts:membership_change", args=[membership.pk]), {"role": "organisation-member"}
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == "manager"
    response = client_of(people, "other_manager").post(
        reverse("accounts:membership_remove", args=[membership.pk])
    )
    assert response.status_code == 404


def test_bad_role_is_refused_with_a_message(world, people):
    membership = Membership.objects.get(user=people["owner"])
    response = client_of(people, "manager").post(
        reverse("accounts:membership_change", args=[membership.pk]), {"role": "emperor"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "member"


def test_the_last_admin_leaves_only_naming_another(world, people):
    client = client_of(people, "org_admin")
    url = reverse("accounts:organisation_leave", args=[world.org_a1.slug])
    response = client.post(url, {}, follow=True)
    assert "last admin" in response.content.decode()
    assert Membership.objects.filter(user=people["org_admin"]).exists()
    response = client.post(url, {"successor": "nobody@nowhere.example"}, follow=True)
    assert "no account with this address" in response.content.decode()
    response = client.post(url, {"successor": "owner@test.example"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:members")
    assert not Membership.objects.filter(user=people["org_admin"]).exists()
    assert Membership.objects.get(user=people["owner"]).role == "manager"


def test_a_member_leaves(world, people):
    response = client_of(people, "owner").post(
        reverse("accounts:organisation_leave", args=[world.org_a1.slug]), follow=True
    )
    assert "You left Alpha Sensors" in response.content.decode()
    assert not Membership.objects.filter(user=people["owner"]).exists()


def test_appoint_and_remove_coordinators(world, people, django_capture_on_commit_callbacks):
    client = client_of(people, "coordinator")
    appoint = reverse("accounts:coordinator_appoint", args=[world.programme.slug])
    response = client.post(appoint, {"account": "unknown@test.example"}, follow=True)
    assert "Invite the person instead" in response.content.decode()
    assert client_of(people, "manager").post(appoint, {"account": "owner@test.example"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(appoint, {"account": "owner@test.example"})
    assert ProgrammeRole.objects.filter(user=people["owner"]).exists()
    assert "coordinator of TEST" in mail.outbox[-1].subject
    own = ProgrammeRole.objects.get(user=people["coordinator"])
    client.post(reverse("accounts:coordinator_remove", args=[own.pk]))
    assert not ProgrammeRole.objects.filter(pk=own.pk).exists()
    # the remaining coordinator is the last: refused with the reason
    last = ProgrammeRole.objects.get(user=people["owner"])
    response = client_of(people, "owner").post(
        reverse("accounts:coordinator_remove", args=[last.pk]), follow=True
    )
    assert "last coordinator" in response.content.decode()
    assert ProgrammeRole.objects.filter(pk=last.pk).exists()


def test_coordinators_appointed_and_removed_are_in_the_programme_history(world, people):
    client = client_of(people, "coordinator")
    client.post(
        reverse("accounts:coordinator_appoint", args=[world.programme.slug]),
        {"account": "owner@test.example"},
    )
    client.post(
        reverse("accounts:coordinator_remove", args=[ProgrammeRole.objects.get(user=people["owner"]).pk])
    )
    page = client.get(reverse("programmes:overview", args=[world.programme.slug])).content.decode()
    assert "Coordinator appointed" in page and "Coordinator removed" in page
    assert "Coordinator: owner@test.example</span>" in page  # appointed: no old value
    assert "Coordinator: owner@test.example → —" in page  # removed
    # The managers of its partners, who read the set-up, see it too.
    assert (
        "Coordinator removed"
        in client_of(people, "manager")
        .get(reverse("programmes:overview", args=[world.programme.slug]))
        .content.decode()
    )


def test_link_and_unlink_a_person_record(world, people):
    client = client_of(people, "org_admin")
    link = reverse("accounts:person_link", args=[world.person_a1.pk])
    response = client.post(link, {"account": "outsider@test.example"}, follow=True)
    assert "is not an account of Alpha Sensors" in response.content.decode()
    client.post(link, {"account": "owner@test.example"})
    assert Person.objects.get(pk=world.person_a1.pk).user == people["owner"]
    assert client_of(people, "owner").post(link, {"account": "owner@test.example"}).status_code == 404
    client.post(reverse("accounts:person_unlink", args=[world.person_a1.pk]))
    assert Person.objects.get(pk=world.person_a1.pk).user is None
    assert (
        AuditEntry.objects.filter(action__in=["directory.person.link", "directory.person.unlink"]).count()
        == 2
    )


def test_add_an_existing_account(world, people):
    url = reverse("accounts:membership_add", args=[world.org_a1.slug])
    assert (
        client_of(people, "owner")
        .post(url, {"account": "colleague@test.example", "role": "organisation-member"})
        .status_code
        == 403
    )
    client_of(people, "org_admin").post(
        url, {"account": "colleague@test.example", "role": "organisation-member"}
    )
    assert Membership.objects.filter(user=people["same_cluster"], organisation=world.org_a1).exists()


def test_navigation_and_links(world, people):
    home = reverse("accounts:me")
    assert reverse("accounts:members") in client_of(people, "manager").get(home).content.decode()
    org_page = reverse("directory:organisation", args=[world.org_a1.slug])
    members = reverse("accounts:organisation_members", args=[world.org_a1.slug])
    assert members in client_of(people, "owner").get(org_page).content.decode()
    assert members not in client_of(people, "outsider").get(org_page).content.decode()
    assert members not in client_of(people, "other_manager").get(org_page).content.decode()


# The history of an organisation's roles --------------------------------------------------------------------


def make_role_history(world, people):
    """Nina is added (by the partner manager), made admin and removed (by Ada, the admin), Leo leaves."""
    nina = make_user("nina@alpha.example")
    nina.first_name, nina.last_name = "Nina", "Neu"
    nina.save()
    leo = make_user("leo@alpha.example", world.org_a1)
    leo.first_name, leo.last_name = "Leo", "Lang"
    leo.save()
    role_actions.grant_role(people["manager"], nina, "organisation-member", world.org_a1, reason="new hire")
    membership = Membership.objects.get(user=nina)
    role_actions.change_role(people["org_admin"], membership, "organisation-admin")
    role_actions.remove_role(people["org_admin"], membership, "moved on")
    role_actions.leave_organisation(leo, world.org_a1)
    return nina


# Who reads the history on the organisation's members page: who administers it (its admin, its cluster's
# manager, the programme's coordinator); not its plain members, nor those who may not open the page.
HISTORY_READERS = {"coordinator", "manager", "org_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_history_of_the_roles_and_what_it_shows(world, people, role):
    make_role_history(world, people)
    response = client_of(people, role).get(page_url(world, "organisation"))
    expected = PAGES["organisation"][role]
    if expected == "login":
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    assert response.status_code == expected
    if expected != 200:
        return
    page = response.content.decode()
    assert ("History of the roles" in page) == (role in HISTORY_READERS)
    if role not in HISTORY_READERS:
        assert "Left the organisation" not in page and "moved on" not in page and "Nina" not in page
        return
    rows = page[page.index("History of the roles") :]
    # Newest first: who did what to whom, when, and the role before and after.
    order = [
        rows.index(text) for text in ("Left the organisation", "Removed from the organisation: moved on")
    ]
    order += [rows.index(text) for text in ("Role changed", "Role given: new hire")]
    assert order == sorted(order)
    assert "Person: Nina Neu</span><br><span>Role: Member → Admin</span>" in rows
    assert "Person: Nina Neu</span><br><span>Role: Admin → —</span>" in rows
    assert "Person: Leo Lang</span><br><span>Role: Member → —</span>" in rows
    assert "Person: Nina Neu</span><br><span>Role: Member</span>" in rows
    assert "<td>Ada Admin</td>" in rows and "<td>Leo Lang</td>" in rows
    assert "<td>manager@test.example</td>" in rows  # the partner manager has no name: their address


def test_the_history_is_recorded_on_the_organisation_naming_the_person(world, people):
    nina = make_role_history(world, people)
    entries = role_history(world.org_a1)
    assert [(entry.action, entry.subject.email) for entry in entries] == [
        ("accounts.role.leave", "leo@alpha.example"),
        ("accounts.role.remove", "nina@alpha.example"),
        ("accounts.role.change", "nina@alpha.example"),
        ("accounts.role.assign", "nina@alpha.example"),
    ]
    assert {entry.object_type for entry in entries} == {"directory.organisation"}
    assert not Membership.objects.filter(user=nina).exists()  # the membership is gone, its history stays
    assert not role_history(world.org_a2).exists()


def test_the_history_is_paged(world, people):
    for index in range(30):
        user = make_user(f"p{index:02d}@alpha.example")
        role_actions.grant_role(people["manager"], user, "organisation-member", world.org_a1)
    client = client_of(people, "manager")
    first = client.get(page_url(world, "organisation")).content.decode()
    assert "history=2" in first and "p29@alpha.example" in first
    second = client.get(page_url(world, "organisation") + "?history=2").content.decode()
    history = second[second.index("History of the roles") :]
    assert "p00@alpha.example" in history and "p29@alpha.example" not in history
