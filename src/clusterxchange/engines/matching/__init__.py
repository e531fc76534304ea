"""Matching engine: who should meet whom, and why (issue 6). Pure Python, no Django.

Public API (everything the Django layer needs is importable from this package)::

    from clusterxchange.engines.matching import (
        OrganisationProfile, Opportunity, OpportunityKind, Direction, OrganisationType,
        MatchingIndex, MatchingUse, MatchingContext, MatchingPolicy, default_policy,
        suggest, suggest_for_event, Suggestion, Reason, Outcome, OutcomeKind, learn_weights,
    )

    index = MatchingIndex(profiles)                    # build once (100,000 profiles: see docs)
    index.upsert(changed_profile); index.remove(id)    # keep it current, no rebuild
    hosts = suggest(index, visitor_id, MatchingUse.EXCHANGE_HOST,
                    MatchingContext(eligible_countries=frozenset({"DE", "FR", ...})), limit=10)
    for suggestion in hosts:
        suggestion.candidate_id, suggestion.score, suggestion.components
        [gettext(r.message).format(**r.params) for r in suggestion.reasons]
    agenda_ideas = suggest_for_event(validated_participants)      # {profile id: [Suggestion]}
    learned = learn_weights(index, outcomes, MatchingUse.EVENT_MEETING)
    policy = default_policy(MatchingUse.EVENT_MEETING).with_weights(learned.weights)

From files: `python -m clusterxchange.engines.matching profiles.jsonl ASKING_ID --use ...`
(format in `dataset.py`).

Invalid requests (unknown id, an asker the use does not allow, a missing context fact) raise
ValueError with a readable message; anything else returns a ranked, filtered, explained list,
possibly empty. See docs/matching.md for the method, the components and the figures.
"""

from .engine import Suggestion, component_table, suggest, suggest_for_event
from .explanations import REASON_MESSAGES, Reason
from .index import MatchingIndex
from .learning import LearnedWeights, Outcome, OutcomeKind, learn_weights
from .policy import COMPONENTS, ComponentWeights, MatchingContext, MatchingPolicy, MatchingUse, default_policy
from .profiles import (
    Direction,
    Opportunity,
    OpportunityKind,
    OrganisationProfile,
    OrganisationSize,
    OrganisationType,
    training_course_profile,
)

__all__ = [
    "COMPONENTS",
    "REASON_MESSAGES",
    "ComponentWeights",
    "Direction",
    "LearnedWeights",
    "MatchingContext",
    "MatchingIndex",
    "MatchingPolicy",
    "MatchingUse",
    "Opportunity",
    "OpportunityKind",
    "OrganisationProfile",
    "OrganisationSize",
    "OrganisationType",
    "Outcome",
    "OutcomeKind",
    "Reason",
    "Suggestion",
    "component_table",
    "default_policy",
    "learn_weights",
    "suggest",
    "suggest_for_event",
    "training_course_profile",
]
