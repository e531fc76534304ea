"""Host suggestions from the matching engine, among hosts that the SQL prefilter already allows.

The engine ranks and explains; `domain.host_reasons` still checks each suggestion before it is shown.
"""

from django.utils.translation import gettext

from clusterxchange.directory.matching import policy_for
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.engines import matching
from clusterxchange.exchanges import grants

MAX_CANDIDATES = 500

ENGINE_TYPES = {
    OrganisationType.CLUSTER: matching.OrganisationType.CLUSTER_ORGANISATION,
    OrganisationType.SME: matching.OrganisationType.SME,
    OrganisationType.SCALING_UP: matching.OrganisationType.SCALE_UP_SUPPORT,
    OrganisationType.RESEARCH: matching.OrganisationType.RESEARCH_ORGANISATION,
    OrganisationType.LARGE_COMPANY: matching.OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY: matching.OrganisationType.PUBLIC_AUTHORITY,
    OrganisationType.TRAINING_PROVIDER: matching.OrganisationType.TRAINING_PROVIDER,
}


def profile_of(organisation: Organisation, extra_text: str = "") -> matching.OrganisationProfile:
    return matching.OrganisationProfile(
        id=str(organisation.pk),
        name=organisation.name,
        organisation_type=ENGINE_TYPES.get(organisation.org_type, matching.OrganisationType.OTHER),
        country=str(organisation.country),
        description=" ".join(part for part in (organisation.description, extra_text) if part),
        keywords=tuple(organisation.keyword_list),
        ecosystems=tuple(ecosystem.name for ecosystem in organisation.ecosystems.all()),
        nace_codes=tuple(sector.code for sector in organisation.sectors.all()),
    )


def suggest_hosts(exchange, candidates, limit: int = 5) -> list[tuple[Organisation, list[str]]]:
    """Up to `limit` (host, reasons) pairs; empty when the engine cannot answer for this visitor."""
    from clusterxchange.exchanges.domain import host_reasons

    pool = list(candidates.prefetch_related("ecosystems", "sectors")[:MAX_CANDIDATES])
    if not pool:
        return []
    visitor = exchange.visitor_organisation
    asking = profile_of(
        Organisation.objects.prefetch_related("ecosystems", "sectors").get(pk=visitor.pk),
        " ".join((exchange.motivation, exchange.goals, exchange.preferences)),
    )
    index = matching.MatchingIndex([asking, *(profile_of(host) for host in pool)])
    countries = frozenset(
        str(code) for code in exchange.programme.eligible_countries.values_list("country", flat=True)
    )
    try:
        found = matching.suggest(
            index,
            asking.id,
            policy_for(matching.MatchingUse.EXCHANGE_HOST),
            matching.MatchingContext(eligible_countries=countries),
            limit=limit * 2,
        )
    except ValueError:
        return []
    by_id = {str(host.pk): host for host in pool}
    rules = grants.rules_for(exchange.programme)
    visits_before = grants.prior_visits(visitor, excluding=exchange)
    suggestions = []
    for suggestion in found:
        host = by_id.get(suggestion.candidate_id)
        if host is None or host_reasons(exchange, host, rules=rules, visits_before=visits_before):
            continue
        reasons = [gettext(reason.message).format(**reason.params) for reason in suggestion.reasons]
        suggestions.append((host, reasons))
        if len(suggestions) == limit:
            break
    return suggestions
