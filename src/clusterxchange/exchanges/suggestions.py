"""Host suggestions from the matching engine, among hosts that the SQL prefilter already allows.

The engine ranks and explains; `domain.host_reasons` still checks each suggestion before it is shown.
"""

from clusterxchange.core.engine_messages import engine_message
from clusterxchange.directory.matching import policy_for, profile_of, with_profile_data
from clusterxchange.directory.models import Organisation
from clusterxchange.engines import matching
from clusterxchange.exchanges import grants
from clusterxchange.exchanges.domain import host_reasons

MAX_CANDIDATES = 500


def suggest_hosts(exchange, candidates, limit: int = 5) -> list[tuple[Organisation, list[str]]]:
    """Up to `limit` (host, reasons) pairs; empty when the engine cannot answer for this visitor."""

    pool = list(with_profile_data(candidates)[:MAX_CANDIDATES])
    if not pool:
        return []
    visitor = exchange.visitor_organisation
    asking = profile_of(
        with_profile_data(Organisation.objects.filter(pk=visitor.pk)).get(),
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
        reasons = [engine_message(reason) for reason in suggestion.reasons]
        suggestions.append((host, reasons))
        if len(suggestions) == limit:
            break
    return suggestions
