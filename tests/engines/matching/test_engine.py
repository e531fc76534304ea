"""Ranking: deterministic, limited, robust to bad input."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.matching import (
    MatchingContext,
    MatchingIndex,
    MatchingUse,
    OrganisationProfile,
    default_policy,
    suggest,
    suggest_for_event,
    training_course_profile,
)

from .factories import electronics_set, profile
from .test_filters import profile_sets


def ranking(profiles, asking_id, use=MatchingUse.PARTNER_SEARCH, context=None):
    return [
        (s.candidate_id, s.score) for s in suggest(MatchingIndex(profiles), asking_id, use, context, limit=50)
    ]


@settings(max_examples=20, deadline=None)
@given(profiles=profile_sets(), seed=st.integers(0, 1000))
def test_ranking_does_not_depend_on_input_order(profiles, seed):
    shuffled = list(profiles)
    random.Random(seed).shuffle(shuffled)
    assert ranking(profiles, profiles[0].id) == ranking(shuffled, profiles[0].id)


def test_equal_scores_are_ordered_by_id():
    twins = [profile("z-first", requests=[("business", "distributors for sensors")])]
    twins += [profile(name, offers=[("business", "distribution of sensors")]) for name in ("c", "a", "b")]
    ranked = ranking(twins, "z-first")
    assert [candidate for candidate, _ in ranked] == ["a", "b", "c"]
    assert len({score for _, score in ranked}) == 1


def test_scores_are_descending_and_ranks_consecutive():
    suggestions = suggest(MatchingIndex(electronics_set()), "visitor", limit=10)
    assert [s.rank for s in suggestions] == list(range(1, len(suggestions) + 1))
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_exchange_host_search_suggests_the_lab_abroad():
    context = MatchingContext(eligible_countries=frozenset({"DE", "FR", "ES", "AT", "PL"}))
    hosts = suggest(MatchingIndex(electronics_set()), "visitor", MatchingUse.EXCHANGE_HOST, context)
    assert hosts[0].candidate_id == "lab"
    assert "cluster" in [s.candidate_id for s in hosts]
    assert all(s.candidate_id != "visitor" for s in hosts)


def test_tandem_and_training_uses():
    clusters = [
        profile(
            "c1",
            organisation_type="cluster_organisation",
            country="DE",
            description="digital transformation of SMEs",
        ),
        profile(
            "c2", organisation_type="cluster_organisation", country="FR", description="digital transformation"
        ),
        profile(
            "c3", organisation_type="cluster_organisation", country="DE", description="digital transformation"
        ),
        profile("s1", country="FR", description="digital transformation"),
    ]
    assert [s.candidate_id for s in suggest(MatchingIndex(clusters), "c1", MatchingUse.TANDEM_PARTNER)] == [
        "c2"
    ]
    courses = [
        training_course_profile(
            "t1", "Cluster branding", "Build the brand of your cluster", languages=("en",)
        ),
        training_course_profile(
            "t2", "Cybersecurity basics", "Protect your cluster members", languages=("de",)
        ),
        profile(
            "manager",
            organisation_type="cluster_organisation",
            requests=[("business", "branding of our cluster")],
        ),
    ]
    (course,) = suggest(MatchingIndex(courses), "manager", MatchingUse.TRAINING_COURSE)
    assert course.candidate_id == "t1"
    assert (
        "their offer 'Cluster branding' answers your request 'branding of our cluster'" in course.reason_texts
    )
    assert "the course covers 'Build the brand of your cluster', which you asked for" in course.reason_texts
    assert "taught in English" in course.reason_texts


def test_a_profile_outside_the_index_can_ask():
    outsider = profile("new", requests=[("technology", "power electronics testing")])
    assert suggest(MatchingIndex(electronics_set()), outsider)[0].candidate_id == "lab"


@pytest.mark.parametrize(
    "asking",
    [
        OrganisationProfile("empty"),
        profile(
            "long", description="power electronics " * 20_000, requests=[("technology", "testing " * 5_000)]
        ),
        profile("klingon", languages=("Klingon", "xx"), requests=[("technology", "Qapla' power testing")]),
        profile(
            "german", languages=("de",), requests=[("technology", "Prüfung von Leistungselektronik-Modulen")]
        ),
        profile("bulgarian", languages=("bg",), requests=[("technology", "изпитване на силова електроника")]),
        profile("greek", languages=("el",), requests=[("technology", "δοκιμές ηλεκτρονικών ισχύος")]),
    ],
)
def test_bad_or_unusual_input_still_gives_ranked_filtered_explained_results(asking):
    index = MatchingIndex([*electronics_set(), asking])
    everyone = frozenset(profile.id for profile in index)
    context = MatchingContext(
        eligible_countries=frozenset({"DE", "FR", "ES", "AT", "PL"}), participant_ids=everyone
    )
    for use in MatchingUse:
        try:
            suggestions = suggest(index, asking.id, use, context)
        except ValueError as error:
            assert "cannot ask" in str(error) or "country" in str(error)
            continue
        assert all(s.reasons and s.candidate_id != asking.id for s in suggestions)


def test_non_english_cognates_still_match():
    profiles = [
        profile(
            "de", languages=("de",), requests=[("technology", "Batteriesystem für unser Elektrofahrzeug")]
        ),
        profile("en", offers=[("technology", "battery systems for electric vehicles")]),
        profile("other", offers=[("technology", "booking software for hotels")]),
    ]
    assert suggest(MatchingIndex(profiles), "de")[0].candidate_id == "en"


@pytest.mark.parametrize("limit", [0, -1, 10_001, "10"])
def test_bad_limits_and_unknown_ids_raise_clear_errors(limit):
    index = MatchingIndex(electronics_set())
    with pytest.raises(ValueError, match="limit must be"):
        suggest(index, "visitor", limit=limit)
    with pytest.raises(ValueError, match="'nobody' is not in the matching index"):
        suggest(index, "nobody")
    with pytest.raises(ValueError, match="unknown matching use"):
        suggest(index, "visitor", "speed dating")


def test_event_suggestions_match_single_queries():
    participants = electronics_set()
    context = MatchingContext(participant_ids=frozenset(p.id for p in participants))
    index = MatchingIndex(participants)
    batch = suggest_for_event(participants)
    policy = default_policy(MatchingUse.EVENT_MEETING)
    for participant in participants:
        single = suggest(index, participant.id, policy, context)
        assert [(s.candidate_id, s.score) for s in batch[participant.id]] == [
            (s.candidate_id, s.score) for s in single
        ]


def test_empty_index_and_empty_event_give_empty_results():
    assert suggest_for_event([]) == {}
    assert suggest(MatchingIndex([]), OrganisationProfile("x")) == []
    assert suggest_for_event([OrganisationProfile("alone")]) == {"alone": []}
    index = MatchingIndex([])
    index.upsert(OrganisationProfile("a", opportunities=()))
    assert [s.candidate_id for s in suggest(index, OrganisationProfile("x"))] == ["a"]
