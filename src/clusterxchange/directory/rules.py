"""Object permissions of the directory, in one place: views, API and admin all ask these.

Who may do what:
- anyone reads published organisations, clusters, listed people (name, position) and live opportunities;
- programme members (logged in with a membership or a coordinator role) also see contact details;
- an organisation's members edit its profile, its people and its opportunities;
- a cluster's managers edit the cluster and its member organisations, and add members;
- coordinators edit everything and import.

Joining (join requests and organisation registrations, see `joining.py`):
- any logged-in person asks to join an organisation or registers a new one, and withdraws it while pending;
- an organisation's admins (manager memberships) decide the requests to join it;
- the managers of a partner cluster, and the coordinators of its programmes, decide the organisations
  registered under that cluster, and the requests to join an organisation of the cluster (or the cluster
  itself) that has no admin; coordinators decide those of an organisation in no cluster without an admin;
- the requester and the deciders see a request; only deciders see the requester's email.
"""

import rules
from django.db.models import Exists, OuterRef, Q

from clusterxchange.accounts.models import Membership
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import (
    ClusterMembership,
    JoinRequest,
    OrganisationRegistration,
    RequestStatus,
)
from clusterxchange.programmes.models import PartnerCluster


def _member_cluster_ids(organisation) -> set[int]:
    cached = getattr(organisation, "_cx_cluster_ids", None)
    if cached is None:
        cached = set(organisation.memberships_as_member.values_list("cluster_id", flat=True))
        organisation._cx_cluster_ids = cached
    return cached


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def is_programme_member(user) -> bool:
    return roles_of(user).is_programme_member


@rules.predicate
def is_cluster_manager(user) -> bool:
    return roles_of(user).is_cluster_manager


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in roles_of(user).organisation_ids


@rules.predicate
def manages_cluster_of(user, organisation) -> bool:
    if organisation is None:
        return False
    managed = roles_of(user).managed_cluster_ids
    if not managed:
        return False
    return organisation.pk in managed or bool(managed & _member_cluster_ids(organisation))


can_edit_organisation = is_coordinator | is_organisation_member | manages_cluster_of


@rules.predicate
def can_edit_person(user, person) -> bool:
    if person is None:
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return can_edit_organisation(user, person.organisation)


@rules.predicate
def can_manage_person(user, person) -> bool:
    return person is not None and can_edit_organisation(user, person.organisation)


@rules.predicate
def can_edit_opportunity(user, opportunity) -> bool:
    return opportunity is not None and can_edit_organisation(user, opportunity.organisation)


@rules.predicate
def can_view_opportunity(user, opportunity) -> bool:
    if opportunity is None:
        return False
    if opportunity.status == "published" and not opportunity.is_expired:
        return True
    return can_edit_opportunity(user, opportunity)


@rules.predicate
def can_view_person(user, person) -> bool:
    if person is None:
        return False
    return person.listed or is_programme_member(user)


rules.add_perm("directory", is_coordinator)
rules.add_perm("directory.view_organisation", rules.always_allow)
rules.add_perm("directory.view_contact_details", is_programme_member)
rules.add_perm("directory.add_organisation", is_coordinator | is_cluster_manager)
rules.add_perm("directory.change_organisation", can_edit_organisation)
rules.add_perm("directory.delete_organisation", is_coordinator | manages_cluster_of)
rules.add_perm("directory.view_person", is_coordinator | can_view_person)
rules.add_perm("directory.add_person", is_coordinator | can_edit_organisation)
rules.add_perm("directory.change_person", is_coordinator | can_edit_person)
rules.add_perm("directory.delete_person", is_coordinator | can_manage_person)
rules.add_perm("directory.view_opportunity", is_coordinator | can_view_opportunity)
rules.add_perm("directory.add_opportunity", is_coordinator | can_edit_organisation)
rules.add_perm("directory.change_opportunity", is_coordinator | can_edit_opportunity)
rules.add_perm("directory.delete_opportunity", is_coordinator | can_edit_opportunity)
rules.add_perm("directory.import", is_coordinator | is_cluster_manager)


# Joining -------------------------------------------------------------------------------------------


def coordinated_cluster_ids(user) -> frozenset[int]:
    """The partner clusters of the programmes the user coordinates (cached on the user)."""
    roles = roles_of(user)
    if not roles.coordinator_programme_ids:
        return frozenset()
    cached = getattr(user, "_cx_coordinated_clusters", None)
    if cached is None:
        cached = frozenset(
            PartnerCluster.objects.filter(programme_id__in=roles.coordinator_programme_ids).values_list(
                "cluster_id", flat=True
            )
        )
        user._cx_coordinated_clusters = cached
    return cached


