"""The bridge between the database and the pure grant engine."""

from datetime import date
from decimal import Decimal

from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.engines import grants as engine
from clusterxchange.exchanges.models import VISIT_STATES, Exchange
from clusterxchange.programmes.models import GrantRuleSet, Programme

ENGINE_TYPES = {
    OrganisationType.CLUSTER: engine.OrganisationType.CLUSTER_ORGANISATION,
    OrganisationType.SME: engine.OrganisationType.SME,
    OrganisationType.SCALING_UP: engine.OrganisationType.SCALING_UP_SUPPORT,
    OrganisationType.RESEARCH: engine.OrganisationType.RESEARCH,
    OrganisationType.LARGE_COMPANY: engine.OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY: engine.OrganisationType.PUBLIC_AUTHORITY,
    OrganisationType.TRAINING_PROVIDER: engine.OrganisationType.TRAINING_PROVIDER,
}
ALL_TYPES = [t.value for t in OrganisationType]
HOST_ONLY = [
    OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY,
    OrganisationType.TRAINING_PROVIDER,
]
DEFAULT_VISITOR_TYPES = [t for t in ALL_TYPES if t not in HOST_ONLY]


def rules_for(programme: Programme) -> engine.GrantRules:
    """The programme's rules for the engine (the scheme's defaults where the coordinator set none)."""
    ruleset = GrantRuleSet.objects.filter(programme=programme).prefetch_related("country_caps").first()
    if ruleset is None:
        ruleset = GrantRuleSet(programme=programme)
        caps = {}
    else:
        caps = {str(cap.country): cap.amount_eur for cap in ruleset.country_caps.all()}
    return engine.GrantRules(
        eligible_countries=[str(c.country) for c in programme.eligible_countries.all()],
        country_caps=caps,
        daily_rate=ruleset.daily_rate_eur,
        halving_factor=ruleset.halving_factor,
        full_rate_min_working_days=ruleset.full_rate_min_working_days,
        full_rate_min_distance_km=float(ruleset.full_rate_min_distance_km),
        min_working_days=ruleset.min_working_days,
        max_stay_months=ruleset.max_stay_months,
        visit_once=ruleset.visit_once,
        visitor_types=[ENGINE_TYPES[t] for t in (ruleset.visitor_types or DEFAULT_VISITOR_TYPES)],
        host_types=[ENGINE_TYPES[t] for t in (ruleset.host_types or ALL_TYPES)],
    )


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
