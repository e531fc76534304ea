"""The evaluation harness in benchmarks/matching: metrics, data format, generator, a small run."""

import json

import pytest
from benchmarks.matching import evaluate
from benchmarks.matching.baseline import KeywordOverlapBaseline
from benchmarks.matching.generate import generate, write
from benchmarks.matching.metrics import capped_recall_at, ndcg_at, precision_at, recall_at

from clusterxchange.engines.matching.dataset import read_pairs, read_profiles


def test_metrics_on_a_hand_checked_ranking():
    ranked, relevant = ["a", "x", "b", "y", "z"], {"a", "b", "c"}
    assert precision_at(ranked, relevant, 5) == pytest.approx(0.4)
    assert recall_at(ranked, relevant, 10) == pytest.approx(2 / 3)
    ideal = 1 + 1 / 1.584962500721156 + 0.5
    assert ndcg_at(ranked, relevant, 10) == pytest.approx((1 + 0.5) / ideal)
    many = {f"p{n}" for n in range(20)}
    perfect = sorted(many)[:10]
    assert recall_at(perfect, many, 10) == pytest.approx(0.5)
    assert capped_recall_at(perfect, many, 10) == pytest.approx(1.0)
    assert capped_recall_at(ranked, relevant, 10) == recall_at(ranked, relevant, 10)


def test_generator_is_reproducible_and_pairs_use_different_words(tmp_path):
    profiles, pairs = generate(300, seed=3)
    assert (profiles, pairs) == generate(300, seed=3)
    by_id = {p["id"]: p for p in profiles}
    overlaps = []
    for asking, partner in pairs:
        requests = " ".join(r["text"] for r in by_id[asking]["requests"])
        offers = " ".join(o["text"] for o in by_id[partner]["offers"])
        if requests and offers:
            words_a, words_b = set(requests.lower().split()), set(offers.lower().split())
            overlaps.append(len(words_a & words_b) / len(words_a | words_b))
    assert sum(overlaps) / len(overlaps) < 0.2


def test_generated_pairs_follow_the_judged_answers_of_each_topic():
    """A request for "a partner to build and run public charge points on our car parks" is answered
    by turnkey charge point networks and by installing and operating charging stations, not by
    load-management software."""
    from benchmarks.matching.generate import _Generator
    from benchmarks.matching.topics import TOPICS, answering_offers

    charging = next(topic for topic in TOPICS if topic.key == "charging-infrastructure")
    assert answering_offers(charging, 1) == (0, 2)
    assert answering_offers(next(t for t in TOPICS if t.key == "booking-platforms"), 1) == (1,)
    generator = _Generator(11)
    for number in range(600):
        generator.profile(number)
    pairs = set(generator.good_pairs())
    seekers = generator.requesters[charging.key, 1]
    assert seekers
    for need, offerers in ((0, True), (1, False), (2, True)):
        for offerer in set(generator.offerers[charging.key, need]) - {*seekers}:
            for seeker in seekers:
                answered_elsewhere = any(
                    offerer in generator.offerers[charging.key, other]
                    for other in answering_offers(charging, 1)
                )
                assert ((seeker, offerer) in pairs) == (offerers or answered_elsewhere)


def test_dataset_round_trip_and_errors(tmp_path):
    profiles_path, pairs_path = write(*generate(50, seed=1), tmp_path)
    assert len(read_profiles(profiles_path)) == 50
    assert read_pairs(pairs_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "1"}) + "\n" + json.dumps({"id": "2", "offers": [{"kind": "hugs"}]}) + "\n"
    )
    with pytest.raises(ValueError, match=r"bad.jsonl:2: unknown opportunity kind 'hugs'"):
        read_profiles(bad)
    bad_pairs = tmp_path / "bad.csv"
    bad_pairs.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="profile_id,partner_id"):
        read_pairs(bad_pairs)


def test_baseline_counts_words_shared_between_requests_and_offers(tmp_path):
    profiles = read_profiles(write(*generate(60, seed=2), tmp_path)[0])
    baseline = KeywordOverlapBaseline(profiles)
    asking = profiles[0]
    for other in baseline.rank(asking.id):
        assert other != asking.id


