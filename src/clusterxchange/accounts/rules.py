"""Who may do what with accounts: API tokens (their owner, and a coordinator for the people of their
programme) and roles (who may grant, change and remove which role, and see whose memberships).

Role kinds (strings, shared by the members pages, invitations, sign-up and the API):
- "coordinator" of a Programme;
- "organisation-admin" / "organisation-member" of an Organisation (a partner manager is the admin of
  a partner cluster organisation);
- "event-participant" of an Event (invitations only).

Who may grant a role (`may_grant`):
- a coordinator of P (or a superuser): coordinator of P; admin or member of any partner cluster of P
  and of its member organisations;
- a partner manager (admin of cluster C): admin or member of C and of C's member organisations;
- an organisation admin of O: admin or member of O;
- an event organiser (manager of the host cluster, coordinator of the programme): participant of E.
Who may grant a role on an organisation also changes and removes its memberships.
"""

import rules
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.accounts.models import ApiToken, Invitation, Membership, User
from clusterxchange.core.domain import refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.roles import has_every_permission, roles_of
from clusterxchange.directory.models import ClusterMembership, Organisation
from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

COORDINATOR = "coordinator"
ORGANISATION_ADMIN = "organisation-admin"
ORGANISATION_MEMBER = "organisation-member"
EVENT_PARTICIPANT = "event-participant"
ROLE_KINDS = (COORDINATOR, ORGANISATION_ADMIN, ORGANISATION_MEMBER, EVENT_PARTICIPANT)
MEMBERSHIP_ROLE = {
    ORGANISATION_ADMIN: Membership.Role.MANAGER,
    ORGANISATION_MEMBER: Membership.Role.MEMBER,
}
ROLE_KIND_OF_MEMBERSHIP = {role: kind for kind, role in MEMBERSHIP_ROLE.items()}


def programme_people(programme_ids) -> Q:
    """Users of the programmes: members of a partner cluster or of one of its member organisations,
    and holders of a programme role."""

    clusters = PartnerCluster.objects.filter(programme_id__in=programme_ids).values("cluster_id")
    members = ClusterMembership.objects.filter(cluster_id__in=clusters).values("member_id")
    return (
        Q(memberships__organisation_id__in=clusters)
        | Q(memberships__organisation_id__in=members)
        | Q(programme_roles__programme_id__in=programme_ids)
    )


def tokens_visible_to(user):
    """The tokens `user` may list and revoke: their own, and as coordinator those of their programmes' people."""

    if not user.is_authenticated:
        return ApiToken.objects.none()
    programme_ids = roles_of(user).coordinator_programme_ids
    if not programme_ids:
        return ApiToken.objects.filter(user=user)
    people = User.objects.filter(programme_people(programme_ids)).values("pk")
    return ApiToken.objects.filter(Q(user=user) | Q(user_id__in=people))


@rules.predicate
def may_revoke_token(user, token) -> bool:
    return token is not None and tokens_visible_to(user).filter(pk=token.pk).exists()


rules.add_perm("accounts.revoke_token", may_revoke_token)
rules.add_perm("accounts.issue_token", rules.is_authenticated)


# --- Roles ------------------------------------------------------------------------------------


