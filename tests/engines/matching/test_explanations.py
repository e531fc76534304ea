"""Explanations name features the two profiles really share, in the profiles' own words."""

import dataclasses
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.matching import REASON_MESSAGES, MatchingIndex, Reason, default_policy, suggest
from clusterxchange.engines.matching.explanations import capability_phrase, quote
from clusterxchange.engines.matching.reference import fold, language_name
from clusterxchange.engines.matching.semantic import sentences
from clusterxchange.engines.matching.text import key_set

from .factories import electronics_set, profile
from .test_filters import profile_sets


def test_the_good_host_is_explained_with_its_own_words():
    policy = dataclasses.replace(default_policy("partner_search"), max_reasons=6)
    suggestion = suggest(MatchingIndex(electronics_set()), "visitor", policy)[0]
    assert suggestion.candidate_id == "lab"
    assert suggestion.reason_texts[:3] == (
        "their offer 'We offer power electronics testing and reliability qualification of modules' answers"
        " your request 'We are looking for testing of our power-electronic modules before certification'",
        "both in Electronics",
        "their profile mentions 'Test laboratory with EMC chambers', which you request",
    )
    assert "both work in NACE C26" in suggestion.reason_texts
    assert suggest(MatchingIndex(electronics_set()), "visitor")[0].reason_texts == suggestion.reason_texts[:3]


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


def test_a_capability_is_quoted_as_a_whole_term_or_a_whole_sentence_never_a_fragment():
    candidate = profile(
        "b",
        keywords=("failure analysis of power modules", "online shop"),
        description="We run an accredited lab. Our engineers analyse why modules fail.",
    )
    assert capability_phrase("failure of our modules", candidate) == "failure analysis of power modules"
    no_terms = profile("c", description="We run an accredited lab. Our engineers analyse why modules fail.")
    assert capability_phrase("modules that fail", no_terms) == "Our engineers analyse why modules fail"
    assert capability_phrase("organic bread", candidate) == ""


def test_long_sentences_are_cut_at_a_word_and_marked():
    sentence = "We test " + "power electronic modules and inverters " * 10
    quoted = quote(sentence)
    assert len(quoted) <= 162 and quoted.endswith(" …")
    assert sentence.startswith(quoted[:-2])


def test_the_matched_sentences_are_quoted_not_the_whole_text():
    index = MatchingIndex(
        [
            profile(
                "a",
                requests=[
                    ("technology", "We are an SME in Bavaria. We need failure analysis of SiC modules.")
                ],
            ),
            profile(
                "b",
                offers=[
                    ("technology", "Founded in 1990. Failure analysis of power modules and SiC devices.")
                ],
            ),
        ]
    )
    (reason,) = [r for r in suggest(index, "a")[0].reasons if r.component == "text_relevance"]
    assert reason.params == {
        "their_text": "Failure analysis of power modules and SiC devices",
        "your_text": "We need failure analysis of SiC modules",
    }


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
            if reason.component == "text_relevance":
                theirs = {quote(x) for o in candidate.opportunities for x in sentences(o.full_text)}
                own = {quote(x) for o in asking.opportunities for x in sentences(o.full_text)}
                assert reason.params["their_text"] in theirs
                assert reason.params["your_text"] in own
                assert key_set(reason.params["their_text"]) & key_set(reason.params["your_text"])
            elif reason.component == "capability_fit":
                phrase = reason.params["phrase"]
                units = {quote(x) for x in (*candidate.keywords, *candidate.technologies)}
                units |= {quote(x) for x in sentences(candidate.description)}
                assert phrase in units
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