def test_evaluation_runs_on_a_small_set(tmp_path, capsys):
    profiles_path, pairs_path = write(*generate(120, seed=5), tmp_path)
    evaluate.main(["--profiles", str(profiles_path), "--pairs", str(pairs_path), "--no-learning"])
    output = capsys.readouterr().out
    assert "matching engine (default weights; lexical)" in output
    assert "semantic ranking is off" in output
    assert "keyword-overlap baseline" in output


def test_char_gram_baseline_matches_a_request_with_an_inflected_offer(tmp_path):
    from benchmarks.matching.baseline import CharGramTfidfBaseline

    from clusterxchange.engines.matching.dataset import profile_from_record

    profiles = [
        profile_from_record(
            {"id": "a", "requests": [{"kind": "technology", "text": "Testing of power electronics"}]}
        ),
        profile_from_record(
            {"id": "b", "offers": [{"kind": "technology", "text": "We test power-electronic modules"}]}
        ),
        profile_from_record({"id": "c", "offers": [{"kind": "business", "text": "Organic bakery goods"}]}),
        profile_from_record(
            {"id": "d", "requests": [{"kind": "technology", "text": "power electronics testing"}]}
        ),
    ]
    ranked = CharGramTfidfBaseline(profiles).rank("a")
    assert ranked == ["b"]  # c offers an incompatible kind, d only requests


def test_json_output_lists_every_ranking_and_skips_unknown_pair_ids(tmp_path, capsys):
    profiles_path, pairs_path = write(*generate(120, seed=5), tmp_path)
    with pairs_path.open("a", encoding="utf-8") as stream:
        stream.write("p000001,nobody\nghost,p000002\n")
    json_path = tmp_path / "figures.json"
    evaluate.main(
        [
            "--profiles",
            str(profiles_path),
            "--pairs",
            str(pairs_path),
            "--no-learning",
            "--json",
            str(json_path),
        ]
    )
    output = capsys.readouterr().out
    assert "the pairs name 2 id(s) that are not in the profiles (ghost, nobody)" in output
    document = json.loads(json_path.read_text())
    assert document["unknown_pair_ids"] == 2
    assert 0 < document["best_possible_recall@10"] <= 1
    assert {"keyword_overlap", "char4_tfidf", "engine"} <= set(document["rankings"])
    for figures in document["rankings"].values():
        assert set(figures) == {"label", "precision@5", "recall@10", "ndcg@10", "capped_recall@10", "askers"}
        assert figures["recall@10"] <= figures["capped_recall@10"] <= 1
        assert 0 <= figures["ndcg@10"] <= 1 and figures["askers"] > 0


def test_cross_validation_figures_rank_like_a_stable_sort_with_ties_and_filtered_cells():
    """The cross-validation's top 10 (found without sorting whole rows) are those of a stable sort:
    score descending, ties by position, disallowed candidates never counted."""
    import numpy as np
    from benchmarks.matching.crossvalidate import CUTOFF, SetTable, figures

    rng = np.random.default_rng(5)
    askers, candidates = 40, 60
    components = np.round(rng.random((askers, candidates, 6)), 1)  # coarse values: many ties
    semantic = {0.0: np.round(rng.random((askers, candidates)), 1)}
    allowed = rng.random((askers, candidates)) > 0.2
    relevant = rng.random((askers, candidates)) > 0.8
    table = SetTable("random", components, semantic, allowed, relevant, np.minimum(relevant.sum(1), CUTOFF))
    weights = np.array([0.6, 0.2, 0.08, 0.04, 0.04, 0.04])
    got = figures(table, weights, 0.5, 0.1, 0.0)

    text = 0.5 * components[..., 0] + 0.5 * np.clip((semantic[0.0] - 0.1) / 0.9, 0, 1)
    scores = np.where(allowed, text * weights[0] + components[..., 1:] @ weights[1:], -np.inf)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :CUTOFF]
    hits = np.take_along_axis(relevant & allowed, top, axis=1)
    discounts = 1 / np.log2(np.arange(CUTOFF) + 2)
    ideal = np.array([discounts[:count].sum() for count in table.relevant_counts])
    expected = {
        "precision@5": hits[:, :5].sum(axis=1).mean() / 5,
        "recall@10": (hits.sum(axis=1) / np.maximum(relevant.sum(axis=1), 1)).mean(),
        "ndcg@10": ((hits * discounts).sum(axis=1) / np.maximum(ideal, 1e-12)).mean(),
    }
    assert got == pytest.approx(expected, abs=1e-12)
