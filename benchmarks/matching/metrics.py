"""Ranking quality measures for one ranked list against a set of known good partners."""

from __future__ import annotations

import math
from collections.abc import Sequence


def precision_at(ranked: Sequence[str], relevant: set[str], cutoff: int) -> float:
    return sum(1 for item in ranked[:cutoff] if item in relevant) / cutoff


def recall_at(ranked: Sequence[str], relevant: set[str], cutoff: int) -> float:
    return sum(1 for item in ranked[:cutoff] if item in relevant) / len(relevant) if relevant else 0.0


def capped_recall_at(ranked: Sequence[str], relevant: set[str], cutoff: int) -> float:
    """Recall with the denominator capped at `cutoff`: the share of what a perfect list of `cutoff`
    items could hold. An extra figure beside the standard recall, never instead of it."""
    hits = sum(1 for item in ranked[:cutoff] if item in relevant)
    return hits / min(len(relevant), cutoff) if relevant else 0.0


def ndcg_at(ranked: Sequence[str], relevant: set[str], cutoff: int) -> float:
    """Binary-gain nDCG: DCG of the list over the DCG of a perfect list."""
    gain = sum(
        1 / math.log2(position + 2) for position, item in enumerate(ranked[:cutoff]) if item in relevant
    )
    ideal = sum(1 / math.log2(position + 2) for position in range(min(len(relevant), cutoff)))
    return gain / ideal if ideal else 0.0


def summarise(rankings: dict[str, Sequence[str]], truth: dict[str, set[str]]) -> dict[str, float]:
    """Mean precision@5, recall@10, capped recall@10 and nDCG@10 over the askers that have known partners."""
    askers = [asker for asker in rankings if truth.get(asker)]
    if not askers:
        return {"precision@5": 0.0, "recall@10": 0.0, "capped_recall@10": 0.0, "ndcg@10": 0.0, "queries": 0}
    count = len(askers)
    return {
        "precision@5": sum(precision_at(rankings[a], truth[a], 5) for a in askers) / count,
        "recall@10": sum(recall_at(rankings[a], truth[a], 10) for a in askers) / count,
        "capped_recall@10": sum(capped_recall_at(rankings[a], truth[a], 10) for a in askers) / count,
        "ndcg@10": sum(ndcg_at(rankings[a], truth[a], 10) for a in askers) / count,
        "queries": count,
    }
