"""A polynomial lower bound on one participant's breaks: runs of usable slots.

The slots a participant's meetings can take (the union of their allowed slots) fall, on each
day, into *runs* of consecutive slots, separated by slots none of its meetings can take (its own
forbidden slots, its partners', session restrictions, slots taken by fixed meetings).  Between
two runs used on the same day lies idle time, so a participant whose meetings occupy k runs on
a day has at least k - 1 breaks that day.  Its meetings must fit into the runs it uses, so it
needs at least as many runs as it takes to hold them; on each day the longest run costs no
break, each further run costs one.  A run is *forced* if the meetings cannot be matched to
distinct slots without it (Hall's condition by matching, ``hall``): it is used by every
schedule, whatever its length.

On the forbidden-slot variants of issue #21 this is the whole reason: a participant with 15
meetings whose usable slots form runs of 2, 4, 7, 2 and 2 slots on one day needs four runs,
hence three breaks, more than a fairness bound of 2 allows.  A SAT solver must prove the same by
refuting every placement, a pigeonhole argument: the per-participant bound calls spent their
whole share (1.7-7.5 s) without it, and the race needed another 4-9 s; here it takes a few
matchings (under 0.05 s for the whole event).
"""

from __future__ import annotations

from dataclasses import dataclass

from .compiled import CompiledInstance
from .deadline import Deadline
from .hall import unit_matching_violator


@dataclass(frozen=True)
class RunBound:
    """``breaks`` is proven: the meetings need at least ``needed`` of the ``runs`` (slot indices
    in time order), ``forced`` of which cannot be left out."""

    breaks: int
    runs: tuple[tuple[int, ...], ...] = ()
    needed: int = 0
    forced: tuple[int, ...] = ()


NO_BOUND = RunBound(0)


def slot_runs(compiled: CompiledInstance, slots: set[int]) -> list[tuple[int, ...]]:
    """``slots`` (indices) split into maximal runs of consecutive slots of one day."""
    runs: list[list[int]] = []
    day = compiled.day_of_slot
    for slot in sorted(slots):
        if runs and runs[-1][-1] == slot - 1 and day[slot] == day[slot - 1]:
            runs[-1].append(slot)
        else:
            runs.append([slot])
    return [tuple(run) for run in runs]


def run_break_bound(compiled: CompiledInstance, participant: int) -> RunBound:
    """The fewest breaks the runs of the participant's usable slots allow (a lower bound)."""
    meetings = compiled.meetings_of[participant]
    domains = [compiled.allowed[m] for m in meetings]
    if len(meetings) < 2 or any(not domain for domain in domains):
        return NO_BOUND
    runs = slot_runs(compiled, {t for domain in domains for t in domain})
    if len(runs) < 2:
        return NO_BOUND
    forced = []
    for number, run in enumerate(runs):
        outside = set(run)
        if (
            unit_matching_violator([[t for t in domain if t not in outside] for domain in domains])
            is not None
        ):
            forced.append(number)
    day = compiled.day_of_slot
    chosen: dict[int, list[int]] = {}
    for number in forced:
        chosen.setdefault(day[runs[number][0]], []).append(number)
    breaks = sum(len(numbers) - 1 for numbers in chosen.values())
    capacity = sum(len(runs[number]) for number in forced)
    rest = [number for number in range(len(runs)) if number not in forced]
    for number in sorted(rest, key=lambda n: -len(runs[n])):
        if day[runs[number][0]] not in chosen:  # the longest run of a day without a forced one
            chosen[day[runs[number][0]]] = [number]
            capacity += len(runs[number])
    used = {number for numbers in chosen.values() for number in numbers}
    needed = len(used)
    for number in sorted((n for n in rest if n not in used), key=lambda n: -len(runs[n])):
        if capacity >= len(meetings):
            break
        capacity += len(runs[number])
        breaks += 1
        needed += 1
    if breaks == 0:
        return NO_BOUND
    return RunBound(breaks, tuple(runs), needed, tuple(forced))


def run_break_bounds(compiled: CompiledInstance, deadline: Deadline | None = None) -> list[RunBound]:
    """Every participant's :func:`run_break_bound` (a few matchings each)."""
    bounds = []
    for participant in range(compiled.n_participants):
        if deadline is not None and participant % 256 == 0:
            deadline.check("the feasibility checks")
        bounds.append(run_break_bound(compiled, participant))
    return bounds
