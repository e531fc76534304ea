"""Who may see and do what with an exchange, in one place (pages, API and admin ask these).

Parties of an exchange: the visitor (members of the visiting organisation), the host (members of
the host organisation), the visitor's partnership and the host's partnership (managers of those
partner clusters), and the programme's coordinators. Nobody else sees an exchange.
"""

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, refuse_with
from clusterxchange.core.roles import roles_of
from clusterxchange.exchanges.models import Exchange, HostProfile, HostRequest
from clusterxchange.programmes.models import PartnerCluster, Programme
from clusterxchange.programmes.rules import sees_partner


def _roles(user):
    return roles_of(user)


@rules.predicate
def is_programme_coordinator(user, exchange) -> bool:
    return exchange is not None and exchange.programme_id in _roles(user).coordinator_programme_ids


@rules.predicate
def is_visitor(user, exchange) -> bool:
    return exchange is not None and exchange.visitor_organisation_id in _roles(user).organisation_ids


@rules.predicate
def is_host(user, exchange) -> bool:
    return (
        exchange is not None
        and exchange.host_organisation_id is not None
        and exchange.host_organisation_id in _roles(user).organisation_ids
    )


@rules.predicate
def is_visitor_partnership(user, exchange) -> bool:
    return exchange is not None and exchange.visitor_partner.cluster_id in _roles(user).managed_cluster_ids


@rules.predicate
def is_host_partnership(user, exchange) -> bool:
    return (
        exchange is not None
        and exchange.host_partner_id is not None
        and exchange.host_partner.cluster_id in _roles(user).managed_cluster_ids
    )


@rules.predicate
def is_pending_host(user, exchange) -> bool:
    """A member of an organisation that has a pending request to host this exchange."""
    if exchange is None:
        return False
    return exchange.host_requests.filter(
        status="pending", host_organisation_id__in=_roles(user).organisation_ids
    ).exists()


@rules.predicate
def can_apply(user) -> bool:
    return bool(_roles(user).organisation_ids)


@rules.predicate
def belongs_to(user, organisation) -> bool:
    """A member of `organisation`: only they apply for an exchange in its name."""
    return organisation is not None and organisation.pk in _roles(user).organisation_ids


@rules.predicate
def is_asked_host(user, host_request) -> bool:
    """A member of the organisation a host request asks."""
    return host_request is not None and host_request.host_organisation_id in _roles(user).organisation_ids


partnership = is_visitor_partnership | is_programme_coordinator
view_exchange = (
    is_visitor
    | is_host
    | is_visitor_partnership
    | is_host_partnership
    | is_programme_coordinator
    | is_pending_host
)

# A party to the agreement (or the programme's coordinator), not a host still being asked.
is_party = is_visitor | is_host | is_visitor_partnership | is_host_partnership | is_programme_coordinator

# Every check of exchanges/domain.py is one of these (with `view_exchange` first); the lifecycle's
# transitions declare their own actors in lifecycle.TRANSITIONS.
rules.add_perm("exchanges.add_exchange", can_apply)
rules.add_perm("exchanges.apply_for", belongs_to)
rules.add_perm("exchanges.view_exchange", view_exchange)
rules.add_perm("exchanges.change_application", is_visitor)
rules.add_perm(
    "exchanges.view_evidence", is_visitor | is_host | is_visitor_partnership | is_programme_coordinator
)
rules.add_perm("exchanges.upload_evidence", is_visitor)
rules.add_perm("exchanges.request_host", is_visitor)
rules.add_perm("exchanges.respond_host_request", is_asked_host)
rules.add_perm("exchanges.approve_grant", partnership)
rules.add_perm("exchanges.write_agreement", is_visitor | is_host)
rules.add_perm("exchanges.write_report", is_visitor)
rules.add_perm("exchanges.confirm_stay", is_host)


@rules.predicate
def manages_a_partner_or_coordinates(user) -> bool:
    roles = _roles(user)
    return roles.is_coordinator or roles.is_cluster_manager


rules.add_perm("exchanges.view_budget", manages_a_partner_or_coordinates)
# Object: a PartnerCluster. Its own line of the budget page; the other partners' are summed up.
rules.add_perm("exchanges.view_partner_budget", sees_partner)


@rules.predicate
def validates_host_profile(user, profile) -> bool:
    """The manager of the organisation's partnership in the programme, or a programme coordinator."""
    roles = _roles(user)
    if profile.programme_id in roles.coordinator_programme_ids:
        return True
    if not roles.managed_cluster_ids:
        return False
    partner = PartnerCluster.objects.responsible_for(profile.programme, profile.organisation)
    return partner is not None and partner.cluster_id in roles.managed_cluster_ids


rules.add_perm("exchanges.validate_host_profile", validates_host_profile)


def host_profiles_to_validate(user):
    """The host profiles `user` validates (coordinators: their programmes' profiles; partner managers:
    those of the organisations their partnership is responsible for)."""
    roles = _roles(user)
    managed = roles.managed_cluster_ids
    condition = Q(programme_id__in=roles.coordinator_programme_ids)
    if managed:
        condition |= Q(programme__partners__cluster_id__in=managed) & (
            Q(organisation_id__in=managed) | Q(organisation__memberships_as_member__cluster_id__in=managed)
        )
    return HostProfile.objects.filter(condition).distinct()


def budget_programmes(user):
    """The programmes whose budget `user` sees: those they coordinate (every partner's line) and those
    of which they manage a partner cluster (their own line)."""
    return Programme.objects.administered_by(_roles(user))


def visible_exchanges(user):
    """The exchanges `user` may view: the rule `exchanges.view_exchange` as one SQL filter."""

    if not user.is_authenticated:
        return Exchange.objects.none()
    roles = _roles(user)
    pending_request = HostRequest.objects.filter(
        exchange=OuterRef("pk"),
        status=HostRequest.Status.PENDING,
        host_organisation_id__in=roles.organisation_ids,
    )
    # The partners of the clusters the user manages, as ids rather than a join of each exchange to its
    # two partners: the list's query is planned in a third of the time (its execution takes ~1 ms),
    # and the planner knows how many exchanges they select (it misjudges a subquery).
    managed_partners = (
        list(
            PartnerCluster.objects.filter(cluster_id__in=roles.managed_cluster_ids).values_list(
                "pk", flat=True
            )
        )
        if roles.managed_cluster_ids
        else []
    )
    return Exchange.objects.filter(
        Q(visitor_organisation_id__in=roles.organisation_ids)
        | Q(host_organisation_id__in=roles.organisation_ids)
        | Q(visitor_partner_id__in=managed_partners)
        | Q(host_partner_id__in=managed_partners)
        | Q(programme_id__in=roles.coordinator_programme_ids)
        | Q(Exists(pending_request))
    )


# What a refused person reads (core.domain.require).
refuse_with("exchanges.view_budget", COORDINATORS_AND_MANAGERS)
refuse_with("exchanges.change_application", _("Only the visitor may change the application."))
refuse_with(
    "exchanges.view_evidence",
    _("Only the two parties, the visitor's partner cluster and the coordinators see the evidence."),
)
refuse_with(
    "exchanges.validate_host_profile",
    _("Only the managers of the organisation's partner cluster or the coordinators validate a host profile."),
)
