"""The bridge between the database and the pure grant engine."""

from datetime import date
from decimal import Decimal

from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.engines import grants as engine
from clusterxchange.exchanges.models import VISIT_STATES, Exchange
from clusterxchange.programmes.grants import (  # noqa: F401 — re-exported: the exchanges' pages use them
    ALL_TYPES,
    DEFAULT_VISITOR_TYPES,
    ENGINE_TYPES,
    rules_for,
)
from clusterxchange.programmes.models import Programme


def rules_snapshot(rules: engine.GrantRules) -> dict:
    """The rules as JSON, stored with an approved grant."""
    return {
        "country_caps": {code: str(amount) for code, amount in sorted(rules.country_caps.items())},
        "daily_rate": str(rules.daily_rate) if rules.daily_rate is not None else None,
        "halving_factor": str(rules.halving_factor),
        "full_rate_min_working_days": rules.full_rate_min_working_days,
        "full_rate_min_distance_km": rules.full_rate_min_distance_km,
        "min_working_days": rules.min_working_days,
        "max_stay_months": rules.max_stay_months,
        "visit_once": rules.visit_once,
    }


def party(organisation: Organisation) -> engine.Party:
    coordinates = None
    if organisation.latitude is not None and organisation.longitude is not None:
        coordinates = engine.Coordinates(organisation.latitude, organisation.longitude)
    return engine.Party(
        organisation_id=organisation.pk,
        country=str(organisation.country),
        organisation_type=ENGINE_TYPES[organisation.org_type],
        coordinates=coordinates,
        is_cluster_member=organisation.org_type == OrganisationType.CLUSTER
        or organisation.memberships_as_member.exists(),
        is_sme=organisation.is_sme if organisation.org_type == OrganisationType.SME else None,
    )


def prior_visits(visitor: Organisation, excluding: Exchange | None = None) -> int:
    """Visits of the organisation anywhere in the scheme (the rule is per scheme, not per programme)."""
    visits = Exchange.objects.filter(visitor_organisation=visitor, state__in=VISIT_STATES)
    if excluding is not None and excluding.pk:
        visits = visits.exclude(pk=excluding.pk)
    return visits.count()


def assess(
    programme: Programme,
    visitor: Organisation,
    host: Organisation,
    start: date,
    end: date,
    excluding: Exchange | None = None,
    rules: engine.GrantRules | None = None,
    visits_before: int | None = None,
) -> engine.GrantAssessment:
    """`rules` and `visits_before` may be passed in when one page assesses many hosts."""
    rules = rules or rules_for(programme)
    request = engine.GrantRequest(
        visitor=party(visitor),
        host=party(host),
        start=start,
        end=end,
        visitor_prior_visits=prior_visits(visitor, excluding) if visits_before is None else visits_before,
    )
    return engine.assess_grant(request, rules)


def assess_exchange(
    exchange: Exchange, host: Organisation | None = None, *, rules=None, visits_before: int | None = None
) -> engine.GrantAssessment:
    return assess(
        exchange.programme,
        exchange.visitor_organisation,
        host or exchange.host_organisation,
        exchange.start_date,
        exchange.end_date,
        excluding=exchange,
        rules=rules,
        visits_before=visits_before,
    )


def distance_or_none(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))
