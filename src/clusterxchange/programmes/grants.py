"""A programme's grant rules for the pure grant engine: one conversion, used by the exchanges (to
assess a real stay) and by the set-up pages (to preview the grant of an example stay with rules that
are not saved yet)."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from geopy.distance import geodesic

from clusterxchange.directory.models import OrganisationType
from clusterxchange.engines import grants as engine
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
# The most working days a stay of one calendar month can have (a 31-day month starting on a Monday
# has 23 weekdays): a full-rate threshold above months × 23 could never be reached.
MAX_WORKING_DAYS_PER_MONTH = 23


def engine_rules(
    ruleset: GrantRuleSet, caps: Mapping[str, Decimal], eligible_countries: Iterable[str]
) -> engine.GrantRules:
    """The engine's rules from a rule set (saved or not), its caps per host country and the
    programme's eligible countries (the scheme's defaults where the coordinator set none)."""
    return engine.GrantRules(
        eligible_countries=[str(code) for code in eligible_countries],
        country_caps={str(code): amount for code, amount in caps.items()},
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


def rules_for(programme: Programme) -> engine.GrantRules:
    """The programme's saved rules for the engine."""
    ruleset = GrantRuleSet.objects.filter(programme=programme).prefetch_related("country_caps").first()
    if ruleset is None:
        ruleset, caps = GrantRuleSet(programme=programme), {}
    else:
        caps = {str(cap.country): cap.amount_eur for cap in ruleset.country_caps.all()}
    return engine_rules(ruleset, caps, [str(c.country) for c in programme.eligible_countries.all()])


def example_request(
    visitor_country: str, host_country: str, start: date, end: date, distance_km: float
) -> engine.GrantRequest:
    """An example stay for the preview: an SME of a cluster visiting a cluster organisation,
    `distance_km` apart (the host placed due north of the visitor), no earlier visit."""
    visitor_at = engine.Coordinates(45.0, 10.0)
    # Placed on the ellipsoid the engine measures on (geopy's geodesic), so it measures distance_km back.
    north = geodesic(kilometers=distance_km).destination((45.0, 10.0), bearing=0)
    host_at = engine.Coordinates(north.latitude, north.longitude)
    return engine.GrantRequest(
        visitor=engine.Party(
            organisation_id=1,
            country=visitor_country,
            organisation_type=engine.OrganisationType.SME,
            coordinates=visitor_at,
            is_cluster_member=True,
            is_sme=True,
        ),
        host=engine.Party(
            organisation_id=2,
            country=host_country,
            organisation_type=engine.OrganisationType.CLUSTER_ORGANISATION,
            coordinates=host_at,
            is_cluster_member=True,
        ),
        start=start,
        end=end,
    )


def preview(rules: engine.GrantRules, request: engine.GrantRequest) -> engine.GrantAssessment:
    return engine.assess_grant(request, rules)
