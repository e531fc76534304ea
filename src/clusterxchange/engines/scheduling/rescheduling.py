"""Re-scheduling after a schedule was published.

The new instance already contains the changes (cancelled meetings removed, new meetings added,
new unavailability on participants).  ``previous`` maps meeting ids to their published slots.
Locked meetings (``Meeting.locked`` with ``fixed_slot``) never move.  Then, in this order: place
every meeting (as many as possible if not all fit), move as few previously published meetings
as possible, and minimise breaks.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from .compiled import CompiledInstance
from .cpsat_model import add_hint, build_model, positions_from
from .deadline import Deadline, TimeLimitReached
from .greedy import AgendaState, construct, improve_breaks, repair
from .model import Identifier, Instance, Schedule
from .oversubscribed import (
    CPSAT_MAX_PLACEMENT_VARIABLES,
    meeting_weights,
    placement_free,
    unscheduled_reason,
)
from .tables import assign_tables
from .upper_bound import placed_upper_bound
from .validation import compiled_and_checked


def reschedule(
    instance: Instance,
    previous: dict[Identifier, int],
    time_limit: float = 30.0,
    workers: int = 2,
    deadline: Deadline | None = None,
) -> Schedule:
    """Every phase keeps ``deadline`` (default: ``time_limit`` from now), as in
    ``solve_oversubscribed``."""
    deadline = deadline or Deadline(time_limit)
    started = deadline.started
    try:
        compiled = compiled_and_checked(instance, deadline)
    except TimeLimitReached as stop:
        return placement_free(instance, "reschedule", stop, started)
    end = deadline.search_end(compiled.n_meetings)
    position_of = {slot: position for position, slot in enumerate(compiled.slot_ids)}
    earlier = [position_of.get(previous.get(m.id, -1), -1) for m in instance.meetings]
    state = construct(compiled, initial=earlier, until=end)
    movable = [earlier[m] < 0 or state.slot[m] != earlier[m] for m in range(compiled.n_meetings)]
    repair(state, deadline.fraction(0.3), movable=movable)
    positions = list(state.slot)
    proven = False
    if sum(len(a) for a in compiled.allowed) <= CPSAT_MAX_PLACEMENT_VARIABLES and time.monotonic() < end:
        positions, proven = _cp_sat(compiled, positions, earlier, end, workers)
        state = AgendaState.empty(compiled)
        for meeting, position in enumerate(positions):
            if position >= 0:
                state.place(meeting, position)
    else:
        movable = [earlier[m] < 0 or state.slot[m] != earlier[m] for m in range(compiled.n_meetings)]
        improve_breaks(state, end, movable=movable)
    moved = sum(1 for m in range(compiled.n_meetings) if earlier[m] >= 0 and state.slot[m] != earlier[m])
    reasons = {m: unscheduled_reason(state, m) for m in range(compiled.n_meetings) if state.slot[m] < 0}
    return Schedule(
        placements=assign_tables(compiled, state.slot, reasons),
        status="optimal" if proven else "feasible",
        objective=state.total_breaks(),
        proven=proven,
        mode="reschedule",
        placed_upper_bound=placed_upper_bound(compiled),
        moved=moved,
        wall_time=time.monotonic() - started,
    )


def _cp_sat(
    compiled: CompiledInstance, hint: list[int], earlier: list[int], deadline: float, workers: int
) -> tuple[list[int], bool]:
    """Three lexicographic phases: placed weight, then moved meetings, then breaks."""
    try:
        built = build_model(compiled, require_all=False, until=deadline)
    except TimeLimitReached:
        return hint, False
    weights = meeting_weights(compiled)
    placed_value = sum(w * p for w, p in zip(weights, built.placed, strict=True))
    stays = [built.at[m, earlier[m]] for m in range(compiled.n_meetings) if (m, earlier[m]) in built.at]
    published = sum(1 for position in earlier if position >= 0)
    moved = published - sum(stays)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    positions, proven = hint, True
    phases = [(placed_value, True), (moved, False), (built.breaks, False)]
    for number, (objective, maximise) in enumerate(phases):
        built.model.clear_hints()
        add_hint(built, positions)
        if maximise:
            built.model.maximize(objective)
        else:
            built.model.minimize(objective)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return positions, False
        solver.parameters.max_time_in_seconds = max(0.01, remaining / (len(phases) - number))
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return positions, False
        proven = proven and status == cp_model.OPTIMAL
        positions = positions_from(solver, built, compiled)
        best = round(solver.objective_value)
        built.model.clear_objective()
        built.model.add(objective >= best if maximise else objective <= best)
    return positions, proven
