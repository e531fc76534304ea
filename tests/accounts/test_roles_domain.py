"""Roles: who may grant what (accounts.rules.may_grant), and the domain actions that give, change and
take away roles (accounts.domain): idempotent, never lowering, audited, with an email to the person in
their language; the last admin of an organisation and the last coordinator of a programme stay."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied

from clusterxchange.accounts import domain
from clusterxchange.accounts.models import Membership, User
from clusterxchange.accounts.rules import may_grant
from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import ClusterMembership, Person
from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole
from tests.conftest import make_org, make_user
from tests.core.test_mail import smtp, start_server  # noqa: F401 — the smtp fixture

KINDS = ["coordinator", "organisation-admin", "organisation-member"]


def targets(world):
    return {
        "programme": world.programme,
        "cluster_a": world.cluster_a,
        "org_a1": world.org_a1,
        "cluster_b": world.cluster_b,
        "org_b1": world.org_b1,
    }


# (role, target) -> may grant coordinator / organisation roles there
EXPECTED = {
    "coordinator": {"programme", "cluster_a", "org_a1", "cluster_b", "org_b1"},
    "manager": {"cluster_a", "org_a1"},
    "owner": set(),
    "same_cluster": set(),
    "outsider": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_who_may_grant_what(world, role):
    user = world.users[role] or AnonymousUser()
    granted = set()
    for name, target in targets(world).items():
        kinds = ["coordinator"] if name == "programme" else ["organisation-admin", "organisation-member"]
        results = {may_grant(user, kind, target) for kind in kinds}
        assert len(results) == 1, (name, results)
        if results.pop():
            granted.add(name)
        # a role kind that does not fit the target is never granted
        wrong = "organisation-admin" if name == "programme" else "coordinator"
        assert not may_grant(user, wrong, target)
    assert granted == EXPECTED[role]


def test_an_organisation_admin_grants_in_their_organisation_only(world):
    admin = make_user("admin@alpha.example", world.org_a1, "manager")
    assert may_grant(admin, "organisation-member", world.org_a1)
    assert may_grant(admin, "organisation-admin", world.org_a1)
    assert not may_grant(admin, "organisation-member", world.org_a2)
    assert not may_grant(admin, "organisation-member", world.cluster_a)
    assert not may_grant(admin, "coordinator", world.programme)


def test_a_partner_manager_does_not_grant_in_another_partner(world):
    other = make_user("manager-b@test.example", world.cluster_b, "manager")
    assert may_grant(other, "organisation-member", world.org_b1)
    assert not may_grant(other, "organisation-member", world.org_a1)
    assert not may_grant(other, "organisation-admin", world.cluster_a)


def test_a_coordinator_grants_only_in_their_programme(world):
    other_cluster = make_org("Cluster C", "DE", "cluster")
    outside_org = make_org("Delta", "DE")
    ClusterMembership.objects.create(cluster=other_cluster, member=outside_org)
    other = Programme.objects.create(
        name="Other", acronym="OTHER", slug="other", start_date="2022-01-01", end_date="2030-01-01"
    )
    PartnerCluster.objects.create(programme=other, cluster=other_cluster)
    coordinator = world.users["coordinator"]
    assert not may_grant(coordinator, "coordinator", other)
    assert not may_grant(coordinator, "organisation-member", outside_org)
    assert not may_grant(coordinator, "organisation-admin", other_cluster)


def test_a_superuser_grants_everything(world):
    root = User.objects.create_superuser("root@test.example", "x")
    assert may_grant(root, "coordinator", world.programme)
    assert may_grant(root, "organisation-admin", make_org("Anywhere", "IT"))


def test_an_event_organiser_grants_participation(world):
    class Event:  # what the rule reads of an event
        host_cluster_id, programme_id = world.cluster_a.pk, None

    assert may_grant(world.users["manager"], "event-participant", Event())
    assert not may_grant(world.users["owner"], "event-participant", Event())
    Event.host_cluster_id, Event.programme_id = world.cluster_b.pk, world.programme.pk
    assert not may_grant(world.users["manager"], "event-participant", Event())
    assert may_grant(world.users["coordinator"], "event-participant", Event())


def test_assign_role_is_idempotent_never_lowers_and_links_the_person(world):
    user = User.objects.create_user("amelie@alpha.example", first_name="Amélie", last_name="Durand")
    by = world.users["manager"]
    membership = domain.assign_role(user, "organisation-admin", world.org_a1, by=by, reason="invited")
    assert membership.role == "manager"
    again = domain.assign_role(user, "organisation-member", world.org_a1, by=by)
    assert again.pk == membership.pk and again.role == "manager"
    world.person_a1.refresh_from_db()
    assert world.person_a1.user == user  # matched by email
    entries = AuditEntry.objects.filter(action="accounts.role.assign")
    assert entries.count() == 1 and entries.get().comment == "invited" and entries.get().actor == by
    assert AuditEntry.objects.filter(action="directory.person.link").count() == 1
    assert mail.outbox == []  # assign_role sends nothing: its caller tells the person


def test_assign_role_raises_a_member_to_admin(world):
    owner = world.users["owner"]
    membership = domain.assign_role(owner, "organisation-admin", world.org_a1, by=world.users["manager"])
    assert membership.role == "manager"
    assert world.org_a1.pk in roles_of(owner).managed_organisation_ids  # the cached roles were dropped


def test_assign_role_creates_an_unlisted_person_record_when_none_matches(world):
    user = User.objects.create_user("new@alpha.example", first_name="Nina", last_name="Neu")
    domain.assign_role(user, "organisation-member", world.org_a1, by=None)
    person = Person.objects.get(user=user)
    assert (person.first_name, person.last_name, person.email, person.listed) == (
        "Nina",
        "Neu",
        "new@alpha.example",
        False,
    )
    assert person.organisation == world.org_a1


def test_assign_coordinator(world):
    user = make_user("second@test.example")
    role = domain.assign_role(user, "coordinator", world.programme, by=world.users["coordinator"])
    assert role.created_at is not None
    assert domain.assign_role(user, "coordinator", world.programme, by=None).pk == role.pk
    with pytest.raises(ValueError):
        domain.assign_role(user, "coordinator", world.org_a1, by=None)


def test_grant_role_checks_the_permission_and_tells_the_person(world, django_capture_on_commit_callbacks):
    user = make_user("new@test.example")
    with pytest.raises(PermissionDenied):
        domain.grant_role(world.users["owner"], user, "organisation-member", world.org_a2)
    with django_capture_on_commit_callbacks(execute=True):
        domain.grant_role(world.users["manager"], user, "organisation-member", world.org_a2)
    assert Membership.objects.filter(user=user, organisation=world.org_a2, role="member").exists()
    assert [message.to for message in mail.outbox] == [["new@test.example"]]
    assert "member of Beta Software" in mail.outbox[0].subject
    with pytest.raises(Refused, match="already member"):
        domain.grant_role(world.users["manager"], user, "organisation-member", world.org_a2)


def test_emails_are_written_in_the_persons_language(world, django_capture_on_commit_callbacks):
    user = make_user("neu@test.example")
    user.language = "de"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        domain.grant_role(world.users["coordinator"], user, "coordinator", world.programme)
    assert "Koordinator" in mail.outbox[0].subject, mail.outbox[0].subject
    user.language = "fr"
    user.save()
    membership = domain.assign_role(user, "organisation-member", world.org_a2, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        domain.change_role(world.users["coordinator"], membership, "organisation-admin")
    assert "Vous" in mail.outbox[1].subject, mail.outbox[1].subject


def test_change_role_and_the_last_admin(world):
    manager = world.users["manager"]
    membership = Membership.objects.get(user=manager)
    colleague = make_user("colleague@cluster-a.example", world.cluster_a)
    with pytest.raises(Refused, match="last admin"):
        domain.change_role(manager, membership, "organisation-member")
    assert Membership.objects.get(pk=membership.pk).role == "manager"
    other = Membership.objects.get(user=colleague)
    domain.change_role(manager, other, "organisation-admin")
    domain.change_role(manager, membership, "organisation-member")
    assert Membership.objects.get(pk=membership.pk).role == "member"
    assert AuditEntry.objects.filter(action="accounts.role.change").count() == 2
    with pytest.raises(PermissionDenied):  # no longer admin
        domain.change_role(User.objects.get(pk=manager.pk), other, "organisation-member")


def test_remove_role_unlinks_the_person_and_keeps_an_admin(world, django_capture_on_commit_callbacks):
    owner = world.users["owner"]
    world.person_a1.user = owner
    world.person_a1.save()
    membership = Membership.objects.get(user=owner)
    with pytest.raises(PermissionDenied):
        domain.remove_role(world.users["outsider"], membership)
    with django_capture_on_commit_callbacks(execute=True):
        domain.remove_role(world.users["manager"], membership, reason="left the company")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    world.person_a1.refresh_from_db()
    assert world.person_a1.user is None
    assert "left the company" in mail.outbox[0].body
    assert AuditEntry.objects.get(action="accounts.role.remove").comment == "left the company"
    # the cluster's last admin, with another member, stays
    make_user("member@cluster-a.example", world.cluster_a)
    with pytest.raises(Refused, match="last admin"):
        domain.remove_role(world.users["coordinator"], Membership.objects.get(user=world.users["manager"]))


def test_leave_organisation(world, django_capture_on_commit_callbacks):
    owner = world.users["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        domain.leave_organisation(owner, world.org_a1)
    assert not Membership.objects.filter(user=owner).exists()
    assert "You left Alpha Sensors" in mail.outbox[0].subject
    with pytest.raises(Refused, match="not a member"):
        domain.leave_organisation(owner, world.org_a1)


def test_the_last_admin_leaves_only_naming_another(world, django_capture_on_commit_callbacks):
    manager = world.users["manager"]
    colleague = make_user("colleague@cluster-a.example", world.cluster_a)
    with pytest.raises(Refused, match="last admin"):
        domain.leave_organisation(manager, world.cluster_a)
    assert Membership.objects.filter(user=manager).exists()
    with pytest.raises(Refused, match="not one of the people"):
        domain.leave_organisation(manager, world.cluster_a, successor=world.users["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        domain.leave_organisation(manager, world.cluster_a, successor=colleague)
    assert Membership.objects.get(user=colleague).role == "manager"
    assert not Membership.objects.filter(user=manager).exists()
    assert {message.to[0] for message in mail.outbox} == {manager.email, colleague.email}


def test_an_admin_alone_may_leave(world):
    manager = world.users["manager"]
    domain.leave_organisation(manager, world.cluster_a)
    assert not Membership.objects.filter(organisation=world.cluster_a).exists()


def test_the_last_coordinator_cannot_remove_themself(world, django_capture_on_commit_callbacks):
    coordinator = world.users["coordinator"]
    role = ProgrammeRole.objects.get(user=coordinator)
    with pytest.raises(Refused, match="last coordinator"):
        domain.remove_coordinator(coordinator, role)
    second = make_user("second@test.example")
    second_role = domain.grant_role(coordinator, second, "coordinator", world.programme)
    with pytest.raises(PermissionDenied):
        domain.remove_coordinator(world.users["manager"], second_role)
    with django_capture_on_commit_callbacks(execute=True):
        domain.remove_coordinator(coordinator, role)
    assert list(ProgrammeRole.objects.values_list("user__email", flat=True)) == ["second@test.example"]
    assert "no longer coordinator of TEST" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="accounts.role.remove").count() == 1


def test_the_email_reaches_a_real_mail_server(world, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    controller, inbox = start_server(smtp)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            domain.grant_role(
                world.users["manager"], make_user("x@test.example"), "organisation-admin", world.org_a1
            )
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    content, recipients = inbox.received[0]
    assert recipients == ["x@test.example"] and "admin of Alpha Sensors" in content
