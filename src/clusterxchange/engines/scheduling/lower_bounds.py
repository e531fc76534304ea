"""Per-participant lower bounds on breaks.

Each participant alone must fit its meetings into distinct slots that both sides can attend;
the fewest breaks that allows is a valid lower bound for that participant, and their sum is a
valid lower bound for the whole event.  Forbidden slots and session restrictions make these
bounds positive on real data, which lets the exact search start above zero instead of
refuting each smaller bound one by one.

Every SAT call here is bounded (a conflict budget per call, and the phase's share of the time
limit): when a budget runs out, the bound proven so far is kept, which is still valid.  The
calls only run after the Hall check of ``diagnosis`` has matched each participant's meetings to
distinct slots; without it, a participant whose meetings cannot all fit made the call a
pigeonhole formula that CaDiCaL did not refute in minutes (issue #21).

Each participant's bound starts at the polynomial runs bound of ``runs`` (the runs of consecutive
slots its meetings can take): the SAT questions below it are answered already, and a participant
not reached in time, or whose budget runs out, still keeps it.  On forbidden-slot and
fixed-meeting variants the SAT calls often cannot prove what the runs show at once (a pigeonhole
argument again).
"""

from __future__ import annotations

import math
import time

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from .compiled import CompiledInstance
from .deadline import solve_within
from .runs import run_break_bound

BOUND_CONFLICTS = 20_000
"""Conflicts allowed per question "at most k breaks for this participant?" (the real instances
need a few hundred at most)."""


def fits_without_break(compiled: CompiledInstance, participant: int) -> bool:
    """Whether the participant's meetings can fill some run of consecutive slots of one day
    (a perfect matching of meetings to the slots of a window).  If so its own bound is 0; on a
    one-day event this is also the only way to have no break.  Much cheaper than the SAT
    question, and the answer for most participants."""
    meetings = compiled.meetings_of[participant]
    size = len(meetings)
    day = compiled.day_of_slot
    allowed = [set(compiled.allowed[m]) for m in meetings]
    for start in range(compiled.n_slots - size + 1):
        if day[start] != day[start + size - 1]:
            continue
        window = range(start, start + size)
        holder: dict[int, int] = {}

        def augment(
            meeting: int, seen: set[int], window: range = window, holder: dict[int, int] = holder
        ) -> bool:
            for slot in window:
                if slot in allowed[meeting] and slot not in seen:
                    seen.add(slot)
                    if slot not in holder or augment(holder[slot], seen):
                        holder[slot] = meeting
                        return True
            return False

        if all(augment(meeting, set()) for meeting in range(size)):
            return True
    return False


def participant_break_bound(
    compiled: CompiledInstance,
    participant: int,
    until: float = math.inf,
    conflicts: int = BOUND_CONFLICTS,
    floor: int = 0,
) -> int:
    """The participant's fewest possible breaks, or the bound proven before a budget ran out.

    ``floor`` is a bound already proven (the runs bound): the questions start there, and it is
    the answer when no SAT call proves more."""
    meetings = compiled.meetings_of[participant]
    if len(meetings) < 2:
        return 0
    if floor == 0 and fits_without_break(compiled, participant):
        return 0
    # Within one day, no break means one window of consecutive slots: the window test has
    # just refuted it, so the SAT questions start at 1 (asking for 0 could exhaust the budget:
    # participant 34 of forum-14, 9 meetings, took over 20,000 conflicts to be refused a
    # window, and its bound stayed 0).
    one_day = len({compiled.day_of_slot[t] for m in meetings for t in compiled.allowed[m]}) == 1
    proven = max(floor, 1 if one_day else 0)
    pool = IDPool()
    clauses: list[list[int]] = []
    busy: dict[int, list[int]] = {}
    for meeting in meetings:
        literals = [pool.id((meeting, t)) for t in compiled.allowed[meeting]]
        if not literals:
            return proven
        clauses += CardEnc.equals(literals, 1, vpool=pool, encoding=EncType.pairwise).clauses
        for t, literal in zip(compiled.allowed[meeting], literals, strict=True):
            busy.setdefault(t, []).append(literal)
    used = []
    for t in range(compiled.n_slots):
        literal = pool.id(("used", t))
        used.append(literal)
        here = busy.get(t, [])
        clauses.append([-literal, *here])
        clauses += [[-lit, literal] for lit in here]
        clauses += CardEnc.atmost(here, 1, vpool=pool, encoding=EncType.pairwise).clauses
    day = compiled.day_of_slot
    later = [0] * compiled.n_slots
    for t in reversed(range(compiled.n_slots)):
        later[t] = pool.id(("later", t))
        clauses.append([-used[t], later[t]])
        if t + 1 < compiled.n_slots and day[t + 1] == day[t]:
            clauses += [[-later[t + 1], later[t]], [-later[t], used[t], later[t + 1]]]
        else:
            clauses.append([-later[t], used[t]])
    gaps = []
    for t in range(1, compiled.n_slots - 1):
        if day[t - 1] == day[t] == day[t + 1]:
            gap = pool.id(("gap", t))
            clauses += [[-used[t - 1], used[t], -later[t + 1], gap]]
            gaps.append(gap)
    if not gaps:
        return proven
    totalizer = ITotalizer(lits=gaps, ubound=len(gaps), top_id=pool.top)
    with Solver(name="cadical195", bootstrap_with=clauses + totalizer.cnf.clauses) as solver:
        for bound in range(proven, len(gaps)):
            outcome = solve_within(solver, until, [-totalizer.rhs[bound]], conflicts)
            if outcome is None or outcome:
                return bound
    return proven


def participant_bounds(compiled: CompiledInstance, until: float) -> list[int]:
    """Every participant's own bound: first the runs bound of each (polynomial), then the SAT
    questions above it; a participant not reached by ``until`` keeps its runs bound, or the
    trivial 0 if even that was not reached."""
    bounds = [0] * compiled.n_participants
    for participant in range(compiled.n_participants):
        if time.monotonic() >= until:
            return bounds
        bounds[participant] = run_break_bound(compiled, participant).breaks
    for participant in range(compiled.n_participants):
        if time.monotonic() >= until:
            break
        bounds[participant] = participant_break_bound(compiled, participant, until, floor=bounds[participant])
    return bounds
