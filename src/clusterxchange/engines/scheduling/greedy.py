"""Constructive placement, ejection repair and break-reducing local search, without any solver.

This is what scales to trade-show sizes (tens of thousands of meetings): every participant's
agenda is a bitmask over slot positions, so "is p free at t" and "which meeting of p comes just
before t" are a few integer operations.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from .compiled import CompiledInstance
from .upper_bound import matching_bound


@dataclass
class AgendaState:
    """Mutable partial schedule: slot position per meeting (``-1`` when unplaced) and occupancy."""

    compiled: CompiledInstance
    slot: list[int]
    busy: list[int]
    free_table_use: list[int]
    count: list[int]
    day_mask: list[int]
    occupant: dict[tuple[int, int], int]

    @classmethod
    def empty(cls, compiled: CompiledInstance) -> AgendaState:
        day_mask = []
        for position in range(compiled.n_slots):
            day = compiled.day_of_slot[position]
            day_mask.append(sum(1 << t for t in range(compiled.n_slots) if compiled.day_of_slot[t] == day))
        return cls(
            compiled=compiled,
            slot=[-1] * compiled.n_meetings,
            busy=[0] * compiled.n_participants,
            free_table_use=[0] * compiled.n_slots,
            count=[0] * compiled.n_participants,
            day_mask=day_mask,
            occupant={},
        )

    def place(self, meeting: int, position: int) -> None:
        self.slot[meeting] = position
        for participant in self.compiled.pairs[meeting]:
            self.busy[participant] |= 1 << position
            self.count[participant] += 1
            self.occupant[participant, position] = meeting
        if self.compiled.needs_free_table[meeting]:
            self.free_table_use[position] += 1

    def remove(self, meeting: int) -> None:
        position = self.slot[meeting]
        self.slot[meeting] = -1
        for participant in self.compiled.pairs[meeting]:
            self.busy[participant] &= ~(1 << position)
            self.count[participant] -= 1
            del self.occupant[participant, position]
        if self.compiled.needs_free_table[meeting]:
            self.free_table_use[position] -= 1

    def participant_breaks(self, participant: int) -> int:
        mask = self.busy[participant]
        total = 0
        previous = -1
        while mask:
            low = mask & -mask
            position = low.bit_length() - 1
            if (
                previous >= 0
                and position > previous + 1
                and self.compiled.day_of_slot[position] == self.compiled.day_of_slot[previous]
            ):
                total += 1
            previous = position
            mask ^= low
        return total

    def total_breaks(self) -> int:
        return sum(self.participant_breaks(p) for p in range(self.compiled.n_participants))

    def break_delta(self, participant: int, position: int, mask: int | None = None) -> int:
        """Change in ``participant``'s breaks if it became busy at the free ``position``."""
        if mask is None:
            mask = self.busy[participant]
        same_day = mask & self.day_mask[position]
        below = same_day & ((1 << position) - 1)
        above = same_day >> (position + 1)
        has_below, has_above = below != 0, above != 0
        before = 1 if has_below and has_above else 0
        after = 0
        if has_below and below.bit_length() - 1 < position - 1:
            after += 1
        if has_above and (above & -above).bit_length() - 1 > 0:
            after += 1
        return after - before

    def can_place(self, meeting: int, position: int) -> bool:
        compiled = self.compiled
        a, b = compiled.pairs[meeting]
        bit = 1 << position
        if (self.busy[a] | self.busy[b]) & bit:
            return False
        if compiled.needs_free_table[meeting] and self.free_table_use[position] >= compiled.free_tables:
            return False
        for participant in (a, b):
            limit = compiled.max_meetings[participant]
            if limit is not None and self.count[participant] >= limit:
                return False
        return self._order_ok(meeting, position)

    def _order_ok(self, meeting: int, position: int) -> bool:
        compiled = self.compiled
        for before in compiled.predecessors[meeting]:
            if self.slot[before] >= position:
                return False
        return all(not (0 <= self.slot[after] <= position) for after in successors(compiled)[meeting])


def successors(compiled: CompiledInstance) -> list[list[int]]:
    if "successors" not in compiled.cache:
        result: list[list[int]] = [[] for _ in range(compiled.n_meetings)]
        for meeting, befores in enumerate(compiled.predecessors):
            for before in befores:
                result[before].append(meeting)
        compiled.cache["successors"] = result
    return compiled.cache["successors"]