def deciding_cluster_ids(user) -> frozenset[int]:
    """Clusters whose registrations (and requests to join their admin-less organisations) the user decides."""
    return roles_of(user).managed_cluster_ids | coordinated_cluster_ids(user)


def may_decide_anything(user) -> bool:
    """Cheap: whether the user could decide any request at all (the menu asks this on every page)."""
    if user is None or not user.is_authenticated:
        return False
    roles = roles_of(user)
    return user.is_superuser or bool(roles.managed_organisation_ids) or roles.is_coordinator


def _has_admin():
    return Exists(
        Membership.objects.filter(organisation_id=OuterRef("organisation_id"), role=Membership.Role.MANAGER)
    )


def _in_clusters(cluster_ids):
    return Q(organisation_id__in=cluster_ids) | Q(
        Exists(
            ClusterMembership.objects.filter(
                member_id=OuterRef("organisation_id"), cluster_id__in=cluster_ids
            )
        )
    )


def _in_any_cluster():
    return Exists(ClusterMembership.objects.filter(member_id=OuterRef("organisation_id")))


def join_requests_to_decide(user):
    """The pending join requests the user may decide."""
    pending = JoinRequest.objects.filter(status=RequestStatus.PENDING)
    if not may_decide_anything(user):
        return pending.none()
    if user.is_superuser:
        return pending
    condition = Q(organisation_id__in=roles_of(user).managed_organisation_ids)
    clusters = deciding_cluster_ids(user)
    if clusters:
        condition |= ~Q(_has_admin()) & _in_clusters(clusters)
    if roles_of(user).is_coordinator:
        condition |= ~Q(_has_admin()) & ~Q(_in_any_cluster())
    return pending.filter(condition)


def registrations_to_decide(user):
    """The pending organisation registrations the user may decide."""
    pending = OrganisationRegistration.objects.filter(status=RequestStatus.PENDING)
    if not may_decide_anything(user):
        return pending.none()
    if user.is_superuser:
        return pending
    return pending.filter(cluster_id__in=deciding_cluster_ids(user))


def pending_decision_count(user) -> int:
    """How many requests wait for the user's decision (the menu shows it): no query for most users."""
    if not may_decide_anything(user):
        return 0
    cached = getattr(user, "_cx_pending_decisions", None)
    if cached is None:
        cached = join_requests_to_decide(user).count() + registrations_to_decide(user).count()
        user._cx_pending_decisions = cached
    return cached


def organisation_has_admin(organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.MANAGER).exists()


@rules.predicate
def may_decide_join_request(user, join_request) -> bool:
    if join_request is None or not may_decide_anything(user):
        return False
    if user.is_superuser or join_request.organisation_id in roles_of(user).managed_organisation_ids:
        return True
    clusters = deciding_cluster_ids(user)
    if not clusters or organisation_has_admin(join_request.organisation):
        return False
    organisation_clusters = _member_cluster_ids(join_request.organisation)
    if not organisation_clusters and roles_of(user).is_coordinator:
        return True  # an organisation in no cluster and without an admin: the coordinators decide
    return join_request.organisation_id in clusters or bool(clusters & organisation_clusters)


@rules.predicate
def may_decide_registration(user, registration) -> bool:
    if registration is None or not may_decide_anything(user):
        return False
    return user.is_superuser or registration.cluster_id in deciding_cluster_ids(user)


@rules.predicate
def is_requester(user, request) -> bool:
    return request is not None and user.is_authenticated and request.user_id == user.pk


@rules.predicate
def is_logged_in(user) -> bool:
    return user is not None and user.is_authenticated


rules.add_perm("directory.add_joinrequest", is_logged_in)
rules.add_perm("directory.view_joinrequest", is_requester | may_decide_join_request)
rules.add_perm("directory.decide_joinrequest", may_decide_join_request)
rules.add_perm("directory.withdraw_joinrequest", is_requester)
rules.add_perm("directory.add_organisationregistration", is_logged_in)
rules.add_perm("directory.view_organisationregistration", is_requester | may_decide_registration)
rules.add_perm("directory.decide_organisationregistration", may_decide_registration)
rules.add_perm("directory.withdraw_organisationregistration", is_requester)
