import pytest

from clusterxchange.engines.matching import (
    MatchingIndex,
    MatchingUse,
    Outcome,
    OutcomeKind,
    default_policy,
    learn_weights,
)

from .factories import profile


def ecosystem_world():
    """Askers accept candidates of their own ecosystem and decline the rest, whatever the text says."""
    profiles, outcomes = [], []
    for number in range(30):
        ecosystem = ("Health", "Tourism")[number % 2]
        profiles.append(profile(f"p{number}", ecosystems=(ecosystem,), offers=[("business", f"item {number % 5}")],
                                requests=[("business", f"item {(number + 1) % 5}")]))  # fmt: skip
    for asking in profiles:
        for candidate in profiles:
            if asking.id != candidate.id:
                kind = (
                    OutcomeKind.ACCEPTED
                    if asking.ecosystems == candidate.ecosystems
                    else OutcomeKind.DECLINED
                )
                outcomes.append(Outcome(asking.id, candidate.id, kind))
    return MatchingIndex(profiles), outcomes


def test_learning_raises_the_weight_of_the_component_that_predicts_acceptance():
    index, outcomes = ecosystem_world()
    policy = default_policy(MatchingUse.PARTNER_SEARCH)
    learned = learn_weights(index, outcomes, policy)
    assert learned.positives > 0
    assert learned.negatives > 0
    assert learned.weights.shared_ecosystems > policy.weights.shared_ecosystems
    assert learned.fitted["shared_ecosystems"] == max(learned.fitted.values())
    assert all(value >= 0 for value in learned.weights.as_dict().values())


def test_too_few_outcomes_keep_the_current_weights():
    index, outcomes = ecosystem_world()
    learned = learn_weights(index, outcomes[:3])
    assert learned.weights == default_policy(MatchingUse.PARTNER_SEARCH).weights
    assert "kept the current weights" in learned.note


def test_outcomes_of_other_uses_and_unknown_profiles_are_ignored():
    index, outcomes = ecosystem_world()
    foreign = [Outcome(o.asking_id, o.candidate_id, o.kind, MatchingUse.EVENT_MEETING) for o in outcomes]
    assert learn_weights(index, foreign).positives == 0
    assert learn_weights(index, [Outcome("gone", "p1", OutcomeKind.ACCEPTED)]).positives == 0


def test_meeting_feedback_labels_and_round_trip():
    assert Outcome("a", "b", "meeting_feedback", rating=5).label == 1
    assert Outcome("a", "b", "meeting_feedback", rating=3).label is None
    assert Outcome("a", "b", "meeting_feedback", rating=1).label == 0
    with pytest.raises(ValueError, match="rating from 1 to 5"):
        Outcome("a", "b", "meeting_feedback")
    outcome = Outcome("a", "b", OutcomeKind.DECLINED, MatchingUse.EXCHANGE_HOST)
    assert Outcome.from_dict(outcome.as_dict()) == outcome


def test_learned_weights_plug_into_the_policy():
    index, outcomes = ecosystem_world()
    learned = learn_weights(index, outcomes)
    policy = default_policy(MatchingUse.PARTNER_SEARCH).with_weights(learned.weights)
    assert policy.weights == learned.weights
    with pytest.raises(ValueError, match="unknown score components"):
        policy.with_weights({"charisma": 1.0})
    with pytest.raises(ValueError, match="finite number >= 0"):
        policy.with_weights({"text_relevance": -1.0})
