"""Who decides the requests to join an organisation and the registrations of new ones (pages, API and
the main menu ask these; the permissions keep the names of the directory's records they are about).

- any logged-in person asks to join an organisation or registers a new one, and withdraws it while pending;
- an organisation's admins (manager memberships) decide the requests to join it;
- the managers of a partner cluster, and the coordinators of its programmes (those who administer the
  cluster: `accounts.rules.administered_cluster_ids`), decide the organisations registered under that
  cluster, and the requests to join an organisation of the cluster (or the cluster itself) that has no
  admin; coordinators decide those of an organisation in no cluster without an admin;
- the requester and the deciders see a request; only deciders see the requester's email;
- a cluster's managers and the coordinators ask an organisation of the directory to join the cluster
  (`ClusterMembershipRequest`); it is decided as a person's request to join that organisation would be,
  but never by who asked unless they are the organisation's admin (its own consent): a manager or
  coordinator who stands in for an organisation without an admin does not consent to their own request,
  another one does (`stand_in_deciders`). Who asked, the deciders and whoever may ask on behalf of the
  cluster see the request.
"""

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.accounts.models import Membership, User
from clusterxchange.accounts.rules import administered_cluster_ids
from clusterxchange.core.domain import refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.roles import has_every_permission, roles_of
from clusterxchange.directory.models import (
    ClusterMembership,
    ClusterMembershipRequest,
    JoinRequest,
    OpportunityInterest,
    OrganisationRegistration,
    RequestStatus,
)
from clusterxchange.directory.rules import member_cluster_ids
from clusterxchange.programmes.models import ProgrammeRole


def may_decide_anything(user) -> bool:
    """Cheap: whether the user could decide any request at all (the menu asks this on every page)."""
    if user is None or not user.is_authenticated:
        return False
    roles = roles_of(user)
    return has_every_permission(user) or bool(roles.managed_organisation_ids) or roles.is_coordinator


def _has_admin():
    return Exists(
        Membership.objects.filter(organisation_id=OuterRef("organisation_id"), role=Membership.Role.MANAGER)
    )


def _in_clusters(cluster_ids, organisation="organisation_id"):
    """The rows whose `organisation` (a field path) is one of the clusters or a member of one."""
    return Q(**{f"{organisation}__in": cluster_ids}) | Q(
        Exists(ClusterMembership.objects.filter(member_id=OuterRef(organisation), cluster_id__in=cluster_ids))
    )


def _in_any_cluster(organisation="organisation_id"):
    return Exists(ClusterMembership.objects.filter(member_id=OuterRef(organisation)))


def _decided_for_organisation(model, user):
    """The pending requests of `model` (with an `organisation`) that the user decides on behalf of the
    organisation: its admins; without an admin, its clusters' managers and their programmes'
    coordinators; in no cluster either, the coordinators."""
    pending = model.objects.filter(status=RequestStatus.PENDING)
    if not may_decide_anything(user):
        return pending.none()
    if has_every_permission(user):
        return pending
    condition = Q(organisation_id__in=roles_of(user).managed_organisation_ids)
    clusters = administered_cluster_ids(user)
    if clusters:
        condition |= ~Q(_has_admin()) & _in_clusters(clusters)
    if roles_of(user).is_coordinator:
        condition |= ~Q(_has_admin()) & ~Q(_in_any_cluster())
    return pending.filter(condition)


def join_requests_to_decide(user):
    """The pending join requests the user may decide."""
    return _decided_for_organisation(JoinRequest, user)


def cluster_requests_to_decide(user):
    """The pending requests for an organisation to join a cluster that the user may decide: not those
    they asked, unless as the organisation's admin."""
    pending = _decided_for_organisation(ClusterMembershipRequest, user)
    if not may_decide_anything(user):
        return pending
    return pending.exclude(Q(user=user) & ~Q(organisation_id__in=roles_of(user).managed_organisation_ids))


def cluster_requests_sent(user):
    """The requests sent on behalf of the clusters the user asks for: the clusters they manage; every
    cluster for a coordinator (as `may_ask_cluster_member`)."""
    if not is_logged_in(user):
        return ClusterMembershipRequest.objects.none()
    roles = roles_of(user)
    if has_every_permission(user) or roles.is_coordinator:
        return ClusterMembershipRequest.objects.all()
    return ClusterMembershipRequest.objects.filter(cluster_id__in=roles.managed_cluster_ids)


def registrations_to_decide(user):
    """The pending organisation registrations the user may decide."""
    pending = OrganisationRegistration.objects.filter(status=RequestStatus.PENDING)
    if not may_decide_anything(user):
        return pending.none()
    if has_every_permission(user):
        return pending
    return pending.filter(cluster_id__in=administered_cluster_ids(user))


def pending_decision_count(user) -> int:
    """How many requests wait for the user's decision (the menu shows it): no query for most users."""
    if not may_decide_anything(user):
        return 0
    return _pending_decision_count(user)


@cached_on_object
def _pending_decision_count(user) -> int:
    pending = [
        queryset.order_by().values_list("pk", flat=True)
        for queryset in (
            join_requests_to_decide(user),
            registrations_to_decide(user),
            cluster_requests_to_decide(user),
        )
    ]
    return pending[0].union(*pending[1:], all=True).count()  # one query


