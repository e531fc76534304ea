"""An upper bound on how many meetings any schedule can place (oversubscribed mode).

Each participant p can attend at most ``cap(p) = min(max_meetings, slots where p can meet)``
meetings, so the placed meetings form a b-matching.  The fractional b-matching optimum is
computed exactly as half a maximum flow on the bipartite double cover (every participant on
both sides, every meeting as two arcs); it is then capped by the table capacity, per group of
meetings sharing the same slot domain and in total.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from .compiled import CompiledInstance


def participant_capacity(compiled: CompiledInstance) -> list[int]:
    capacity = []
    for participant, meetings in enumerate(compiled.meetings_of):
        usable = set().union(*(compiled.allowed[m] for m in meetings)) if meetings else set()
        limit = compiled.max_meetings[participant]
        capacity.append(min(len(usable), len(meetings), limit if limit is not None else len(meetings)))
    return capacity


def placed_upper_bound(compiled: CompiledInstance) -> int:
    return matching_bound(compiled)[0]


def matching_bound(compiled: CompiledInstance) -> tuple[int, list[int]]:
    """The upper bound, and per meeting how much of it the optimal fractional b-matching uses
    (0, 1 or 2 half-units): a good hint for which meetings a full schedule should contain.
    Computed once per compiled instance (the greedy order and the bound both need it)."""
    if "matching_bound" not in compiled.cache:
        compiled.cache["matching_bound"] = _matching_bound(compiled)
    return compiled.cache["matching_bound"]


def _matching_bound(compiled: CompiledInstance) -> tuple[int, list[int]]:
    meetings = [m for m in range(compiled.n_meetings) if compiled.allowed[m]]
    usage = [0] * compiled.n_meetings
    if not meetings:
        return 0, usage
    n = compiled.n_participants
    source, sink = 2 * n, 2 * n + 1
    rows: list[int] = []
    cols: list[int] = []
    caps: list[int] = []
    for participant, capacity in enumerate(participant_capacity(compiled)):
        rows += [source, n + participant]
        cols += [participant, sink]
        caps += [capacity, capacity]
    for meeting in meetings:
        a, b = compiled.pairs[meeting]
        rows += [a, b]
        cols += [n + b, n + a]
        caps += [1, 1]
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(2 * n + 2, 2 * n + 2))
    graph.sum_duplicates()
    result = maximum_flow(graph, source, sink)
    flow = result.flow_value
    arcs = result.flow.tocsr()
    firsts = np.array([compiled.pairs[m][0] for m in meetings])
    seconds = np.array([compiled.pairs[m][1] for m in meetings])
    forward = np.asarray(arcs[firsts, n + seconds] > 0).ravel()
    backward = np.asarray(arcs[seconds, n + firsts] > 0).ravel()
    for meeting, used in zip(meetings, (forward.astype(int) + backward.astype(int)).tolist(), strict=True):
        usage[meeting] = used
    bound = min(flow // 2, len(meetings), compiled.capacity_per_slot() * compiled.n_slots)
    by_domain: dict[frozenset[int], int] = defaultdict(int)
    for meeting in meetings:
        by_domain[frozenset(compiled.allowed[meeting])] += 1
    excess = sum(
        max(0, count - len(domain) * compiled.capacity_per_slot()) for domain, count in by_domain.items()
    )
    shared = sum(1 for m in meetings if compiled.needs_free_table[m])
    excess_shared = max(0, shared - compiled.free_tables * compiled.n_slots)
    return int(min(bound, len(meetings) - max(excess, excess_shared))), usage
