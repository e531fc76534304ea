"""Object permissions of the directory, in one place: views, API and admin all ask these.

Who may do what:
- anyone reads published organisations, clusters, listed people (name, position) and live opportunities;
- programme members (logged in with a membership or a coordinator role) also see contact details;
- an organisation's members edit its profile, its people and its opportunities;
- a cluster's managers edit the cluster and its member organisations, and add members;
- coordinators edit everything and import.

Expressions of interest in an opportunity (`OpportunityInterest`, sent, decided and withdrawn by
`joining.domain`):
- a member of an organisation other than the opportunity's sends one for it, while the opportunity is open;
- the owning organisation's admins, and whoever may edit the opportunity, accept or decline it;
- the sending organisation's members withdraw it while it waits;
- the lists show each user only the interests of their own organisations (sent, and received on their
  organisations' opportunities), nobody else's.

Who decides the requests to join an organisation and the registrations of new ones: `joining/rules.py`.
"""

import rules
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import Opportunity, OpportunityInterest, Organisation, OrganisationType


@cached_on_object
def member_cluster_ids(organisation) -> set[int]:
    """The clusters the organisation is a member of (from its memberships when a list prefetched them:
    `prefetch_related(...memberships_as_member)` asks once for a page of rows, not once per row)."""
    if "memberships_as_member" in getattr(organisation, "_prefetched_objects_cache", {}):
        return {membership.cluster_id for membership in organisation.memberships_as_member.all()}
    return set(organisation.memberships_as_member.values_list("cluster_id", flat=True))


def clusters_to_act_for(user):
    """The clusters a user may act for (host an event for, import organisations into): every cluster
    for a coordinator, else those they manage."""
    clusters = Organisation.objects.filter(org_type=OrganisationType.CLUSTER)
    if roles_of(user).is_coordinator:
        return clusters
    return clusters.filter(pk__in=roles_of(user).managed_cluster_ids)


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
    return organisation.pk in managed or bool(managed & member_cluster_ids(organisation))


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


def interest_organisations(user, opportunity: Opportunity):
    """The organisations the user may express an interest in `opportunity` for: their own but its owner."""
    return Organisation.objects.filter(pk__in=roles_of(user).organisation_ids).exclude(
        pk=opportunity.organisation_id
    )


def interests_received(user):
    """The interests in the opportunities of the user's organisations."""
    return OpportunityInterest.objects.filter(
        opportunity__organisation_id__in=roles_of(user).organisation_ids
    )


def interests_sent(user):
    """The interests the user's organisations sent."""
    return OpportunityInterest.objects.filter(organisation_id__in=roles_of(user).organisation_ids)


@rules.predicate
def may_send_interest(user, opportunity) -> bool:
    return opportunity is not None and bool(roles_of(user).organisation_ids - {opportunity.organisation_id})


@rules.predicate
def is_interest_sender(user, interest) -> bool:
    return interest is not None and interest.organisation_id in roles_of(user).organisation_ids


@rules.predicate
def may_decide_interest(user, interest) -> bool:
    if interest is None:
        return False
    opportunity = interest.opportunity
    return (
        opportunity.organisation_id in roles_of(user).managed_organisation_ids
        or is_coordinator(user)
        or can_edit_opportunity(user, opportunity)
    )


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
rules.add_perm("directory.add_opportunityinterest", may_send_interest)
rules.add_perm("directory.view_opportunityinterest", is_interest_sender | may_decide_interest)
rules.add_perm("directory.decide_opportunityinterest", may_decide_interest)
rules.add_perm("directory.withdraw_opportunityinterest", is_interest_sender)


# What a refused person reads (core.domain.require).
PROFILE_MANAGERS_ONLY = _("Only those who manage the organisation's profile may do this.")
for _permission in (
    "directory.change_organisation",
    "directory.add_person",
    "directory.change_person",
    "directory.add_opportunity",
    "directory.change_opportunity",
):
    refuse_with(_permission, PROFILE_MANAGERS_ONLY)
refuse_with("directory.delete_organisation", _("Only coordinators and its cluster's managers may delete it."))
for _permission in ("directory.add_organisation", "directory.import"):
    refuse_with(_permission, COORDINATORS_AND_MANAGERS)
refuse_with("directory.view_person", _("This person's profile is not shared with you."))
refuse_with("directory.view_opportunity", _("This opportunity is not shared with you."))
refuse_with(
    "directory.add_opportunityinterest",
    _("Only members of another organisation may express interest in this opportunity."),
)
refuse_with(
    "directory.decide_opportunityinterest",
    _("Only those who manage the opportunity's organisation or the coordinators decide this."),
)
refuse_with("directory.withdraw_opportunityinterest", _("Only whoever sent it may withdraw it."))