def placement_order(compiled: CompiledInstance) -> list[int]:
    """Most important first; within a priority, meetings the optimal fractional b-matching uses
    (see ``upper_bound``), then the most constrained."""
    degree = [len(meetings) for meetings in compiled.meetings_of]
    meetings = compiled.instance.meetings
    if "usage" not in compiled.cache:
        compiled.cache["usage"] = matching_bound(compiled)[1]
    usage = compiled.cache["usage"]
    return sorted(
        range(compiled.n_meetings),
        key=lambda m: (
            not meetings[m].must_meet,
            -compiled.priorities[m],
            meetings[m].fixed_slot is None,
            -usage[m],
            len(compiled.allowed[m]),
            -max(degree[p] for p in compiled.pairs[m]),
            m,
        ),
    )


def best_position(state: AgendaState, meeting: int) -> int:
    a, b = state.compiled.pairs[meeting]
    best, best_score = -1, None
    for position in state.compiled.allowed[meeting]:
        if not state.can_place(meeting, position):
            continue
        score = state.break_delta(a, position) + state.break_delta(b, position)
        if best_score is None or score < best_score:
            best, best_score = position, score
            if score < 0:
                break
    return best


def construct(
    compiled: CompiledInstance, initial: list[int] | None = None, until: float = math.inf
) -> AgendaState:
    """Greedy placement; ``initial`` positions (e.g. a published schedule) are kept where valid.
    At the monotonic time ``until`` it stops placing: what is placed is still a valid agenda."""
    state = AgendaState.empty(compiled)
    order = placement_order(compiled)
    if initial is not None:
        for meeting in order:
            position = initial[meeting]
            if position >= 0 and position in compiled.allowed[meeting] and state.can_place(meeting, position):
                state.place(meeting, position)
    for count, meeting in enumerate(order):
        if count % 256 == 0 and time.monotonic() >= until:
            break
        if state.slot[meeting] < 0:
            position = best_position(state, meeting)
            if position >= 0:
                state.place(meeting, position)
    return state


def repair(state: AgendaState, deadline: float, movable: list[bool] | None = None, depth: int = 2) -> int:
    """Insert unplaced meetings through ejection chains; return how many got in.

    A meeting that fits nowhere takes a slot where exactly one other meeting blocks it, and that
    meeting is re-placed the same way, up to ``depth`` moves deep.
    """
    compiled = state.compiled
    inserted = 0
    for meeting in placement_order(compiled):
        if time.monotonic() > deadline:
            break
        if state.slot[meeting] >= 0 or not compiled.allowed[meeting] or _at_limit(state, meeting):
            continue
        if _insert(state, meeting, depth, {meeting}, movable):
            inserted += 1
    return inserted


def _at_limit(state: AgendaState, meeting: int) -> bool:
    compiled = state.compiled
    for participant in compiled.pairs[meeting]:
        limit = compiled.max_meetings[participant]
        if limit is not None and state.count[participant] >= limit:
            return True
    return False


def _insert(
    state: AgendaState, meeting: int, depth: int, chain: set[int], movable: list[bool] | None
) -> bool:
    position = best_position(state, meeting)
    if position >= 0:
        state.place(meeting, position)
        return True
    if depth == 0:
        return False
    compiled = state.compiled
    a, b = compiled.pairs[meeting]
    for position in compiled.allowed[meeting]:
        blockers = set(_meetings_at(state, a, position) + _meetings_at(state, b, position))
        if len(blockers) != 1:
            continue
        blocker = blockers.pop()
        if blocker in chain or compiled.instance.meetings[blocker].fixed_slot is not None:
            continue
        if movable is not None and not movable[blocker]:
            continue
        state.remove(blocker)
        if state.can_place(meeting, position):
            state.place(meeting, position)
            chain.add(blocker)
            if _insert(state, blocker, depth - 1, chain, movable):
                return True
            chain.discard(blocker)
            state.remove(meeting)
        state.place(blocker, position)
    return False


def _meetings_at(state: AgendaState, participant: int, position: int) -> list[int]:
    meeting = state.occupant.get((participant, position))
    return [] if meeting is None else [meeting]


def improve_breaks(state: AgendaState, deadline: float, movable: list[bool] | None = None) -> int:
    """Move single meetings to slots that lower their two participants' breaks; return the gain."""
    compiled = state.compiled
    gain = 0
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for meeting in range(compiled.n_meetings):
            current = state.slot[meeting]
            if current < 0 or compiled.instance.meetings[meeting].fixed_slot is not None:
                continue
            if movable is not None and not movable[meeting]:
                continue
            a, b = compiled.pairs[meeting]
            state.remove(meeting)
            stay = state.break_delta(a, current) + state.break_delta(b, current)
            best, best_value = current, stay
            for position in compiled.allowed[meeting]:
                if position == current or not state.can_place(meeting, position):
                    continue
                value = state.break_delta(a, position) + state.break_delta(b, position)
                if value < best_value:
                    best, best_value = position, value
            state.place(meeting, best)
            if best != current:
                gain += stay - best_value
                improved = True
            if time.monotonic() > deadline:
                break
    return gain