def administered_cluster_ids(user) -> frozenset[int]:
    """The clusters whose people and member organisations `user` administers: those they manage and,
    as coordinator, the partner clusters of their programmes (computed once per user and request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return _administered_cluster_ids(user)


@cached_on_object
def _administered_cluster_ids(user) -> frozenset[int]:
    roles = roles_of(user)
    clusters = set(roles.managed_cluster_ids)
    if roles.coordinator_programme_ids:
        clusters |= set(
            PartnerCluster.objects.filter(programme_id__in=roles.coordinator_programme_ids).values_list(
                "cluster_id", flat=True
            )
        )
    return frozenset(clusters)


def administered_organisations(user):
    """The organisations whose memberships `user` may grant, change and remove (a queryset, or None
    for all of them: a superuser)."""
    if has_every_permission(user):
        return None
    roles = roles_of(user)
    clusters = administered_cluster_ids(user)
    condition = Q(pk__in=roles.managed_organisation_ids) | Q(pk__in=clusters)
    if clusters:
        condition |= Q(pk__in=ClusterMembership.objects.filter(cluster_id__in=clusters).values("member_id"))
    return Organisation.objects.filter(condition)


def invitation_places(user) -> list[tuple[str, object]]:
    """Where the invitations list offers `user` to invite people, as (target type, target): the
    programmes they coordinate, then the clusters and organisations they administer themselves (the
    member organisations of a cluster are many: their people are invited from each one's page)."""
    if user is None or not user.is_authenticated:
        return []
    roles = roles_of(user)
    programmes = Programme.objects.filter(pk__in=roles.coordinator_programme_ids).order_by("-start_date")
    organisations = Organisation.objects.filter(
        pk__in=set(roles.managed_organisation_ids) | set(administered_cluster_ids(user))
    ).order_by("name")
    return [("programme", programme) for programme in programmes] + [
        ("organisation", organisation) for organisation in organisations
    ]


def administers_organisation(user, organisation) -> bool:
    """Whether `user` administers `organisation` (at most one indexed query, then cached)."""
    if organisation is None or user is None or not user.is_authenticated:
        return False
    if has_every_permission(user):
        return True
    roles = roles_of(user)
    if organisation.pk in roles.managed_organisation_ids:
        return True
    clusters = administered_cluster_ids(user)
    if not clusters:
        return False
    return organisation.pk in clusters or _member_of_administered_cluster(user, organisation)


@cached_on_object
def _member_of_administered_cluster(user, organisation) -> bool:
    return ClusterMembership.objects.filter(
        member_id=organisation.pk, cluster_id__in=administered_cluster_ids(user)
    ).exists()


def administered_among(user, organisation_ids) -> set[int]:
    """Those of `organisation_ids` that `user` administers, in at most one query (a list's links)."""
    ids = set(organisation_ids)
    if not ids or user is None or not user.is_authenticated:
        return set()
    if has_every_permission(user):
        return ids
    clusters = administered_cluster_ids(user)
    found = ids & (set(roles_of(user).managed_organisation_ids) | clusters)
    rest = ids - found
    if rest and clusters:
        found |= set(
            ClusterMembership.objects.filter(member_id__in=rest, cluster_id__in=clusters).values_list(
                "member_id", flat=True
            )
        )
    return found


def coordinates(user, programme) -> bool:
    if programme is None or user is None or not user.is_authenticated:
        return False
    return has_every_permission(user) or programme.pk in roles_of(user).coordinator_programme_ids


def organises_event(user, event) -> bool:
    if event is None or user is None or not user.is_authenticated:
        return False
    roles = roles_of(user)
    return (
        has_every_permission(user)
        or event.host_cluster_id in roles.managed_cluster_ids
        or event.programme_id in roles.coordinator_programme_ids
    )


def may_grant(user, role_kind: str, target) -> bool:
    """Whether `user` may give someone the role `role_kind` on `target` (see the module's docstring)."""
    if user is None or not user.is_authenticated or target is None:
        return False
    if role_kind == COORDINATOR:
        return isinstance(target, Programme) and coordinates(user, target)
    if role_kind in MEMBERSHIP_ROLE:
        return isinstance(target, Organisation) and administers_organisation(user, target)
    if role_kind == EVENT_PARTICIPANT:
        return organises_event(user, target)
    return False


@rules.predicate
def may_grant_role(user, role_and_target) -> bool:
    if not role_and_target:
        return False
    role_kind, target = role_and_target
    return may_grant(user, role_kind, target)


@rules.predicate
def may_change_membership(user, membership) -> bool:
    return membership is not None and administers_organisation(user, membership.organisation)


@rules.predicate
def may_leave(user, membership) -> bool:
    return membership is not None and user.is_authenticated and membership.user_id == user.pk


@rules.predicate
def may_remove_coordinator(user, programme_role) -> bool:
    return programme_role is not None and coordinates(user, programme_role.programme)


@rules.predicate
def may_view_organisation_members(user, organisation) -> bool:
    """An organisation's people with an account: its own members, and who administers it."""
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in roles_of(user).organisation_ids or administers_organisation(user, organisation)


@rules.predicate
def may_view_role_history(user, organisation) -> bool:
    """The history of an organisation's roles (who was given, changed, removed or left which role, by
    whom): who administers the organisation (its admins, its clusters' managers, the coordinators of
    their programmes); not its plain members."""
    return administers_organisation(user, organisation)


def role_history(organisation):
    """The changes to an organisation's roles, newest first: `accounts/domain.py` records each on the
    organisation, with the person as the entry's subject."""
    return AuditEntry.objects.filter(
        object_type="directory.organisation",
        object_id=str(organisation.pk),
        action__startswith="accounts.role.",
    ).order_by("-created_at", "-id")


@rules.predicate
def may_view_programme_members(user, programme) -> bool:
    """A programme's coordinators and partners with their managers: its coordinators and partner managers."""
    if programme is None or not user.is_authenticated:
        return False
    if coordinates(user, programme):
        return True
    managed = roles_of(user).managed_cluster_ids
    return bool(managed) and programme.partners.filter(cluster_id__in=managed).exists()


@rules.predicate
def may_link_person(user, person) -> bool:
    return person is not None and administers_organisation(user, person.organisation)


rules.add_perm("accounts.grant_role", may_grant_role)
rules.add_perm("accounts.link_person", may_link_person)
rules.add_perm("accounts.change_membership", may_change_membership)
rules.add_perm("accounts.leave_organisation", may_leave)
rules.add_perm("accounts.remove_coordinator", may_remove_coordinator)
rules.add_perm("accounts.view_organisation_members", may_view_organisation_members)
rules.add_perm("accounts.view_programme_members", may_view_programme_members)
rules.add_perm("accounts.view_role_history", may_view_role_history)


def memberships_visible_to(user):
    """The memberships `user` may list: those of the organisations they belong to or administer."""
    if not user.is_authenticated:
        return Membership.objects.none()
    if has_every_permission(user):
        return Membership.objects.all()
    roles = roles_of(user)
    clusters = administered_cluster_ids(user)
    condition = Q(organisation_id__in=roles.organisation_ids | clusters)
    if clusters:
        members = ClusterMembership.objects.filter(cluster_id__in=clusters)
        if connection.vendor == "postgresql":
            # PostgreSQL hashes the member organisations once; a correlated EXISTS under the OR is run
            # per membership without its index (31 s instead of 0.16 s at 10,000 members).
            condition |= Q(organisation_id__in=members.values("member_id"))
        else:
            # SQLite looks each membership up in the index; IN builds the whole list first
            # (28 ms instead of 252 ms at 100,000 organisations): docs/benchmarks.md.
            condition |= Exists(members.filter(member_id=OuterRef("organisation_id")))
    return Membership.objects.filter(condition)


def coordinator_roles_visible_to(user):
    """The coordinator roles `user` may list: those of the programmes they coordinate or are a partner
    manager of."""
    if not user.is_authenticated:
        return ProgrammeRole.objects.none()
    if has_every_permission(user):
        return ProgrammeRole.objects.filter(role=ProgrammeRole.Role.COORDINATOR)
    programmes = Programme.objects.administered_by(roles_of(user)).values("pk")
    return ProgrammeRole.objects.filter(role=ProgrammeRole.Role.COORDINATOR, programme_id__in=programmes)


# --- Invitations ------------------------------------------------------------------------------


def invitations_visible_to(user):
    """The invitations `user` may list, resend and revoke: those they sent; an organisation's admins
    those to their organisation; a partner manager those to their cluster, its member organisations
    and the events it hosts; a coordinator all of their programmes' (the programme, its partners and
    their members, its events)."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    if has_every_permission(user):
        return Invitation.objects.all()
    roles = roles_of(user)
    visible = (
        Q(invited_by=user)
        | Q(organisation__in=administered_organisations(user))
        | Q(programme_id__in=roles.coordinator_programme_ids)
        | Q(event__programme_id__in=roles.coordinator_programme_ids)
        | Q(event__host_cluster_id__in=roles.managed_cluster_ids)
    )
    return Invitation.objects.filter(visible)


@rules.predicate
def may_resend_invitation(user, invitation) -> bool:
    """Resend: whoever may give that role there now (an inviter who lost the right may not)."""
    return invitation is not None and may_grant(user, invitation.role_kind, invitation.target)


@rules.predicate
def sent_invitation(user, invitation) -> bool:
    return invitation is not None and user.is_authenticated and invitation.invited_by_id == user.pk


rules.add_perm("accounts.resend_invitation", may_resend_invitation)
rules.add_perm("accounts.revoke_invitation", sent_invitation | may_resend_invitation)


# What a refused person reads (core.domain.require).
NO_ROLE_TO_INVITE_TO = _("You may give none of the roles here, so you may not invite people to them.")
refuse_with(
    "accounts.view_programme_members",
    _("Only the programme's coordinators and partner managers see its members."),
)
refuse_with(
    "accounts.view_organisation_members",
    _("Only the organisation's people and those who administer it see its members."),
)
