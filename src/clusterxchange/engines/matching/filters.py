"""Hard filters: candidates a use must never suggest, whatever their score.

Each rule is a boolean mask over index slots; a candidate is allowed only if every rule of the
policy allows it. Requests that cannot be answered correctly (an exchange search without the
programme's countries, an ineligible visitor, a non-participant asking inside an event) raise
ValueError with a message that says what is missing, instead of returning something wrong.
"""

from __future__ import annotations

import numpy as np

from .compatibility import can_match
from .index import OPPORTUNITY_SLOTS, ORGANISATION_TYPES, MatchingIndex
from .policy import MatchingContext, MatchingPolicy
from .profiles import OrganisationProfile


def check_request(profile: OrganisationProfile, policy: MatchingPolicy, context: MatchingContext) -> None:
    """Raise ValueError when `profile` may not ask under `policy`, or the context lacks a needed fact."""
    use = policy.use.value.replace("_", " ")
    if policy.asking_types is not None and profile.organisation_type not in policy.asking_types:
        allowed = ", ".join(sorted(kind.value for kind in policy.asking_types))
        raise ValueError(
            f"a {profile.organisation_type.value.replace('_', ' ')} cannot ask for {use} suggestions "
            f"(allowed: {allowed})"
        )
    if policy.require_other_country and not profile.country:
        raise ValueError(f"profile {profile.id!r} has no country, which {use} suggestions need")
    if policy.require_eligible_country and context.eligible_countries is None:
        raise ValueError(f"{use} suggestions need the programme's eligible countries in the context")
    if policy.require_eligible_country and profile.country not in context.eligible_countries:
        raise ValueError(f"{profile.country or 'no country'} is not an eligible country of this programme")
    if policy.require_event_participation:
        if context.participant_ids is None:
            raise ValueError(f"{use} suggestions need the event's validated participants in the context")
        if profile.id not in context.participant_ids:
            raise ValueError(f"profile {profile.id!r} is not a validated participant of this event")


def answering_bits(profile: OrganisationProfile) -> int:
    """Bit mask of the (kind, direction) slots a candidate needs at least one of to answer `profile`."""
    own = {(opportunity.kind, opportunity.direction) for opportunity in profile.opportunities}
    bits = 0
    for position, candidate_slot in enumerate(OPPORTUNITY_SLOTS):
        if any(can_match(own_slot, candidate_slot) for own_slot in own):
            bits |= 1 << position
    return bits


def allowed_candidates(
    index: MatchingIndex,
    profile: OrganisationProfile,
    policy: MatchingPolicy,
    context: MatchingContext,
    shared_languages: np.ndarray,
) -> np.ndarray:
    """Boolean mask over index slots of the candidates `profile` may be shown."""
    arrays = index.arrays()
    allowed = arrays["alive"].copy()
    allowed &= arrays["owner"] != index.owners.known(profile.owner_id)
    own_slot = index.slot_of(profile.id)
    if own_slot is not None:
        allowed[own_slot] = False
    for excluded in context.excluded_ids:
        slot = index.slot_of(excluded)
        if slot is not None:
            allowed[slot] = False
    if policy.candidate_types is not None:
        allowed_types = np.zeros(len(ORGANISATION_TYPES), dtype=bool)
        allowed_types[[ORGANISATION_TYPES.index(kind) for kind in policy.candidate_types]] = True
        allowed &= allowed_types[arrays["type"]]
    if policy.require_other_country:
        allowed &= arrays["country"] != index.countries.known(profile.country)
        allowed &= arrays["country"] != index.countries.known("")
    if policy.require_eligible_country and context.eligible_countries is not None:
        eligible = np.zeros(index.countries.size, dtype=bool)
        eligible[[code for code in map(index.countries.known, context.eligible_countries) if code >= 0]] = (
            True
        )
        allowed &= eligible[arrays["country"]]
    if policy.require_event_participation and context.participant_ids is not None:
        allowed &= index.slots_mask(context.participant_ids)
    if policy.require_answering_opportunity and profile.opportunities:
        allowed &= (arrays["opportunity_bits"] & answering_bits(profile)) != 0
    if policy.require_shared_language and profile.languages:
        allowed &= shared_languages > 0
    return allowed
