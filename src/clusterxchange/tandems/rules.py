"""Who may see and do what with tandems, self-assessments and strategy reviews (pages, API and
admin ask these).

- Partner cluster staff are the members and managers of a partner cluster organisation itself
  (not the members of the cluster's member companies). They see and manage their own cluster's
  self-assessments, the tandems their cluster takes part in, and the strategy reviews their
  cluster gives or receives.
- The programme's coordinators see and manage everything of their programme.
- Nobody else (and never the public) sees tandems, assessments or reviews.
"""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.roles import roles_of
from clusterxchange.programmes.models import PartnerCluster, Programme
from clusterxchange.tandems.models import StrategyReview, Tandem


def staff_cluster_ids(user) -> frozenset[int]:
    """The cluster organisations the user works for (member or manager of the cluster itself)."""
    roles = roles_of(user)
    return roles.organisation_ids & (roles.cluster_ids | roles.managed_cluster_ids)


@cached_on_object
def _tandem_cluster_ids(tandem) -> set[int]:
    return set(tandem.participants.values_list("partner__cluster_id", flat=True))


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def is_partner_staff(user) -> bool:
    return bool(staff_cluster_ids(user))


@rules.predicate
def coordinates_programme(user, obj) -> bool:
    """`obj` is a programme, a partner, a tandem, a review or a self-assessment."""
    if obj is None:
        return False
    if hasattr(obj, "programme_id"):
        programme_id = obj.programme_id
    elif hasattr(obj, "partner"):  # a self-assessment
        programme_id = obj.partner.programme_id
    else:  # a programme
        programme_id = obj.pk
    return programme_id in roles_of(user).coordinator_programme_ids


@rules.predicate
def coordinator_listing(user, obj) -> bool:
    """A coordinator asking without an object (the admin's list pages); objects are checked one by one."""
    return obj is None and roles_of(user).is_coordinator


@rules.predicate
def is_staff_of_partner(user, partner) -> bool:
    return partner is not None and partner.cluster_id in staff_cluster_ids(user)


@rules.predicate
def is_staff_of_tandem(user, tandem) -> bool:
    return tandem is not None and bool(staff_cluster_ids(user) & _tandem_cluster_ids(tandem))


@rules.predicate
def is_party_to_review(user, review) -> bool:
    if review is None:
        return False
    clusters = staff_cluster_ids(user)
    if review.reviewed.cluster_id in clusters:
        return True
    return review.reviewer_clusters.filter(cluster_id__in=clusters).exists()


@rules.predicate
def is_reviewer(user, review) -> bool:
    if review is None:
        return False
    return review.reviewer_clusters.filter(cluster_id__in=staff_cluster_ids(user)).exists()


rules.add_perm("tandems", is_coordinator | is_partner_staff)
rules.add_perm("tandems.view_topic", rules.always_allow)
rules.add_perm("tandems.view_capabilityassessment", is_coordinator | is_partner_staff)
# Object: the partner cluster whose self-assessment is written.
rules.add_perm("tandems.assess_capability", coordinates_programme | is_staff_of_partner)
rules.add_perm("tandems.change_capabilityassessment", coordinator_listing | coordinates_programme)
rules.add_perm("tandems.add_tandem", is_coordinator | is_partner_staff)
rules.add_perm("tandems.view_tandem", coordinator_listing | coordinates_programme | is_staff_of_tandem)
rules.add_perm("tandems.change_tandem", coordinator_listing | coordinates_programme | is_staff_of_tandem)
rules.add_perm("tandems.delete_tandem", coordinates_programme)
rules.add_perm("tandems.add_strategyreview", is_coordinator | is_partner_staff)
rules.add_perm(
    "tandems.view_strategyreview", coordinator_listing | coordinates_programme | is_party_to_review
)
rules.add_perm("tandems.change_strategyreview", coordinator_listing | coordinates_programme | is_reviewer)
rules.add_perm("tandems.delete_strategyreview", coordinates_programme)


# Which objects the user may see (pages and API list these) ---------------------------------------


def programmes_of(user):
    """Programmes the user coordinates or whose partner cluster they work for."""
    roles = roles_of(user)
    return Programme.objects.filter(
        Q(pk__in=roles.coordinator_programme_ids) | Q(partners__cluster_id__in=staff_cluster_ids(user))
    ).distinct()


def own_partners(user, programme=None):
    """The partner clusters the user may act for: all of a coordinated programme, else their own."""
    roles = roles_of(user)
    partners = PartnerCluster.objects.select_related("cluster", "programme")
    if programme is not None:
        partners = partners.filter(programme=programme)
    return partners.filter(
        Q(programme_id__in=roles.coordinator_programme_ids) | Q(cluster_id__in=staff_cluster_ids(user))
    )


def visible_tandems(user):
    roles = roles_of(user)
    return (
        Tandem.objects.filter(
            Q(programme_id__in=roles.coordinator_programme_ids)
            | Q(participants__partner__cluster_id__in=staff_cluster_ids(user))
        )
        .distinct()
        .select_related("topic", "programme")
        .prefetch_related("participants__partner__cluster")
    )


def visible_reviews(user):
    roles = roles_of(user)
    clusters = staff_cluster_ids(user)
    return (
        StrategyReview.objects.filter(
            Q(programme_id__in=roles.coordinator_programme_ids)
            | Q(reviewed__cluster_id__in=clusters)
            | Q(reviewer_clusters__cluster_id__in=clusters)
        )
        .distinct()
        .select_related("reviewed__cluster")
        .prefetch_related("reviewer_clusters__cluster")
    )


# What a refused person reads (core.domain.require).
PARTNER_STAFF_ONLY = _("Tandems are for the staff of partner clusters and the coordinators.")
for _permission in (
    "tandems",
    "tandems.add_tandem",
    "tandems.add_strategyreview",
    "tandems.view_capabilityassessment",
):
    refuse_with(_permission, PARTNER_STAFF_ONLY)
for _permission in ("tandems.view_tandem", "tandems.change_tandem", "tandems.delete_tandem"):
    refuse_with(_permission, _("Only the staff of the tandem's partners and the coordinators may do this."))
refuse_with(
    "tandems.assess_capability",
    _("Only the partner's staff and the programme's coordinators assess its capabilities."),
)
for _permission in (
    "tandems.change_strategyreview",
    "tandems.delete_strategyreview",
    "tandems.view_strategyreview",
):
    refuse_with(_permission, _("Only the reviewers and the programme's coordinators may do this."))
