"""Choose the engine's weights and text blend by leave-one-set-out cross-validation across labelled sets.

    python -m benchmarks.matching.crossvalidate            # the three sets below, partner search
    python -m benchmarks.matching.crossvalidate --json cv.json

For every set, each asker's component values against every allowed candidate are computed once
(lexical text relevance and the semantic similarity, per hub correction, kept apart); then a grid
of parameters (component weights x semantic share x semantic floor x hub correction) is scored
on every set. For each set the
parameters are chosen on the OTHER sets (best mean nDCG@10) and reported on it: those are the
figures to quote. The shipped defaults are the best on all sets together; a set that the engine
was never tuned on (such as the independent set kept by the maintainers) is the real check.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clusterxchange.engines.matching import MatchingContext, MatchingIndex, default_policy
from clusterxchange.engines.matching.components import compute_components, relative_semantic
from clusterxchange.engines.matching.dataset import read_pairs, read_profiles
from clusterxchange.engines.matching.filters import allowed_candidates
from clusterxchange.engines.matching.policy import COMPONENTS, ComponentWeights, TextBlend
from clusterxchange.engines.matching.semantic import load_default_store

from .evaluate import DEFAULT_EMBEDDINGS_FILE
from .generate import generate, write

HERE = Path(__file__).parent
SETS = {"een_style": HERE / "een_style", "blind_authored": HERE / "blind_authored"}
SHARES = (0.5, 0.7, 0.85, 1.0)
HUB_CORRECTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
FLOORS = (0.0, 0.1, 0.2, 0.3)
TEXT_WEIGHTS = (0.45, 0.6, 0.75, 0.9)
# How the weight left after text relevance is shared by the five other components (capability,
# ecosystems, sectors, roles, languages). Roles and languages always keep a share: the labelled
# sets carry no signal on them by construction (any role or language may be a good partner
# there), so a set cannot show what they are worth to people, and a component at 0 loses its
# reasons ("speaks German") from the suggestions.
OTHER_SPLITS = (
    (0.3, 0.3, 0.2, 0.1, 0.2),  # the reviewed defaults' proportions
    (0.2, 0.2, 0.2, 0.2, 0.2),
    (0.5, 0.2, 0.1, 0.1, 0.1),
    (0.6, 0.0, 0.0, 0.2, 0.2),
    (0.0, 0.0, 0.0, 0.5, 0.5),
)
CUTOFF = 10


@dataclass
class SetTable:
    """Dense (askers x candidates) arrays of one set: components, semantic similarity, allowed, relevant."""

    name: str
    components: np.ndarray  # askers x candidates x components (text = lexical)
    semantic: dict[float, np.ndarray]  # by hub correction
    allowed: np.ndarray
    relevant: np.ndarray
    relevant_counts: np.ndarray


def table_of(name: str, profiles_path: Path, pairs_path: Path, store) -> SetTable:
    profiles = read_profiles(profiles_path)
    truth = read_pairs(pairs_path)
    policy = default_policy("partner_search").with_text_blend(TextBlend(semantic_share=0.0))
    index = MatchingIndex(profiles, embeddings=store)
    askers = [
        index.profile(a) for a in sorted(truth) if a in index and truth[a] & set(map(str, index_ids(index)))
    ]
    components, shared_languages = compute_components(index, askers, policy)
    stacked = np.stack([components[c] for c in COMPONENTS], axis=-1)
    semantic = {
        hub: relative_semantic(index, askers, index.semantic.scores(askers, index.slot_count, hub))
        if index.semantic
        else np.zeros(stacked.shape[:2])
        for hub in HUB_CORRECTIONS
    }
    allowed = np.vstack(
        [
            allowed_candidates(index, a, policy, MatchingContext(), shared_languages[row])
            for row, a in enumerate(askers)
        ]
    )
    ids = index_ids(index)
    relevant = np.array([[candidate in truth[a.id] for candidate in ids] for a in askers])
    return SetTable(name, stacked, semantic, allowed, relevant, np.minimum(relevant.sum(axis=1), CUTOFF))


def index_ids(index: MatchingIndex) -> list[str]:
    return [index.slot_id(slot) for slot in range(index.slot_count)]


DISCOUNTS = 1 / np.log2(np.arange(CUTOFF) + 2)


def figures(table: SetTable, weights: np.ndarray, share: float, floor: float, hub: float) -> dict[str, float]:
    """P@5, R@10 and nDCG@10 of one parameter point."""
    text = (1 - share) * table.components[..., 0] + share * np.clip(
        (table.semantic[hub] - floor) / (1 - floor), 0, 1
    )
    return figures_of_scores(table, text * weights[0] + table.components[..., 1:] @ weights[1:])


def figures_of_scores(table: SetTable, scores: np.ndarray) -> dict[str, float]:
    """P@5, R@10 and nDCG@10 of any askers x candidates score matrix (disallowed pairs left out).

    The top 10 are those of a stable sort by score (ties by position), found without sorting every
    row: the candidates at or above each row's 10th best score, ordered by (score descending,
    position)."""
    scores = np.where(table.allowed, scores, -np.inf)
    tenth = -np.partition(-scores, CUTOFF - 1, axis=1)[:, CUTOFF - 1]
    rows, columns = np.nonzero(scores >= tenth[:, None])
    order = np.lexsort((columns, -scores[rows, columns], rows))
    rows, columns = rows[order], columns[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, np.arange(scores.shape[0]))[rows]
    kept = rank < CUTOFF
    hits = np.zeros((scores.shape[0], CUTOFF), dtype=bool)
    hits[rows[kept], rank[kept]] = (table.relevant & table.allowed)[rows[kept], columns[kept]]
    ideal = np.array([DISCOUNTS[:count].sum() for count in table.relevant_counts])
    total = np.maximum(table.relevant.sum(axis=1), 1)
    return {
        "precision@5": float(hits[:, :5].sum(axis=1).mean() / 5),
        "recall@10": float((hits.sum(axis=1) / total).mean()),
        "ndcg@10": float(((hits * DISCOUNTS).sum(axis=1) / np.maximum(ideal, 1e-12)).mean()),
    }


def grid() -> list[tuple[np.ndarray, float, float, float]]:
    points = []
    for text_weight, split, share, floor, hub in itertools.product(
        TEXT_WEIGHTS, OTHER_SPLITS, SHARES, FLOORS, HUB_CORRECTIONS
    ):
        weights = np.array([text_weight, *(part * (1 - text_weight) for part in split)])
        points.append((weights, share, floor, hub))
    return points


def describe(point: tuple[np.ndarray, float, float, float]) -> dict[str, object]:
    weights, share, floor, hub = point
    return {
        "weights": {name: round(float(value), 3) for name, value in zip(COMPONENTS, weights, strict=True)},
        "semantic_share": share,
        "semantic_floor": floor,
        "hub_correction": hub,
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", type=int, default=800, help="profiles of the generated set (seed 7)")
    parser.add_argument("--embeddings", type=Path, default=DEFAULT_EMBEDDINGS_FILE)
    parser.add_argument("--lexical", action="store_true", help="cross-validate the lexical engine only")
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args(argv)
    store = None if args.lexical else load_default_store(args.embeddings)[0]
    folder = Path(tempfile.mkdtemp(prefix="matching-cv-"))
    sets = {"generated": write(*generate(args.generate, 7), folder)}
    sets.update({name: (path / "profiles.jsonl", path / "pairs.csv") for name, path in SETS.items()})
    tables = [table_of(name, *paths, store) for name, paths in sets.items()]
    points = grid() if store else [p for p in grid() if p[1:] == (SHARES[0], FLOORS[0], HUB_CORRECTIONS[0])]
    scored = [[figures(table, *point) for table in tables] for point in points]
    report: dict[str, object] = {"semantic": store is not None, "held_out": {}}
    print(
        "| held-out set | chosen on | P@5 | R@10 | nDCG@10 | default weights nDCG@10 |\n|---|---|---|---|---|---|"
    )
    default = ComponentWeights(**default_policy("partner_search").weights.as_dict()).as_array()
    default_blend = TextBlend()
    for position, table in enumerate(tables):
        others = [i for i in range(len(tables)) if i != position]
        best = max(range(len(points)), key=lambda p: np.mean([scored[p][i]["ndcg@10"] for i in others]))
        held = scored[best][position]
        shipped = figures(
            table,
            default,
            default_blend.semantic_share,
            default_blend.semantic_floor,
            default_blend.hub_correction,
        )
        chosen_on = ", ".join(tables[i].name for i in others)
        print(
            f"| {table.name} | {chosen_on} | {held['precision@5']:.3f} | {held['recall@10']:.3f} |"
            f" {held['ndcg@10']:.3f} | {shipped['ndcg@10']:.3f} |"
        )
        report["held_out"][table.name] = {"chosen_on": chosen_on, **held, **describe(points[best])}
    overall = max(range(len(points)), key=lambda p: np.mean([s["ndcg@10"] for s in scored[p]]))
    report["best_on_all_sets"] = describe(points[overall])
    print(f"\nbest on all sets together: {json.dumps(describe(points[overall]))}")
    if args.json_path:
        args.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
