"""Oversubscribed mode: more accepted requests than slots and tables allow.

Objective, in this order: must-meet meetings placed, priority-weighted meetings placed, then
fewest breaks.  Small events are solved with CP-SAT (greedy schedule as a hint, two phases);
large ones with the greedy construction, ejection repair and break-reducing local search of
``greedy``, which handle ~86,000 meetings in well under a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .compiled import CompiledInstance
from .cpsat_model import add_hint, build_model, positions_from
from .deadline import Deadline, TimeLimitReached
from .errors import Reason
from .greedy import AgendaState, construct, improve_breaks, repair, successors
from .model import Instance, Placement, Schedule
from .tables import assign_tables
from .upper_bound import placed_upper_bound
from .validation import compiled_and_checked

CPSAT_MAX_PLACEMENT_VARIABLES = 60_000
Progress = Callable[[int | None, int, float], None]


def meeting_weights(compiled: CompiledInstance) -> list[int]:
    """Priority weights where one must-meet meeting outweighs all ordinary ones together."""
    meetings = compiled.instance.meetings
    ordinary = sum(max(1, m.priority) for m in meetings if not m.must_meet) + 1
    return [max(1, m.priority) + (ordinary if m.must_meet else 0) for m in meetings]


def solve_oversubscribed(
    instance: Instance,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    workers: int = 2,
    deadline: Deadline | None = None,
) -> Schedule:
    """Most important meetings first.  Every phase keeps ``deadline`` (default: ``time_limit``
    from now); the greedy agenda is valid at any point, so an expiry only means fewer meetings
    placed or more breaks.  Contradictory fixed meetings or precedences raise ``InputError``."""
    deadline = deadline or Deadline(time_limit)
    started = deadline.started
    try:
        compiled = compiled_and_checked(instance, deadline)
    except TimeLimitReached as stop:
        return placement_free(instance, "oversubscribed", stop, started)
    bound = placed_upper_bound(compiled)
    end = deadline.search_end(compiled.n_meetings)
    state = construct(compiled, until=end)
    repair(state, deadline.fraction(0.3))
    if progress is not None:
        progress(_placed(state), bound, time.monotonic() - started)
    positions = list(state.slot)
    proven = False
    if (
        compiled.n_meetings
        and sum(len(a) for a in compiled.allowed) <= CPSAT_MAX_PLACEMENT_VARIABLES
        and time.monotonic() < end
    ):
        solved, proven = _cp_sat(compiled, positions, end, workers)
        weights = meeting_weights(compiled)
        if _value(solved, weights) >= _value(positions, weights):
            state = _state_from(compiled, solved)
        else:
            proven = False
    improve_breaks(state, end)
    return _schedule(compiled, state, bound, proven, started)


def placement_free(instance: Instance, mode: str, stop: TimeLimitReached, started: float) -> Schedule:
    """The answer when the time ran out before any agenda existed (e.g. while reading a huge event)."""
    return Schedule(
        placements=[
            Placement(m.id, None, reason=Reason(str(stop), "time_limit", [m.id], phase=stop.phase))
            for m in instance.meetings
        ],
        status="unknown",
        mode=mode,
        explanation=[
            Reason(f"no schedule was made within the time limit ({stop})", "time_limit", phase=stop.phase)
        ],
        wall_time=time.monotonic() - started,
    )


def _value(positions: list[int], weights: list[int]) -> tuple[int, int]:
    return (
        sum(w for w, p in zip(weights, positions, strict=True) if p >= 0),
        sum(1 for p in positions if p >= 0),
    )


def _placed(state: AgendaState) -> int:
    return sum(1 for position in state.slot if position >= 0)


def _state_from(compiled: CompiledInstance, positions: list[int]) -> AgendaState:
    state = AgendaState.empty(compiled)
    for meeting, position in enumerate(positions):
        if position >= 0:
            state.place(meeting, position)
    return state


def _cp_sat(
    compiled: CompiledInstance, hint: list[int], deadline: float, workers: int
) -> tuple[list[int], bool]:
    """Phase 1 maximises the weighted placed meetings; phase 2 keeps that and minimises breaks."""
    weights = meeting_weights(compiled)
    try:
        built = build_model(compiled, require_all=False, until=deadline)
    except TimeLimitReached:
        return hint, False
    add_hint(built, hint)
    value = sum(w * p for w, p in zip(weights, built.placed, strict=True))
    built.model.maximize(value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(0.01, (deadline - time.monotonic()) * 0.6)
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, False
    first_proven = status == cp_model.OPTIMAL
    best_value = round(solver.objective_value)
    positions = positions_from(solver, built, compiled)
    built.model.add(value >= best_value)
    built.model.clear_objective()
    built.model.minimize(built.breaks)
    built.model.clear_hints()
    add_hint(built, positions)
    solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic())
    status = solver.solve(built.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        positions = positions_from(solver, built, compiled)
    return positions, first_proven and status == cp_model.OPTIMAL


def unscheduled_reason(state: AgendaState, meeting: int) -> Reason:
    """Why ``meeting`` could not be added to the final schedule: a :class:`Reason` whose text is in
    the organiser's words and whose ``code`` and data let an application say it in its own
    (``participants`` are the two parties, or the one at their maximum; ``meetings`` start with
    this meeting)."""
    compiled = state.compiled
    meeting_id = compiled.instance.meetings[meeting].id
    a, b = compiled.pairs[meeting]
    names = compiled.participant_ids
    allowed = compiled.allowed[meeting]
    if not allowed:
        return Reason(
            f"participants {names[a]} and {names[b]} have no common available slot",
            "no_common_slot",
            [meeting_id],
            [names[a], names[b]],
        )
    for participant in (a, b):
        limit = compiled.max_meetings[participant]
        if limit is not None and state.count[participant] >= limit:
            return Reason(
                f"participant {names[participant]} already has the maximum of {limit} meetings",
                "at_max_meetings",
                [meeting_id],
                [names[participant]],
                limit=limit,
            )
    free_for_both = [p for p in allowed if not (state.busy[a] | state.busy[b]) >> p & 1]
    if not free_for_both:
        busy_a = sum(1 for p in allowed if state.busy[a] >> p & 1)
        busy_b = sum(1 for p in allowed if state.busy[b] >> p & 1)
        return Reason(
            f"no common free slot: {names[a]} is booked in {busy_a} and {names[b]} in {busy_b} "
            f"of the {len(allowed)} possible slots by meetings of higher or equal priority",
            "no_common_free_slot",
            [meeting_id],
            [names[a], names[b]],
            busy_first=busy_a,
            busy_second=busy_b,
            possible=len(allowed),
        )
    with_table = [
        p
        for p in free_for_both
        if not compiled.needs_free_table[meeting] or state.free_table_use[p] < compiled.free_tables
    ]
    if not with_table:
        return Reason(
            "all shared tables are taken in every slot where both participants are free",
            "no_shared_table",
            [meeting_id],
            [names[a], names[b]],
            slots=[compiled.slot_ids[p] for p in free_for_both],
        )
    in_the_way = _order_blockers(state, meeting, with_table)
    if in_the_way:
        ids = [compiled.instance.meetings[m].id for m in in_the_way]
        return Reason(
            f"every slot where both participants are free would break the order required by a "
            f"precedence with meetings {', '.join(map(str, ids))}",
            "precedence_order",
            [meeting_id, *ids],
            [names[a], names[b]],
        )
    return Reason(
        "a slot is free for both participants, but the search ended before the meeting was placed",
        "not_reached",
        [meeting_id],
        [names[a], names[b]],
    )


def _order_blockers(state: AgendaState, meeting: int, positions: list[int]) -> list[int]:
    """The placed meetings whose order with ``meeting`` ("meet A before B") rules out ``positions``."""
    compiled = state.compiled
    blockers: set[int] = set()
    for position in positions:
        blockers.update(before for before in compiled.predecessors[meeting] if state.slot[before] >= position)
        blockers.update(
            after for after in successors(compiled)[meeting] if 0 <= state.slot[after] <= position
        )
    return sorted(blockers)


def _schedule(
    compiled: CompiledInstance, state: AgendaState, bound: int, proven: bool, started: float
) -> Schedule:
    reasons = {m: unscheduled_reason(state, m) for m in range(compiled.n_meetings) if state.slot[m] < 0}
    placements = assign_tables(compiled, state.slot, reasons)
    placed = _placed(state)
    complete = placed == compiled.n_meetings
    return Schedule(
        placements=placements,
        status="optimal" if proven or (complete and state.total_breaks() == 0) else "feasible",
        objective=state.total_breaks(),
        lower_bound=None,
        proven=proven,
        mode="oversubscribed",
        placed_upper_bound=bound,
        wall_time=time.monotonic() - started,
    )
