"""Hall's condition by bipartite matching: polynomial proofs that meetings cannot all get a slot.

If the meetings of one participant cannot be matched to distinct allowed slots, or the meetings
of the whole event cannot be spread over the slots with at most ``capacity`` per slot, no
schedule exists.  Besides the yes/no answer, a failed matching yields a *Hall violator*: a set of
meetings whose allowed slots together are too few for them (the meetings reachable from an
unmatched one by alternating paths).  That set is what the organiser needs to read, and it is a
certificate: anyone can check that those meetings only have those slots.

A SAT solver given the same question as clauses faces a pigeonhole formula, which clause
learning cannot refute in reasonable time (the cause of the unanswered runs of issue #21).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow


@dataclass(frozen=True)
class HallViolator:
    """``items`` (indices into the list given) can only use ``slots``, and too few of them."""

    items: tuple[int, ...]
    slots: tuple[int, ...]
    capacity: int


def unit_matching_violator(domains: Sequence[Sequence[int]]) -> HallViolator | None:
    """Match every item to a distinct slot of its domain; ``None`` if possible, else a violator.

    Augmenting paths (Kuhn's algorithm): a participant has at most a few dozen meetings.
    """
    holder: dict[int, int] = {}

    def augment(item: int, seen: set[int]) -> bool:
        for slot in domains[item]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in holder or augment(holder[slot], seen):
                holder[slot] = item
                return True
        return False

    for item in range(len(domains)):
        if not augment(item, set()):
            reached_items, reached_slots = _alternating_reach(item, domains, holder)
            return HallViolator(tuple(sorted(reached_items)), tuple(sorted(reached_slots)), 1)
    return None


def _alternating_reach(
    start: int, domains: Sequence[Sequence[int]], holder: dict[int, int]
) -> tuple[set[int], set[int]]:
    items, slots = {start}, set()
    frontier = [start]
    while frontier:
        item = frontier.pop()
        for slot in domains[item]:
            if slot not in slots:
                slots.add(slot)
                other = holder[slot]  # every slot reached from an unmatched item is taken
                if other not in items:
                    items.add(other)
                    frontier.append(other)
    return items, slots


def capacity_violator(domains: Sequence[Sequence[int]], n_slots: int, capacity: int) -> HallViolator | None:
    """Spread the items over slots, at most ``capacity`` per slot (a maximum flow); ``None`` if
    every item fits, else the items reachable from the source in the residual graph and their
    slots (the minimum cut), which hold fewer places than there are items."""
    n_items = len(domains)
    if n_items == 0:
        return None
    if capacity <= 0:
        return HallViolator(tuple(range(n_items)), (), 0)
    source, sink = n_items + n_slots, n_items + n_slots + 1
    rows = [source] * n_items + [n_items + t for t in range(n_slots)]
    cols = list(range(n_items)) + [sink] * n_slots
    caps = [1] * n_items + [capacity] * n_slots
    for item, domain in enumerate(domains):
        rows += [item] * len(domain)
        cols += [n_items + t for t in domain]
        caps += [1] * len(domain)
    size = n_items + n_slots + 2
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(size, size))
    graph.sum_duplicates()
    result = maximum_flow(graph, source, sink)
    if result.flow_value >= n_items:
        return None
    residual = (graph - result.flow).tocsr()
    residual.data = np.where(residual.data > 0, 1, 0).astype(np.int32)
    residual.eliminate_zeros()
    reached = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    items = tuple(sorted(int(v) for v in reached if v < n_items))
    slots = tuple(sorted(int(v) - n_items for v in reached if n_items <= v < n_items + n_slots))
    return HallViolator(items, slots, capacity)
