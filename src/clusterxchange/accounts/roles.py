"""Reading a user's roles from memberships and programme roles (registered as `core.roles`' function).

- coordinator: holds a coordinator role in a programme;
- cluster manager: a manager membership in a cluster organisation;
- organisation member: any membership (members own their organisation's profile);
- programme member: any logged-in user with one of the above (sees contact details);
- anonymous: the public.
"""

from clusterxchange.accounts.models import Membership
from clusterxchange.core.roles import Roles
from clusterxchange.directory.models import ClusterMembership, OrganisationType
from clusterxchange.programmes.models import ProgrammeRole


def compute_roles(user) -> Roles:
    """A signed-in user's roles; `core.roles.roles_of` caches them on the user for the request."""
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
    return Roles(
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
