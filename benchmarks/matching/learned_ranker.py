"""A learned ranker over the engine's components, measured with leave-one-set-out cross-validation.

    python -m benchmarks.matching.learned_ranker

For each labelled set, a model of "good partner" is fitted on every allowed (asker, candidate) row
of the two OTHER sets (each set weighing the same) and ranks the held-out set; nothing is chosen on
the set reported (the models' own settings are scikit-learn's defaults, fixed before any run).
Features: the six components (text relevance lexical), the relative semantic score at every hub
correction, the semantic score above the floors of the grid, products of semantic and lexical
text relevance, and per asker the reciprocal rank of the candidate by semantic and by lexical
score. Measured for issue 22, "Ideas measured and dropped" in docs/matching.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from clusterxchange.engines.matching.semantic import load_default_store

from . import crossvalidate as cv
from . import semantic_variants as sv
from .evaluate import DEFAULT_EMBEDDINGS_FILE


def reciprocal_rank(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    masked = np.where(allowed, scores, -np.inf)
    order = np.argsort(-masked, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(scores.shape[1])[None, :].repeat(scores.shape[0], 0), axis=1)
    return 1.0 / (ranks + 1)


def features(d: sv.SetData, semantic: dict[float, np.ndarray]) -> np.ndarray:
    """askers x candidates x features."""
    lexical = d.components[..., 0]
    columns = [d.components[..., i] for i in range(d.components.shape[-1])]
    for hub in cv.HUB_CORRECTIONS:
        columns.append(semantic[hub])
    shipped = semantic[0.75]
    for floor in cv.FLOORS[1:]:
        columns.append(np.clip((shipped - floor) / (1 - floor), 0, 1))
    columns += [shipped * lexical, shipped**2]
    columns += [reciprocal_rank(shipped, d.allowed), reciprocal_rank(lexical, d.allowed)]
    return np.stack(columns, axis=-1)


MODELS = {
    "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "boosted trees": lambda: HistGradientBoostingClassifier(random_state=0),
}


def figures_of_scores(d: sv.SetData, scores: np.ndarray) -> dict[str, float]:
    table = cv.SetTable(d.name, d.components, {}, d.allowed, d.relevant, d.relevant_counts)
    return cv.figures_of_scores(table, scores)


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embeddings", type=Path, default=DEFAULT_EMBEDDINGS_FILE)
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args(argv)
    store, status = load_default_store(args.embeddings)
    if store is None:
        parser.error(status.message)
    data = sv.build(store, Path(tempfile.mkdtemp(prefix="matching-ranker-")))
    semantic = [sv.base(d) for d in data]
    x = [features(d, s) for d, s in zip(data, semantic, strict=True)]
    report: dict[str, object] = {}
    for name, make in MODELS.items():
        started = time.time()
        report[name] = {}
        for held, d in enumerate(data):
            rows, labels, weights = [], [], []
            for other, o in enumerate(data):
                if other == held:
                    continue
                mask = o.allowed
                rows.append(x[other][mask])
                labels.append(o.relevant[mask])
                weights.append(np.full(int(mask.sum()), 1.0 / mask.sum()))
            weight = np.concatenate(weights)
            label = np.concatenate(labels)
            # balance the classes within the equal-weighted sets
            weight = np.where(label, weight / weight[label].sum(), weight / weight[~label].sum())
            model = make()
            fit_weights = {
                f"{model.steps[-1][0]}__sample_weight" if hasattr(model, "steps") else "sample_weight": weight
                * len(weight)
            }
            model.fit(np.concatenate(rows), label, **fit_weights)
            flat = x[held].reshape(-1, x[held].shape[-1])
            scores = model.predict_proba(flat)[:, 1].reshape(d.allowed.shape)
            result = figures_of_scores(d, np.round(scores, 9))
            report[name][d.name] = result
            print(
                f"{name:14s} held out {d.name:15s} nDCG@10 {result['ndcg@10']:.3f}  R@10 {result['recall@10']:.3f}"
                f"  P@5 {result['precision@5']:.3f}",
                flush=True,
            )
        print(f"  ({time.time() - started:.0f} s)")
    if args.json_path:
        args.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
