import numpy as np
import pytest

from clusterxchange.engines.matching import COMPONENTS, MatchingIndex, MatchingUse
from clusterxchange.engines.matching.components import _overlap, compute_components
from clusterxchange.engines.matching.policy import default_policy

from .factories import electronics_set, profile


def components_for(index, asking_id, candidate_id, use=MatchingUse.PARTNER_SEARCH):
    components, _ = compute_components(index, [index.profile(asking_id)], default_policy(use))
    slot = index.slot_of(candidate_id)
    return {name: float(values[0, slot]) for name, values in components.items()}


def test_every_component_is_named_and_between_zero_and_one():
    index = MatchingIndex(electronics_set())
    components, _ = compute_components(index, list(index), default_policy(MatchingUse.EXCHANGE_HOST))
    assert tuple(components) == COMPONENTS
    for values in components.values():
        assert values.shape == (len(index), index.slot_count)
        assert values.min() >= 0.0
        assert values.max() <= 1.0


def test_good_partner_beats_distractor_on_text_and_structure():
    index = MatchingIndex(electronics_set())
    good = components_for(index, "visitor", "lab")
    bad = components_for(index, "visitor", "hotel-software")
    assert good["text_relevance"] > bad["text_relevance"]
    assert good["shared_ecosystems"] == 1.0
    assert good["shared_sectors"] == 1.0
    assert good["language_overlap"] == 1.0
    assert bad["language_overlap"] == 0.0


def test_offer_with_offer_and_request_with_request_score_no_text_relevance():
    index = MatchingIndex(
        [
            profile("a", offers=[("technology", "power electronics testing")]),
            profile("b", offers=[("technology", "power electronics testing")]),
            profile("c", requests=[("technology", "power electronics testing")]),
            profile("d", requests=[("technology", "power electronics testing")]),
        ]
    )
    assert components_for(index, "a", "b", MatchingUse.EXCHANGE_HOST)["text_relevance"] == 0.0
    assert components_for(index, "c", "d", MatchingUse.EXCHANGE_HOST)["text_relevance"] == 0.0
    assert components_for(index, "a", "c", MatchingUse.EXCHANGE_HOST)["text_relevance"] > 0.3


def test_section_only_nace_overlap_counts_half_and_unknown_languages_are_neutral():
    index = MatchingIndex(
        [
            profile("a", nace_codes=("C26",), languages=()),
            profile("b", nace_codes=("C28.1",), languages=("xx",)),
        ]
    )
    values = components_for(index, "a", "b")
    assert values["shared_sectors"] == pytest.approx(0.5)
    assert values["language_overlap"] == pytest.approx(0.5)


def test_label_overlap_is_shared_over_the_smaller_count_and_zero_where_nothing_is_shared():
    shared = np.array([[0.0, 1.0, 2.0, 1.0], [3.0, 0.0, 1.0, 0.0]])
    asking = np.array([2.0, 0.0])
    candidates = np.array([1.0, 4.0, 2.0, 0.0])
    expected = np.array([[0.0, 0.5, 1.0, 1.0], [1.0, 0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(_overlap(shared, asking, candidates), expected)
