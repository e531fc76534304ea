"""Learning component weights from what people did with earlier suggestions.

Outcomes are plain records: a suggestion accepted or declined, or a meeting rated afterwards
(1-5; 4-5 counts as good, 1-2 as bad, 3 is ignored). `learn_weights` fits a logistic
regression of "good" on the component values of each recorded pair. Because the total score
is a weighted sum of the same components, the fitted coefficients are directly usable as
weights (negative ones are clipped to 0: a component may be ignored, but never held against a
candidate). The learned weights are shrunk towards the policy's current weights in proportion
to how few outcomes there are, so twenty clicks cannot overturn a reviewed default.

Whether the new weights are better is measured, not assumed: `benchmarks/matching/evaluate.py`
learns on outcomes of one half of the askers and reports nDCG before/after on the other half.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from sklearn.linear_model import LogisticRegression

from .engine import component_table, resolve_policy
from .index import MatchingIndex
from .policy import COMPONENTS, ComponentWeights, MatchingPolicy, MatchingUse

MIN_EXAMPLES_PER_CLASS = 5
PRIOR_STRENGTH = 200
GOOD_RATING = 4
BAD_RATING = 2


class OutcomeKind(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MEETING_FEEDBACK = "meeting_feedback"


@dataclass(frozen=True)
class Outcome:
    """What the asking profile did with a suggested candidate (rating only for meeting feedback)."""

    asking_id: str
    candidate_id: str
    kind: OutcomeKind
    use: MatchingUse = MatchingUse.PARTNER_SEARCH
    rating: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", OutcomeKind(self.kind))
        object.__setattr__(self, "use", MatchingUse(self.use))
        if self.kind == OutcomeKind.MEETING_FEEDBACK and (self.rating is None or not 1 <= self.rating <= 5):
            raise ValueError(f"meeting feedback needs a rating from 1 to 5, got {self.rating!r}")

    @property
    def label(self) -> int | None:
        """1 good, 0 bad, None when the outcome says nothing either way."""
        if self.kind == OutcomeKind.ACCEPTED:
            return 1
        if self.kind == OutcomeKind.DECLINED:
            return 0
        if self.rating is not None and self.rating >= GOOD_RATING:
            return 1
        if self.rating is not None and self.rating <= BAD_RATING:
            return 0
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "asking_id": self.asking_id,
            "candidate_id": self.candidate_id,
            "kind": self.kind.value,
            "use": self.use.value,
            "rating": self.rating,
        }

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> Outcome:
        rating = row.get("rating")
        return cls(
            asking_id=str(row["asking_id"]),
            candidate_id=str(row["candidate_id"]),
            kind=OutcomeKind(str(row["kind"])),
            use=MatchingUse(str(row.get("use") or MatchingUse.PARTNER_SEARCH)),
            rating=int(rating) if rating is not None else None,  # type: ignore[call-overload]
        )


@dataclass(frozen=True)
class LearnedWeights:
    """The outcome of learning: new weights, how many examples they rest on, and why if unchanged."""

    weights: ComponentWeights
    positives: int
    negatives: int
    fitted: Mapping[str, float]
    note: str = ""


def learn_weights(
    index: MatchingIndex,
    outcomes: Iterable[Outcome],
    policy: MatchingPolicy | MatchingUse | str = MatchingUse.PARTNER_SEARCH,
) -> LearnedWeights:
    """Fit component weights for `policy.use` from recorded outcomes on profiles still in `index`."""
    policy = resolve_policy(policy)
    usable = [
        outcome
        for outcome in outcomes
        if outcome.use == policy.use
        and outcome.label is not None
        and outcome.asking_id in index
        and outcome.candidate_id in index
    ]
    labels = np.array([outcome.label for outcome in usable], dtype=int)
    positives, negatives = int(labels.sum()), int(len(labels) - labels.sum())
    if min(positives, negatives) < MIN_EXAMPLES_PER_CLASS:
        note = f"kept the current weights: need {MIN_EXAMPLES_PER_CLASS} good and {MIN_EXAMPLES_PER_CLASS} bad outcomes"
        return LearnedWeights(policy.weights, positives, negatives, {}, note)
    features = component_table(index, [(o.asking_id, o.candidate_id) for o in usable], policy)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1_000)
    model.fit(features, labels)
    fitted = np.clip(model.coef_[0], 0.0, None)
    prior = policy.weights.as_array()
    if fitted.sum() <= 0:
        return LearnedWeights(
            policy.weights, positives, negatives, {}, "kept the current weights: no component helps"
        )
    fitted = fitted / fitted.sum() * prior.sum()
    trust = len(usable) / (len(usable) + PRIOR_STRENGTH)
    blended = trust * fitted + (1 - trust) * prior
    weights = ComponentWeights.from_mapping(dict(zip(COMPONENTS, blended.round(4).tolist(), strict=True)))
    return LearnedWeights(weights, positives, negatives, dict(zip(COMPONENTS, fitted.tolist(), strict=True)))
