"""Who may see and revoke API tokens: their owner, and a coordinator for the people of their programme."""

import rules
from django.db.models import Q

from clusterxchange.accounts.models import ApiToken, User
from clusterxchange.accounts.roles import roles_of
from clusterxchange.directory.models import ClusterMembership
from clusterxchange.programmes.models import PartnerCluster


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
