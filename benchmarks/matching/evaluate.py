"""Ranking quality of the matching engine against the keyword-overlap baseline, side by side.

    python -m benchmarks.matching.evaluate                       # generated set (800 profiles, seed 7)
    python -m benchmarks.matching.evaluate --profiles P.jsonl --pairs P.csv [--use partner_search]
    python -m benchmarks.matching.evaluate ... --json results.json      # also as JSON (- for stdout)

Every profile with at least one known partner asks once; the engine and the baselines each rank
all other profiles; precision@5, recall@10 and nDCG@10 are averaged over the askers. The
keyword-overlap baseline is reported raw and restricted by the engine's hard filters, to
separate what ranking adds from what filtering adds; a TF-IDF over character 4-grams of
requests against compatible offers is the stronger simple baseline. Then the learning experiment: outcomes are simulated for half of
the askers (their top-20 suggestions, accepted when the pair is known good, declined
otherwise), weights are learned from them, and the other half is measured before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from clusterxchange.engines.matching import (
    ComponentWeights,
    MatchingContext,
    MatchingIndex,
    MatchingPolicy,
    Outcome,
    OutcomeKind,
    default_policy,
    learn_weights,
    suggest,
)
from clusterxchange.engines.matching.components import compute_components
from clusterxchange.engines.matching.dataset import read_pairs, read_profiles
from clusterxchange.engines.matching.filters import allowed_candidates
from clusterxchange.engines.matching.semantic import load_default_store

from .baseline import CharGramTfidfBaseline, KeywordOverlapBaseline, ProfileSimilarityBaseline
from .generate import generate, write
from .metrics import summarise

SIMULATED_SUGGESTIONS = 20
DEFAULT_EMBEDDINGS_FILE = Path(tempfile.gettempdir()) / "clusterxchange-matching-embeddings.sqlite"


def engine_rankings(
    index: MatchingIndex, askers: Sequence[str], policy: MatchingPolicy
) -> dict[str, list[str]]:
    context = MatchingContext()
    return {
        asker: [s.candidate_id for s in suggest(index, asker, policy, context, limit=10)] for asker in askers
    }


def baseline_rankings(
    index: MatchingIndex,
    askers: Sequence[str],
    policy: MatchingPolicy,
    filtered: bool,
    baseline_type: type[
        KeywordOverlapBaseline | ProfileSimilarityBaseline | CharGramTfidfBaseline
    ] = KeywordOverlapBaseline,
) -> dict[str, list[str]]:
    baseline = baseline_type(list(index))
    rankings = {}
    for asker in askers:
        allowed = None
        if filtered:
            profile = index.profile(asker)
            _, shared_languages = compute_components(index, [profile], policy)
            mask = allowed_candidates(index, profile, policy, MatchingContext(), shared_languages[0])
            allowed_ids = {index.slot_id(slot) for slot in mask.nonzero()[0]}
            allowed = allowed_ids.__contains__
        rankings[asker] = baseline.rank(asker, 10, allowed)
    return rankings


def simulated_outcomes(
    index: MatchingIndex, askers: Sequence[str], truth: dict[str, set[str]], policy: MatchingPolicy
) -> list[Outcome]:
    outcomes = []
    for asker in askers:
        for suggestion in suggest(index, asker, policy, limit=SIMULATED_SUGGESTIONS):
            good = suggestion.candidate_id in truth.get(asker, set())
            kind = OutcomeKind.ACCEPTED if good else OutcomeKind.DECLINED
            outcomes.append(Outcome(asker, suggestion.candidate_id, kind, policy.use))
    return outcomes


def row(name: str, figures: dict[str, float]) -> str:
    return (
        f"| {name} | {figures['precision@5']:.3f} | {figures['recall@10']:.3f} | {figures['ndcg@10']:.3f} |"
        f" {figures['capped_recall@10']:.3f} | {figures['queries']} |"
    )


HEADER = (
    "| ranking | precision@5 | recall@10 | nDCG@10 | extra: recall@10 capped at the known partners | askers |"
    "\n|---|---|---|---|---|---|"
)


def as_json_figures(label: str, figures: dict[str, float]) -> dict[str, object]:
    return {
        "label": label,
        "precision@5": round(figures["precision@5"], 4),
        "recall@10": round(figures["recall@10"], 4),
        "ndcg@10": round(figures["ndcg@10"], 4),
        "capped_recall@10": round(figures["capped_recall@10"], 4),
        "askers": figures["queries"],
    }


def known_truth(truth: dict[str, set[str]], index: MatchingIndex, out) -> tuple[dict[str, set[str]], int]:
    """The pairs whose both ids are profiles of the set; says how many were left out and why."""
    kept: dict[str, set[str]] = {}
    unknown: set[str] = set()
    for asker, partners in truth.items():
        if asker not in index:
            unknown.add(asker)
            continue
        unknown |= {partner for partner in partners if partner not in index}
        known = {partner for partner in partners if partner in index}
        if known:
            kept[asker] = known
    if unknown:
        shown = ", ".join(sorted(unknown)[:5])
        print(
            f"warning: the pairs name {len(unknown)} id(s) that are not in the profiles ({shown}"
            f"{', ...' if len(unknown) > 5 else ''}); those pairs are left out",
            file=out,
        )
    return kept, len(unknown)


def quality_rankings(
    index: MatchingIndex, askers: list[str], policy: MatchingPolicy
) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """Every ranking of the comparison: key -> (label, asker -> top-10 ids)."""
    profiles = list(index)
    char_grams = CharGramTfidfBaseline(profiles)
    return {
        "profile_similarity": (
            "profile-similarity baseline (Jaccard of all words)",
            baseline_rankings(index, askers, policy, False, ProfileSimilarityBaseline),
        ),
        "keyword_overlap": (
            "keyword-overlap baseline (requests vs offers)",
            baseline_rankings(index, askers, policy, False),
        ),
        "keyword_overlap_filtered": (
            "keyword-overlap baseline + engine's hard filters",
            baseline_rankings(index, askers, policy, True),
        ),
        "char4_tfidf": (
            "TF-IDF over character 4-grams (requests vs compatible offers)",
            {asker: char_grams.rank(asker, 10) for asker in askers},
        ),
        "engine_lexical": (
            "matching engine, lexical only (no model)",
            engine_rankings(MatchingIndex(profiles, embeddings=None), askers, policy),
        ),
        "engine": (
            f"matching engine (default weights; {'semantic + lexical' if index.semantic else 'lexical'})",
            engine_rankings(index, askers, policy),
        ),
    }


def best_possible_recall(truth: dict[str, set[str]], cutoff: int = 10) -> float:
    """Recall@cutoff of a perfect ranking: below 1 when askers have more known partners than `cutoff`."""
    return sum(min(1.0, cutoff / len(partners)) for partners in truth.values()) / max(len(truth), 1)


def weights_text(weights: ComponentWeights) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in weights.as_dict().items())


def learning_experiment(
    index: MatchingIndex, askers: list[str], truth: dict[str, set[str]], policy: MatchingPolicy, seed: int
) -> None:
    shuffled = sorted(askers)
    random.Random(seed).shuffle(shuffled)
    train, test = shuffled[: len(shuffled) // 2], shuffled[len(shuffled) // 2 :]
    equal = policy.with_weights(ComponentWeights(*([1 / 6] * 6)))
    print(f"\nLearning from simulated outcomes of {len(train)} askers, measured on the other {len(test)}:\n")
    print(HEADER)
    print(
        row(
            "keyword-overlap baseline, held-out askers",
            summarise(baseline_rankings(index, test, policy, False), truth),
        )
    )
    for name, start in (("default weights", policy), ("equal weights", equal)):
        learned = learn_weights(index, simulated_outcomes(index, train, truth, start), start)
        after = start.with_weights(learned.weights)
        print(row(f"engine, {name}", summarise(engine_rankings(index, test, start), truth)))
        print(
            row(
                f"engine, learned from {learned.positives}+{learned.negatives} outcomes, starting from {name}",
                summarise(engine_rankings(index, test, after), truth),
            )
        )
        print(
            f"|   weights {name}: {weights_text(start.weights)}<br>learned: {weights_text(learned.weights)} | | | | |"
        )


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=Path, help="profiles.jsonl (default: generate a set)")
    parser.add_argument("--pairs", type=Path, help="pairs.csv with header profile_id,partner_id")
    parser.add_argument(
        "--generate", type=int, default=800, help="profiles to generate when no files are given"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--use", default="partner_search", help="matching use whose policy ranks")
    parser.add_argument("--no-learning", action="store_true")
    parser.add_argument(
        "--embeddings",
        type=Path,
        default=DEFAULT_EMBEDDINGS_FILE,
        help=f"SQLite file keeping sentence embeddings between runs (default {DEFAULT_EMBEDDINGS_FILE})",
    )
    parser.add_argument("--lexical", action="store_true", help="rank without the semantic model")
    parser.add_argument(
        "--json",
        dest="json_path",
        help="also write the figures as JSON to this file ('-': stdout, table on stderr)",
    )
    args = parser.parse_args(argv)
    if (args.profiles is None) != (args.pairs is None):
        parser.error("give both --profiles and --pairs, or neither")
    out = sys.stderr if args.json_path == "-" else sys.stdout
    if args.profiles is None:
        folder = Path(tempfile.mkdtemp(prefix="matching-set-"))
        args.profiles, args.pairs = write(*generate(args.generate, args.seed), folder)
        print(f"generated {args.generate} profiles (seed {args.seed}) in {folder}", file=out)
    profiles = read_profiles(args.profiles)
    policy = default_policy(args.use)
    store, status = (None, None) if args.lexical else load_default_store(args.embeddings)
    print(status.message if status else "semantic ranking is off by request (--lexical)", file=out)
    started = time.perf_counter()
    index = MatchingIndex(profiles, embeddings=store)
    print(
        f"indexed {len(index)} profiles in {time.perf_counter() - started:.2f} s; use {policy.use.value}\n",
        file=out,
    )
    truth, unknown_ids = known_truth(read_pairs(args.pairs), index, out)
    askers = sorted(truth)
    started = time.perf_counter()
    rankings = quality_rankings(index, askers, policy)
    elapsed = time.perf_counter() - started
    print(HEADER, file=out)
    results: dict[str, object] = {}
    for key, (label, ranking) in rankings.items():
        figures = summarise(ranking, truth)
        print(row(label, figures), file=out)
        results[key] = as_json_figures(label, figures)
    bound = best_possible_recall(truth)
    print(
        f"\n{len(askers)} askers, all rankings in {elapsed:.2f} s; best possible recall@10 {bound:.3f}"
        " (askers with more than 10 known partners cannot reach 1)",
        file=out,
    )
    for asker in askers[:2]:
        top = suggest(index, asker, policy, limit=1)
        if top:
            print(f"  {asker} -> {top[0].candidate_id}: {'; '.join(top[0].reason_texts)}", file=out)
    if not args.no_learning:
        with contextlib.redirect_stdout(out):
            learning_experiment(index, askers, truth, policy, args.seed)
    document = {
        "profiles": str(args.profiles),
        "pairs": str(args.pairs),
        "use": policy.use.value,
        "semantic": index.semantic_status.message,
        "profile_count": len(index),
        "unknown_pair_ids": unknown_ids,
        "best_possible_recall@10": round(bound, 4),
        "rankings": results,
    }
    if args.json_path == "-":
        print(json.dumps(document, indent=2))
    elif args.json_path:
        Path(args.json_path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


if __name__ == "__main__":
    main()
