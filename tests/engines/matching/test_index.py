import numpy as np
import pytest

from clusterxchange.engines.matching import MatchingIndex, MatchingUse, suggest
from clusterxchange.engines.matching.components import compute_components
from clusterxchange.engines.matching.policy import default_policy

from .factories import electronics_set, profile


def scores_by_id(index, asking):
    components, _ = compute_components(index, [asking], default_policy(MatchingUse.PARTNER_SEARCH))
    return {
        index.slot_id(slot): round(float(components["text_relevance"][0, slot]), 9)
        for slot in np.flatnonzero(index.arrays()["alive"])
    }


def test_upsert_replaces_the_old_version_without_rebuild():
    index = MatchingIndex(electronics_set())
    assert suggest(index, "visitor")[0].candidate_id == "lab"
    index.upsert(profile("lab", offers=[("technology", "Booking engine software for hotels")]))
    index.upsert(
        profile("new-lab", country="IT", offers=[("technology", "testing of power electronic modules")])
    )
    ranked = [s.candidate_id for s in suggest(index, "visitor")]
    assert ranked[0] == "new-lab"
    assert len(index) == 6
    assert index.profile("lab").opportunities[0].text == "Booking engine software for hotels"


def test_removed_profiles_are_never_suggested_and_unknown_ids_are_reported():
    index = MatchingIndex(electronics_set())
    index.remove("lab")
    assert "lab" not in index
    assert "lab" not in [s.candidate_id for s in suggest(index, "visitor")]
    with pytest.raises(ValueError, match="'lab' is not in the matching index"):
        index.remove("lab")


def test_incremental_updates_then_compaction_equal_a_fresh_build():
    profiles = electronics_set()
    index = MatchingIndex(profiles[:3])
    for extra in profiles[3:]:
        index.upsert(extra)
    index.upsert(profile("hotel-software", offers=[("technology", "power module testing for hotels")]))
    index.upsert(profile("gone", offers=[("technology", "testing")]))
    index.remove("gone")
    index.compact()
    fresh = MatchingIndex([index.profile(p.id) for p in profiles])
    asking = fresh.profile("visitor")
    assert scores_by_id(index, asking) == scores_by_id(fresh, asking)
    assert index.slot_count == len(fresh)


def test_index_compacts_itself_when_many_rows_are_appended(monkeypatch):
    monkeypatch.setattr("clusterxchange.engines.matching.index.COMPACT_MINIMUM", 2)
    index = MatchingIndex(electronics_set())
    for number in range(6):
        index.upsert(profile("lab", offers=[("technology", f"power electronics testing, version {number}")]))
    assert index.slot_count < len(index) + 6
    assert suggest(index, "visitor")[0].candidate_id == "lab"


def test_the_index_rejects_what_is_not_a_profile():
    with pytest.raises(ValueError, match="OrganisationProfile"):
        MatchingIndex([{"id": "1"}])
