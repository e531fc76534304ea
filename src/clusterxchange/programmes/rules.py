"""Who may set up a programme, in one place (pages and API ask these).

- create a programme: a superuser, or a coordinator (of any programme: a consortium's next call);
- change a programme's set-up (texts, periods, countries, partners, grant rules, KPI targets, copy it):
  its coordinators (no staff status needed) and superusers;
- read a programme's set-up: also the managers of its partner clusters (read-only).
"""

import rules
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_ONLY, refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.roles import has_every_permission, roles_of
from clusterxchange.programmes.models import PartnerCluster, Programme


@rules.predicate
def is_superuser(user) -> bool:
    """An active superuser, unless asked by their roles (`core.roles.has_every_permission`)."""
    return has_every_permission(user)


@rules.predicate
def is_any_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def coordinates(user, programme) -> bool:
    return programme is not None and programme.pk in roles_of(user).coordinator_programme_ids


def managed_partner_ids(user, programme) -> tuple[int, ...]:
    """The programme's partners (PartnerCluster ids, in the partners' order) whose cluster the user
    manages; `programme` is a programme or its id. Computed once per user, programme and request."""
    if programme is None or not roles_of(user).managed_cluster_ids:
        return ()
    return _managed_partner_ids(user, programme)


@cached_on_object
def _managed_partner_ids(user, programme) -> tuple[int, ...]:
    return tuple(
        PartnerCluster.objects.filter(
            programme_id=getattr(programme, "pk", programme),
            cluster_id__in=roles_of(user).managed_cluster_ids,
        ).values_list("pk", flat=True)
    )


@rules.predicate
def manages_a_partner(user, programme) -> bool:
    return bool(managed_partner_ids(user, programme))


@rules.predicate
def sees_partner(user, partner) -> bool:
    """`partner` is a PartnerCluster: the coordinators of its programme and the managers of its cluster
    see its own records and figures (reporting's records, the exchanges' budget line)."""
    if partner is None:
        return False
    roles = roles_of(user)
    return (
        partner.programme_id in roles.coordinator_programme_ids
        or partner.cluster_id in roles.managed_cluster_ids
    )


rules.add_perm("programmes.add_programme", is_superuser | is_any_coordinator)
rules.add_perm("programmes.change_programme", is_superuser | coordinates)
rules.add_perm("programmes.view_setup", is_superuser | coordinates | manages_a_partner)


def visible_setups(user):
    """The programmes whose set-up the user may read: all for a superuser; those they coordinate and
    those of which they manage a partner cluster."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if has_every_permission(user):
        return Programme.objects.all()
    return Programme.objects.administered_by(roles_of(user))


def setup_history(programme):
    """The changes to a programme's set-up, newest first: every set-up action records its audit entry
    on the programme (programmes/domain.py). Whoever may read the set-up reads its history."""
    return AuditEntry.objects.filter(
        object_type="programmes.programme", object_id=str(programme.pk)
    ).order_by("-created_at", "-id")


# What a refused person reads (core.domain.require).
for _permission in ("programmes.add_programme", "programmes.change_programme"):
    refuse_with(_permission, COORDINATORS_ONLY)
refuse_with(
    "programmes.view_setup", _("Only the programme's coordinators and partner managers see its set-up.")
)
