"""Explanations name features the two profiles really share, in the profiles' own words."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.matching import REASON_MESSAGES, MatchingIndex, Reason, suggest
from clusterxchange.engines.matching.explanations import matching_phrase
from clusterxchange.engines.matching.reference import fold, language_name
from clusterxchange.engines.matching.text import key_set

from .factories import electronics_set, profile
from .test_filters import profile_sets


def test_the_good_host_is_explained_with_its_own_words():
    suggestion = suggest(MatchingIndex(electronics_set()), "visitor")[0]
    assert suggestion.candidate_id == "lab"
    texts = suggestion.reason_texts
    assert "they offer 'power electronics testing', which you request" in texts
    assert "both in Electronics" in texts
    assert "both work in NACE C26" in texts


def test_language_reason_names_the_shared_language():
    index = MatchingIndex(
        [
            profile("a", languages=("de",), requests=[("business", "distribution partner for sensors")]),
            profile(
                "b", languages=("German", "fr"), offers=[("business", "distribution of sensors in France")]
            ),
        ]
    )
    assert "speaks German" in suggest(index, "a")[0].reason_texts


def test_reasons_are_translatable_message_ids_with_named_parameters():
    for message in REASON_MESSAGES:
        assert "{}" not in message
    reason = Reason("shared_ecosystems", "both in {ecosystems}", {"ecosystems": "Health"}, 0.1)
    assert reason.text == "both in Health"
    suggestion = suggest(MatchingIndex(electronics_set()), "visitor")[0]
    assert all(reason.message in REASON_MESSAGES for reason in suggestion.reasons)


def test_phrase_is_the_longest_matching_run_and_stops_at_punctuation():
    text = "We offer power electronics testing, EMC and thermal tests for inverters"
    keys = key_set("testing power electronic inverters")
    assert matching_phrase(text, keys) == "power electronics testing"
    assert matching_phrase("nothing in common", keys) == ""


def test_a_profile_with_nothing_in_common_still_gets_a_reason():
    index = MatchingIndex([profile("a", languages=()), profile("b", languages=(), organisation_type="other")])
    (suggestion,) = suggest(index, "a")
    assert suggestion.reason_texts == (
        "no strong shared feature yet; suggested because they meet the partner search criteria",
    )


def _quoted(text):
    match = re.search(r"'(.+)'", text)
    return match.group(1) if match else None


@settings(max_examples=25, deadline=None)
@given(profiles=profile_sets(), data=st.data())
def test_every_reason_names_a_real_shared_feature(profiles, data):
    index = MatchingIndex(profiles)
    asking = data.draw(st.sampled_from(profiles))
    for suggestion in suggest(index, asking.id, limit=20):
        candidate = index.profile(suggestion.candidate_id)
        for reason in suggestion.reasons:
            if reason.component in ("text_relevance", "capability_fit"):
                phrase = reason.params["phrase"]
                theirs = " ".join(
                    [candidate.capability_text, *(o.full_text for o in candidate.opportunities)]
                )
                assert phrase in " ".join(theirs.split())
                own = " ".join(o.full_text for o in asking.opportunities)
                assert key_set(phrase) & key_set(own)
            elif reason.component == "shared_ecosystems":
                for ecosystem in reason.params["ecosystems"].replace(" and ", ", ").split(", "):
                    assert fold(ecosystem) in {fold(e) for e in asking.ecosystems}
                    assert fold(ecosystem) in {fold(e) for e in candidate.ecosystems}
            elif reason.component == "language_overlap":
                shared = {language_name(code) for code in set(asking.languages) & set(candidate.languages)}
                for name in reason.params["languages"].replace(" and ", ", ").split(", "):
                    assert name in shared
