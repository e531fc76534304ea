"""A user's roles, derived from memberships and programme roles, computed once per request.

- coordinator: holds a coordinator role in a programme;
- cluster manager: a manager membership in a cluster organisation;
- organisation member: any membership (members own their organisation's profile);
- programme member: any logged-in user with one of the above (sees contact details);
- anonymous: the public.
"""

from dataclasses import dataclass, field

from clusterxchange.accounts.models import Membership
from clusterxchange.directory.models import ClusterMembership, OrganisationType
from clusterxchange.programmes.models import ProgrammeRole


@dataclass(frozen=True)
class Roles:
    coordinator_programme_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    managed_organisation_ids: frozenset[int] = frozenset()
    managed_cluster_ids: frozenset[int] = frozenset()
    cluster_ids: frozenset[int] = field(default=frozenset())

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_programme_ids)

    @property
    def is_cluster_manager(self) -> bool:
        return bool(self.managed_cluster_ids)

    @property
    def is_programme_member(self) -> bool:
        return self.is_coordinator or bool(self.organisation_ids)


ANONYMOUS = Roles()


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_cx_roles", None)
    if cached is not None:
        return cached

    memberships = list(
        Membership.objects.filter(user=user).values_list("organisation_id", "role", "organisation__org_type")
    )
    organisation_ids = frozenset(org_id for org_id, _, _ in memberships)
    managed = frozenset(org_id for org_id, role, _ in memberships if role == Membership.Role.MANAGER)
    managed_clusters = frozenset(
        org_id
        for org_id, role, org_type in memberships
        if role == Membership.Role.MANAGER and org_type == OrganisationType.CLUSTER
    )
    own_clusters = {org_id for org_id, _, org_type in memberships if org_type == OrganisationType.CLUSTER}
    member_of_clusters = set(
        ClusterMembership.objects.filter(member_id__in=organisation_ids).values_list("cluster_id", flat=True)
    )
    roles = Roles(
        coordinator_programme_ids=frozenset(
            ProgrammeRole.objects.filter(user=user, role=ProgrammeRole.Role.COORDINATOR).values_list(
                "programme_id", flat=True
            )
        ),
        organisation_ids=organisation_ids,
        managed_organisation_ids=managed,
        managed_cluster_ids=managed_clusters,
        cluster_ids=frozenset(own_clusters | member_of_clusters),
    )
    user._cx_roles = roles
    return roles
