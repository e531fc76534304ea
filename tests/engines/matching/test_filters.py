"""Hard filters are never violated, whatever the profiles (property-based)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterxchange.engines.matching import (
    MatchingContext,
    MatchingIndex,
    MatchingUse,
    Opportunity,
    OrganisationProfile,
    OrganisationType,
    default_policy,
    suggest,
    suggest_for_event,
)
from clusterxchange.engines.matching.compatibility import can_match

WORDS = ["power", "electronics", "testing", "battery", "cloud", "hotel", "Prüfung", "тест", "sensor", ""]
COUNTRIES = ["DE", "FR", "ES", "PL", "", "XX"]
LANGUAGES = ["de", "en", "fr", "Klingon", "xx"]
ECOSYSTEMS = ["Electronics", "Digital", "Tourism", "Unknown things"]

opportunities = st.builds(
    Opportunity,
    kind=st.sampled_from(["business", "technology", "research"]),
    direction=st.sampled_from(["offer", "request"]),
    text=st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
)


@st.composite
def profile_sets(draw):
    count = draw(st.integers(min_value=1, max_value=9))
    profiles = []
    for number in range(count):
        parent = draw(st.sampled_from(["", "", f"p{(number + 1) % count}"]))
        profiles.append(
            OrganisationProfile(
                id=f"p{number}",
                organisation_type=draw(st.sampled_from(list(OrganisationType))),
                country=draw(st.sampled_from(COUNTRIES)),
                languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), max_size=3))),
                ecosystems=tuple(draw(st.lists(st.sampled_from(ECOSYSTEMS), max_size=2))),
                nace_codes=tuple(draw(st.lists(st.sampled_from(["C26", "C27.1", "J62", "x"]), max_size=2))),
                description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5))),
                opportunities=tuple(draw(st.lists(opportunities, max_size=3))),
                parent_id=parent,
            )
        )
    return profiles


contexts = st.builds(
    MatchingContext,
    eligible_countries=st.one_of(st.none(), st.frozensets(st.sampled_from(COUNTRIES))),
    participant_ids=st.one_of(st.none(), st.frozensets(st.sampled_from([f"p{n}" for n in range(9)]))),
    excluded_ids=st.frozensets(st.sampled_from([f"p{n}" for n in range(9)]), max_size=2),
)


def violations(asking, candidate, policy, context):
    """Independent statement of every hard rule; returns the broken ones."""
    broken = []
    if candidate.id == asking.id or candidate.owner_id == asking.owner_id:
        broken.append("own organisation")
    if candidate.id in context.excluded_ids:
        broken.append("excluded")
    if policy.candidate_types is not None and candidate.organisation_type not in policy.candidate_types:
        broken.append("type")
    if policy.require_other_country and (not candidate.country or candidate.country == asking.country):
        broken.append("same country")
    if policy.require_eligible_country and candidate.country not in context.eligible_countries:
        broken.append("ineligible country")
    if policy.require_event_participation and candidate.id not in context.participant_ids:
        broken.append("not a participant")
    if policy.require_answering_opportunity and asking.opportunities:
        pairs = [(o.kind, o.direction) for o in asking.opportunities]
        theirs = [(o.kind, o.direction) for o in candidate.opportunities]
        if not any(can_match(own, other) for own in pairs for other in theirs):
            broken.append("no answering opportunity")
    if (
        policy.require_shared_language
        and asking.languages
        and not set(asking.languages) & set(candidate.languages)
    ):
        broken.append("no shared language")
    return broken


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles=profile_sets(), use=st.sampled_from(list(MatchingUse)), context=contexts, data=st.data())
def test_suggestions_never_break_a_hard_filter(profiles, use, context, data):
    index = MatchingIndex(profiles)
    asking = data.draw(st.sampled_from(profiles))
    policy = default_policy(use)
    try:
        suggestions = suggest(index, asking.id, policy, context, limit=20)
    except ValueError as error:
        assert str(error)
        return
    ids = [s.candidate_id for s in suggestions]
    assert len(ids) == len(set(ids))
    for suggestion in suggestions:
        candidate = index.profile(suggestion.candidate_id)
        assert violations(asking, candidate, policy, context) == []
        if suggestion.components["text_relevance"] > 0:
            pairs = [
                ((o.kind, o.direction), (c.kind, c.direction))
                for o in asking.opportunities
                for c in candidate.opportunities
            ]
            assert any(can_match(own, theirs) for own, theirs in pairs), (
                "text relevance without an offer-request pair"
            )
        assert suggestion.reasons
        assert all(reason.text for reason in suggestion.reasons)


@settings(max_examples=15, deadline=None)
@given(profiles=profile_sets())
def test_event_suggestions_stay_inside_the_event(profiles):
    participants = profiles[: max(1, len(profiles) // 2)]
    inside = {p.id for p in participants}
    results = suggest_for_event(participants)
    assert set(results) == inside
    for asking_id, suggestions in results.items():
        asking = next(p for p in participants if p.id == asking_id)
        context = MatchingContext(participant_ids=frozenset(inside))
        for suggestion in suggestions:
            candidate = next(p for p in participants if p.id == suggestion.candidate_id)
            assert violations(asking, candidate, default_policy(MatchingUse.EVENT_MEETING), context) == []


def test_offer_is_never_matched_with_offer_in_partner_search():
    profiles = [
        OrganisationProfile(
            "a", opportunities=(Opportunity("technology", "offer", "power electronics testing"),)
        ),
        OrganisationProfile(
            "b", opportunities=(Opportunity("technology", "offer", "power electronics testing"),)
        ),
        OrganisationProfile(
            "c", opportunities=(Opportunity("technology", "request", "power electronics tests"),)
        ),
    ]
    assert [s.candidate_id for s in suggest(MatchingIndex(profiles), "a")] == ["c"]


@pytest.mark.parametrize(
    ("use", "asking", "context", "message"),
    [
        (MatchingUse.EXCHANGE_HOST, "visitor", MatchingContext(), "eligible countries"),
        (
            MatchingUse.EXCHANGE_HOST,
            "big",
            MatchingContext(eligible_countries=frozenset({"DE"})),
            "cannot ask",
        ),
        (
            MatchingUse.EXCHANGE_HOST,
            "visitor",
            MatchingContext(eligible_countries=frozenset({"FR"})),
            "DE is not",
        ),
        (MatchingUse.EVENT_MEETING, "visitor", MatchingContext(), "validated participants"),
        (
            MatchingUse.EVENT_MEETING,
            "visitor",
            MatchingContext(participant_ids=frozenset({"big"})),
            "not a validated",
        ),
        (MatchingUse.TANDEM_PARTNER, "visitor", MatchingContext(), "cannot ask"),
    ],
)
def test_invalid_requests_get_a_clear_message(use, asking, context, message):
    index = MatchingIndex(
        [
            OrganisationProfile("visitor", organisation_type="sme", country="DE"),
            OrganisationProfile("big", organisation_type="large_company", country="FR"),
        ]
    )
    with pytest.raises(ValueError, match=message):
        suggest(index, asking, use, context)
