"""Who may set up a programme, in one place (pages and API ask these).

- create a programme: a superuser, or a coordinator (of any programme: a consortium's next call);
- change a programme's set-up (texts, periods, countries, partners, grant rules, KPI targets, copy it):
  its coordinators (no staff status needed) and superusers;
- read a programme's set-up: also the managers of its partner clusters (read-only).
"""

import rules

from clusterxchange.core.models import AuditEntry
from clusterxchange.core.roles import roles_of
from clusterxchange.programmes.models import Programme


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_any_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def coordinates(user, programme) -> bool:
    return programme is not None and programme.pk in roles_of(user).coordinator_programme_ids


@rules.predicate
def manages_a_partner(user, programme) -> bool:
    if programme is None:
        return False
    managed = roles_of(user).managed_cluster_ids
    return bool(managed) and programme.partners.filter(cluster_id__in=managed).exists()


rules.add_perm("programmes.add_programme", is_superuser | is_any_coordinator)
rules.add_perm("programmes.change_programme", is_superuser | coordinates)
rules.add_perm("programmes.view_setup", is_superuser | coordinates | manages_a_partner)


def visible_setups(user):
    """The programmes whose set-up the user may read: all for a superuser; those they coordinate and
    those of which they manage a partner cluster."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser and user.is_active:
        return Programme.objects.all()
    return Programme.objects.administered_by(roles_of(user))


def setup_history(programme):
    """The changes to a programme's set-up, newest first: every set-up action records its audit entry
    on the programme (programmes/domain.py). Whoever may read the set-up reads its history."""
    return AuditEntry.objects.filter(
        object_type="programmes.programme", object_id=str(programme.pk)
    ).order_by("-created_at", "-id")