def interest_oversight(user) -> str | None:
    """Whether the user oversees the interests in other organisations' opportunities, and as whom:
    "programme" (a coordinator, a superuser), "clusters" (a cluster manager), or None."""
    if not is_logged_in(user):
        return None
    roles = roles_of(user)
    if has_every_permission(user) or roles.is_coordinator:
        return "programme"
    return "clusters" if roles.is_cluster_manager else None


def interests_overseen(user):
    """The interests in the opportunities of the organisations the user administers (and so may decide,
    `directory.rules.may_decide_interest`): a cluster manager's clusters and their members; a
    coordinator's programmes' partner clusters and their members, and the organisations in no cluster
    (as for join requests, `_decided_for_organisation`); all of them for a superuser."""
    oversight = interest_oversight(user)
    if oversight is None:
        return OpportunityInterest.objects.none()
    if has_every_permission(user):
        return OpportunityInterest.objects.all()
    owner = "opportunity__organisation_id"
    condition = _in_clusters(administered_cluster_ids(user), owner)
    if oversight == "programme":
        condition |= ~Q(_in_any_cluster(owner))
    return OpportunityInterest.objects.filter(condition)


def organisation_has_admin(organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.MANAGER).exists()


@rules.predicate
def may_decide_join_request(user, join_request) -> bool:
    """A request to join an organisation (a person's, or a cluster's: `ClusterMembershipRequest`)."""
    if join_request is None or not may_decide_anything(user):
        return False
    if has_every_permission(user) or join_request.organisation_id in roles_of(user).managed_organisation_ids:
        return True
    if organisation_has_admin(join_request.organisation):
        return False
    organisation_clusters = member_cluster_ids(join_request.organisation)
    if not organisation_clusters and roles_of(user).is_coordinator:
        return True  # an organisation in no cluster and without an admin: the coordinators decide
    clusters = administered_cluster_ids(user)
    return join_request.organisation_id in clusters or bool(clusters & organisation_clusters)


def stands_in_for_own_request(user, cluster_request) -> bool:
    """Whether `user` asked for `cluster_request` and would decide it standing in for an organisation
    without an admin (its clusters' manager, a coordinator): they may not consent to their own request."""
    return (
        is_requester(user, cluster_request)
        and cluster_request.organisation_id not in roles_of(user).managed_organisation_ids
        and may_decide_join_request(user, cluster_request)
    )


@rules.predicate
def may_decide_cluster_request(user, cluster_request) -> bool:
    return may_decide_join_request(user, cluster_request) and not stands_in_for_own_request(
        user, cluster_request
    )


def stand_in_deciders(organisation):
    """The active accounts that decide for `organisation` while it has no admin (as
    `may_decide_join_request`): the managers of its clusters and the coordinators of the programmes those
    clusters (or the organisation itself) are partners of; in no cluster, every coordinator; and the
    superusers."""
    clusters = member_cluster_ids(organisation)
    coordinators = Q(programme_roles__role=ProgrammeRole.Role.COORDINATOR)
    if clusters:
        condition = Q(
            memberships__organisation_id__in=clusters, memberships__role=Membership.Role.MANAGER
        ) | (
            coordinators
            & Q(programme_roles__programme__partners__cluster_id__in=clusters | {organisation.pk})
        )
    else:
        condition = coordinators
    return User.objects.filter(condition | Q(is_superuser=True), is_active=True).distinct()


@rules.predicate
def may_ask_cluster_member(user, cluster) -> bool:
    """A cluster's managers and the coordinators ask organisations of the directory to join it."""
    if cluster is None or not cluster.is_cluster or not is_logged_in(user):
        return False
    roles = roles_of(user)
    return has_every_permission(user) or roles.is_coordinator or cluster.pk in roles.managed_cluster_ids


@rules.predicate
def may_ask_for_cluster_of(user, cluster_request) -> bool:
    """Whoever may ask on behalf of the request's cluster sees the requests sent for it."""
    return cluster_request is not None and may_ask_cluster_member(user, cluster_request.cluster)


@rules.predicate
def may_decide_registration(user, registration) -> bool:
    if registration is None or not may_decide_anything(user):
        return False
    return has_every_permission(user) or registration.cluster_id in administered_cluster_ids(user)


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
rules.add_perm("directory.add_clustermembershiprequest", may_ask_cluster_member)
rules.add_perm(
    "directory.view_clustermembershiprequest", is_requester | may_decide_join_request | may_ask_for_cluster_of
)
rules.add_perm("directory.decide_clustermembershiprequest", may_decide_cluster_request)
rules.add_perm("directory.withdraw_clustermembershiprequest", is_requester)


# What a refused person reads (core.domain.require).
for _permission in (
    "directory.decide_joinrequest",
    "directory.decide_organisationregistration",
    "directory.decide_clustermembershiprequest",
):
    refuse_with(
        _permission,
        _(
            "Only the admins of the organisation concerned, its cluster's managers or the coordinators decide this."
        ),
    )
for _permission in (
    "directory.withdraw_joinrequest",
    "directory.withdraw_organisationregistration",
    "directory.withdraw_clustermembershiprequest",
):
    refuse_with(_permission, _("Only whoever sent it may withdraw it."))
refuse_with(
    "directory.add_clustermembershiprequest",
    _("Only the cluster's managers and the coordinators ask organisations to join it."),
)
