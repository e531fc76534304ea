"""Ranking: score every allowed candidate, keep the best, explain each one.

Ranking is deterministic: scores are rounded to 9 decimals (so floating-point noise cannot
reorder equal candidates) and ties are broken by candidate id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .components import compute_components, weighted_total
from .explanations import Reason, explain
from .filters import allowed_candidates, check_request
from .index import MatchingIndex
from .policy import COMPONENTS, MatchingContext, MatchingPolicy, MatchingUse, default_policy
from .profiles import OrganisationProfile

DEFAULT_LIMIT = 10
MAX_LIMIT = 1_000
EVENT_BATCH = 256
SCORE_DECIMALS = 9


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner: its id, total score, each component's value and the reasons why."""

    candidate_id: str
    rank: int
    score: float
    components: Mapping[str, float]
    reasons: tuple[Reason, ...]

    @property
    def reason_texts(self) -> tuple[str, ...]:
        return tuple(reason.text for reason in self.reasons)


def resolve_policy(policy: MatchingPolicy | MatchingUse | str) -> MatchingPolicy:
    return policy if isinstance(policy, MatchingPolicy) else default_policy(policy)


def _resolve_profile(index: MatchingIndex, asking: OrganisationProfile | str) -> OrganisationProfile:
    if isinstance(asking, OrganisationProfile):
        return asking
    return index.profile(str(asking))


def _check_limit(limit: int) -> int:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be an integer between 1 and {MAX_LIMIT}, got {limit!r}")
    return limit


def top_slots(scores: np.ndarray, allowed: np.ndarray, index: MatchingIndex, limit: int) -> list[int]:
    """Slots of the `limit` best allowed candidates, by score descending then id ascending."""
    slots = np.flatnonzero(allowed)
    if slots.size == 0:
        return []
    values = scores[slots]
    if slots.size > limit:
        # Anything more than one rounding step below the limit-th best cannot reach the top after rounding.
        threshold = -np.partition(-values, limit - 1)[limit - 1] - 10.0**-SCORE_DECIMALS
        keep = values >= threshold
        slots, values = slots[keep], values[keep]
    rounded = np.round(values, SCORE_DECIMALS)
    order = sorted(
        range(slots.size), key=lambda position: (-rounded[position], index.slot_id(slots[position]))
    )
    return [int(slots[position]) for position in order[:limit]]


def _suggestions_for_row(
    index: MatchingIndex,
    asking: OrganisationProfile,
    components: dict[str, np.ndarray],
    total: np.ndarray,
    allowed: np.ndarray,
    policy: MatchingPolicy,
    limit: int,
) -> list[Suggestion]:
    suggestions = []
    for rank, slot in enumerate(top_slots(total, allowed, index, limit), start=1):
        values = {name: float(components[name][slot]) for name in COMPONENTS}
        candidate = index.profile(index.slot_id(slot))
        suggestions.append(
            Suggestion(
                candidate_id=candidate.id,
                rank=rank,
                score=round(float(total[slot]), SCORE_DECIMALS),
                components=values,
                reasons=explain(asking, candidate, values, policy, index.embeddings),
            )
        )
    return suggestions


def suggest(
    index: MatchingIndex,
    asking: OrganisationProfile | str,
    policy: MatchingPolicy | MatchingUse | str = MatchingUse.PARTNER_SEARCH,
    context: MatchingContext | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    """The best `limit` candidates in `index` for `asking` (a profile, or the id of an indexed one).

    Raises ValueError with a readable message when the request itself is invalid (unknown id,
    ineligible asker, missing context fact); otherwise returns a (possibly empty) ranked list.
    """
    policy = resolve_policy(policy)
    context = context or MatchingContext()
    limit = _check_limit(limit)
    profile = _resolve_profile(index, asking)
    check_request(profile, policy, context)
    components, shared_languages = compute_components(index, [profile], policy)
    rows = {name: values[0] for name, values in components.items()}
    total = weighted_total(components, policy)[0]
    allowed = allowed_candidates(index, profile, policy, context, shared_languages[0])
    return _suggestions_for_row(index, profile, rows, total, allowed, policy, limit)


def suggest_for_event(
    participants: Iterable[OrganisationProfile],
    policy: MatchingPolicy | MatchingUse | str = MatchingUse.EVENT_MEETING,
    context: MatchingContext | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, list[Suggestion]]:
    """Meeting suggestions for every validated participant of one event, against each other.

    Pass only the event's validated participants: they become `context.participant_ids`
    (intersected with any ids already there). Scores are computed in batches of whole rows.
    """
    policy = resolve_policy(policy)
    limit = _check_limit(limit)
    people = list({profile.id: profile for profile in participants}.values())
    ids = frozenset(profile.id for profile in people)
    context = context or MatchingContext()
    participant_ids = ids if context.participant_ids is None else ids & context.participant_ids
    context = MatchingContext(context.eligible_countries, participant_ids, context.excluded_ids)
    index = MatchingIndex(people)
    asking = [profile for profile in people if profile.id in participant_ids]
    for profile in asking:
        check_request(profile, policy, context)
    results: dict[str, list[Suggestion]] = {}
    for start in range(0, len(asking), EVENT_BATCH):
        batch = asking[start : start + EVENT_BATCH]
        components, shared_languages = compute_components(index, batch, policy)
        totals = weighted_total(components, policy)
        for row, profile in enumerate(batch):
            rows = {name: values[row] for name, values in components.items()}
            allowed = allowed_candidates(index, profile, policy, context, shared_languages[row])
            results[profile.id] = _suggestions_for_row(
                index, profile, rows, totals[row], allowed, policy, limit
            )
    return results


def component_table(
    index: MatchingIndex,
    pairs: Sequence[tuple[str, str]],
    policy: MatchingPolicy | MatchingUse | str = MatchingUse.PARTNER_SEARCH,
) -> np.ndarray:
    """Component values (one row per (asking id, candidate id) pair, columns in COMPONENTS order).

    Used by learning; both ids must be in the index.
    """
    policy = resolve_policy(policy)
    table = np.zeros((len(pairs), len(COMPONENTS)))
    by_asking: dict[str, list[int]] = {}
    for position, (asking_id, _) in enumerate(pairs):
        by_asking.setdefault(asking_id, []).append(position)
    for asking_id, positions in by_asking.items():
        components, _ = compute_components(index, [index.profile(asking_id)], policy)
        for position in positions:
            slot = index.slot_of(pairs[position][1])
            if slot is None:
                raise ValueError(f"profile {pairs[position][1]!r} is not in the matching index")
            table[position] = [components[name][0, slot] for name in COMPONENTS]
    return table
