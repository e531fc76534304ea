"""CNF encoding of B2BSOP (all meetings placed, breaks counted, fairness bound) for python-sat.

Variables: ``x[m, t]`` meeting m at slot position t; ``y[p, t]`` participant p busy at t
(``busy_of``);
``later[p, t]`` p has a meeting at t or later on the same day; ``gap[p, t]`` a break of p starts
at t (busy at t-1, idle at t, busy again later that day).  The objective is the number of true
``gap`` literals, bounded through a totalizer so that "at most K breaks" is one assumption.
Capacity uses clusters of meetings that share a participant (at most one of them per slot), as
in Bofill et al.'s improved encoding, which shrinks the cardinality constraints considerably.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool

from .compiled import CompiledInstance
from .deadline import Deadline


@dataclass
class BreakEncoding:
    clauses: list[list[int]]
    placement_literals: dict[tuple[int, int], int]
    gap_literals: list[int]
    meeting_selectors: list[int]
    fairness_selector: int
    gaps_of: list[list[int]]
    busy_of: list[list[int]]
    top: int = 0

    def at_least_per_participant(self, bounds: list[int]) -> list[list[int]]:
        """Clauses stating each participant's own lower bound on breaks (implied, but it
        spares the solver from rediscovering them in every refutation)."""
        pool = IDPool(start_from=self.top + 1)
        clauses: list[list[int]] = []
        for gaps, bound in zip(self.gaps_of, bounds, strict=True):
            if bound > 0:
                clauses += CardEnc.atleast(gaps, bound, vpool=pool, encoding=EncType.seqcounter).clauses
        self.top = max(self.top, pool.top)
        return clauses

    def break_counter(self, ceiling: int) -> tuple[list[list[int]], list[int]]:
        """Clauses of a totalizer over the gap literals and its outputs ``[>=1, >=2, ...]``.

        Each search process adds its own counter sized to what it needs: a counter reaching
        far above the optimum costs much more propagation than it is worth.
        """
        if not self.gap_literals:
            return [], []
        totalizer = ITotalizer(
            lits=self.gap_literals, ubound=min(ceiling, len(self.gap_literals)), top_id=self.top
        )
        self.top = totalizer.top_id
        return totalizer.cnf.clauses, list(totalizer.rhs)

    def decode(self, model: list[int], n_meetings: int) -> list[int]:
        true = {literal for literal in model if literal > 0}
        positions = [-1] * n_meetings
        for (meeting, position), literal in self.placement_literals.items():
            if literal in true:
                positions[meeting] = position
        return positions


LARGE_COUNTER = 200_000
"""Above this many (literals x bound), a sequential counter is replaced by a cardinality network
(O(n log^2 n) clauses instead of O(n k)), so that large events stay within memory."""


def _meeting_clusters(compiled: CompiledInstance, check: Callable[[], None]) -> list[list[int]]:
    """Greedy partition of meetings into groups sharing a participant (largest group first)."""
    remaining = set(range(compiled.n_meetings))
    clusters = []
    while remaining:
        check()
        best = max((remaining.intersection(meetings) for meetings in compiled.meetings_of), key=len)
        if not best:
            best = {min(remaining)}
        clusters.append(sorted(best))
        remaining -= best
    return clusters


def _cardinality(literals: list[int], bound: int, pool: IDPool) -> list[list[int]]:
    """ "At most ``bound`` of ``literals``": pairwise when tiny, a sequential counter, or a
    cardinality network when the counter would exceed ``LARGE_COUNTER``."""
    if len(literals) <= bound:
        return []
    if bound == 1 and len(literals) <= 6:
        encoding = EncType.pairwise
    elif len(literals) * bound <= LARGE_COUNTER:
        encoding = EncType.seqcounter
    else:
        encoding = EncType.cardnetwrk
    return CardEnc.atmost(literals, bound, vpool=pool, encoding=encoding).clauses


def encode(
    compiled: CompiledInstance, fairness: int | None, deadline: Deadline | None = None
) -> BreakEncoding:
    """The CNF; raises ``TimeLimitReached`` if ``deadline`` passes while it is being built."""

    def check() -> None:
        if deadline is not None:
            deadline.check("the SAT encoding")

    pool = IDPool()
    clauses: list[list[int]] = []
    n_slots = compiled.n_slots
    x: dict[tuple[int, int], int] = {}
    selectors = []
    for meeting, positions in enumerate(compiled.allowed):
        if meeting % 128 == 0:
            check()
        literals = [pool.id(("x", meeting, t)) for t in positions]
        for position, literal in zip(positions, literals, strict=True):
            x[meeting, position] = literal
        selector = pool.id(("select", meeting))
        selectors.append(selector)
        clauses.append([-selector, *literals])
        clauses += _cardinality(literals, 1, pool)

    clusters = _meeting_clusters(compiled, check)
    check()
    for position in range(n_slots):
        check()
        active = []
        for number, cluster in enumerate(clusters):
            literals = [x[m, position] for m in cluster if (m, position) in x]
            if len(literals) == 1:
                active.append(literals[0])
            elif literals:
                literal = pool.id(("cluster", number, position))
                clauses += [[-lit, literal] for lit in literals]
                active.append(literal)
        clauses += _cardinality(active, compiled.capacity_per_slot(), pool)
        if compiled.free_tables < compiled.capacity_per_slot():
            # Without owned tables every table is shared and the count above implies this one.
            free_users = [
                x[m, position]
                for m in range(compiled.n_meetings)
                if compiled.needs_free_table[m] and (m, position) in x
            ]
            clauses += _cardinality(free_users, compiled.free_tables, pool)

    _precedences(compiled, x, pool, clauses)

    gaps_of: list[list[int]] = []
    busy_of: list[list[int]] = []
    for participant, meetings in enumerate(compiled.meetings_of):
        check()  # a participant's cardinalities can take a noticeable share of a small time limit
        busy = []
        for position in range(n_slots):
            literals = [x[m, position] for m in meetings if (m, position) in x]
            literal = pool.id(("y", participant, position))
            busy.append(literal)
            clauses.append([-literal, *literals])
            clauses += [[-lit, literal] for lit in literals]
            clauses += _cardinality(literals, 1, pool)
        gaps_of.append(_gap_literals(compiled, participant, busy, pool, clauses) if len(meetings) > 1 else [])
        busy_of.append(busy)
    check()
    _implied_counts(compiled, busy_of, selectors, pool, clauses, check)
    check()

    gap_literals = [literal for gaps in gaps_of for literal in gaps]
    fairness_selector = pool.id(("fairness",))
    if fairness is not None:
        _fairness(compiled, gaps_of, fairness, fairness_selector, pool, clauses)
    encoding = BreakEncoding(
        clauses=clauses,
        placement_literals=x,
        gap_literals=gap_literals,
        meeting_selectors=selectors,
        fairness_selector=fairness_selector,
        gaps_of=gaps_of,
        busy_of=busy_of,
    )
    encoding.top = pool.top
    return encoding


def _implied_counts(
    compiled: CompiledInstance,
    busy_of: list[list[int]],
    selectors: list[int],
    pool: IDPool,
    clauses: list[list[int]],
    check: Callable[[], None],
) -> None:
    """Two implied counts over the busy literals ``y[p, t]``.

    Bofill et al. credit their MaxSAT model's lead to implied constraints; these are the two
    that the busy view suggests. A participant with n meetings is busy in exactly n slots (at
    most n always; at least n once all its meetings are placed, hence the guard on their
    selectors), and at most two participants per meeting are busy in a slot (twice the tables).

    Both follow from the other clauses, but only through pigeonhole arguments, which clause
    learning cannot shorten: without them, refuting "no schedule with at most 0 breaks" on
    tic-13crafc did not end within 60 s with CaDiCaL, kissat or UWrMaxSat; with them it takes
    about a second.
    """
    in_slot: list[list[int]] = [[] for _ in range(compiled.n_slots)]
    for meetings, busy in zip(compiled.meetings_of, busy_of, strict=True):
        if not meetings:
            continue
        check()
        positions = sorted({t for m in meetings for t in compiled.allowed[m]})
        possible = [busy[t] for t in positions]
        for t in positions:
            in_slot[t].append(busy[t])
        clauses += _cardinality(possible, len(meetings), pool)
        guard = [-selectors[m] for m in meetings]
        for clause in CardEnc.atleast(
            possible, len(meetings), vpool=pool, encoding=EncType.seqcounter
        ).clauses:
            clauses.append([*guard, *clause])
    per_slot = 2 * compiled.capacity_per_slot()
    for busy in in_slot:
        check()
        clauses += _cardinality(busy, per_slot, pool)


def _precedences(
    compiled: CompiledInstance, x: dict[tuple[int, int], int], pool: IDPool, clauses: list[list[int]]
) -> None:
    """``x[m, t]`` implies every predecessor is placed strictly before t (prefix literals)."""
    needed = {before for befores in compiled.predecessors for before in befores}
    done_by: dict[tuple[int, int], int] = {}
    for meeting in needed:
        previous = None
        for position in range(compiled.n_slots):
            literal = pool.id(("done", meeting, position))
            done_by[meeting, position] = literal
            own = x.get((meeting, position))
            parts = [own] if own else []
            if previous is not None:
                parts.append(previous)
                clauses.append([-previous, literal])
            if own:
                clauses.append([-own, literal])
            clauses.append([-literal, *parts])
            previous = literal
    for meeting, befores in enumerate(compiled.predecessors):
        for before in befores:
            for position in compiled.allowed[meeting]:
                if position == 0:
                    clauses.append([-x[meeting, position]])
                else:
                    clauses.append([-x[meeting, position], done_by[before, position - 1]])


def _gap_literals(
    compiled: CompiledInstance, participant: int, busy: list[int], pool: IDPool, clauses: list[list[int]]
) -> list[int]:
    n_slots = compiled.n_slots
    day = compiled.day_of_slot
    later = [0] * n_slots
    for position in reversed(range(n_slots)):
        literal = pool.id(("later", participant, position))
        later[position] = literal
        clauses.append([-busy[position], literal])
        if position + 1 < n_slots and day[position + 1] == day[position]:
            nxt = later[position + 1]
            clauses += [[-nxt, literal], [-literal, busy[position], nxt]]
        else:
            clauses.append([-literal, busy[position]])
    gaps = []
    for position in range(1, n_slots - 1):
        if day[position - 1] != day[position] or day[position + 1] != day[position]:
            continue
        gap = pool.id(("gap", participant, position))
        before, here, after = busy[position - 1], busy[position], later[position + 1]
        clauses += [[-gap, before], [-gap, -here], [-gap, after], [-before, here, -after, gap]]
        gaps.append(gap)
    return gaps


def _fairness(
    compiled: CompiledInstance,
    gaps_of: list[list[int]],
    fairness: int,
    selector: int,
    pool: IDPool,
    clauses: list[list[int]],
) -> None:
    """Break counts of participants with meetings differ by at most ``fairness``.

    A participant with a single meeting always has zero breaks, which pins the minimum to zero:
    then the rule is simply "at most ``fairness`` breaks each".  Otherwise a unary lower level
    ``low >= v`` is introduced and every count must lie in ``[low, low + fairness]``.
    """
    counted = [p for p, meetings in enumerate(compiled.meetings_of) if meetings]
    if any(len(compiled.meetings_of[p]) == 1 for p in counted):
        for participant in counted:
            for clause in _cardinality(gaps_of[participant], fairness, pool):
                clauses.append([-selector, *clause])
        return
    most = min((len(gaps_of[p]) for p in counted), default=0)
    levels = [pool.id(("low", v)) for v in range(1, most + 1)]
    for low, higher in itertools.pairwise(levels):
        clauses.append([-higher, low])
    for participant in counted:
        gaps = gaps_of[participant]
        if not gaps:
            if levels:
                clauses.append([-selector, -levels[0]])
            continue
        totalizer = ITotalizer(lits=gaps, ubound=len(gaps), top_id=pool.top)
        pool.top = totalizer.top_id
        clauses += totalizer.cnf.clauses
        at_least = totalizer.rhs
        for value, low in enumerate(levels, start=1):
            if value > len(gaps):
                clauses.append([-selector, -low])
                continue
            # The totalizer only pushes counts upwards, so "low >= v implies at least v breaks"
            # needs its own (guarded) at-least constraint.
            for clause in CardEnc.atleast(gaps, value, vpool=pool, encoding=EncType.seqcounter).clauses:
                clauses.append([-selector, -low, *clause])
        for value in range(fairness + 1, len(gaps) + 1):
            level = value - fairness
            if level <= len(levels):
                clauses.append([-selector, -at_least[value - 1], levels[level - 1]])
            else:
                clauses.append([-selector, -at_least[value - 1]])
