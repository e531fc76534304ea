"""A straightforward CP-SAT model of B2BSOP, the yardstick for the engine (not part of it).

One Boolean per (meeting, allowed slot); each meeting exactly once; at most one meeting per
participant and slot; at most nTables meetings per slot; precedences on the slot numbers; a break starts where a participant is
idle after a meeting and busy again later the same day; fairness as max - min <= d over the
participants with meetings; minimise the number of break starts.  Default CP-SAT search.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.model import Instance


def _slot_of(at: dict, compiled, meeting: int) -> cp_model.LinearExpr:
    return sum(t * at[meeting, t] for t in compiled.allowed[meeting])


def solve_baseline(instance: Instance, fairness: int, time_limit: float, workers: int = 2) -> dict:
    started = time.monotonic()
    compiled = compile_instance(instance)
    model = cp_model.CpModel()
    n_slots = compiled.n_slots
    at = {}
    for meeting, positions in enumerate(compiled.allowed):
        literals = [model.new_bool_var(f"x{meeting}_{t}") for t in positions]
        at.update({(meeting, t): lit for t, lit in zip(positions, literals, strict=True)})
        model.add_exactly_one(literals)
    for t in range(n_slots):
        model.add(sum(lit for (m, s), lit in at.items() if s == t) <= compiled.capacity_per_slot())
    for meeting, befores in enumerate(compiled.predecessors):
        for before in befores:
            model.add(_slot_of(at, compiled, meeting) >= _slot_of(at, compiled, before) + 1)
    counts = []
    gaps = []
    for meetings in compiled.meetings_of:
        if not meetings:
            continue
        busy = []
        for t in range(n_slots):
            literals = [at[m, t] for m in meetings if (m, t) in at]
            used = model.new_bool_var("")
            model.add(sum(literals) == used)
            busy.append(used)
        later = [model.new_bool_var("") for _ in range(n_slots)]
        for t in reversed(range(n_slots)):
            same_day_next = t + 1 < n_slots and compiled.day_of_slot[t + 1] == compiled.day_of_slot[t]
            options = [busy[t], later[t + 1]] if same_day_next else [busy[t]]
            model.add_max_equality(later[t], options)
        own = []
        for t in range(1, n_slots - 1):
            if (
                compiled.day_of_slot[t - 1] != compiled.day_of_slot[t]
                or compiled.day_of_slot[t + 1] != compiled.day_of_slot[t]
            ):
                continue
            gap = model.new_bool_var("")
            model.add_bool_and([busy[t - 1], busy[t].Not(), later[t + 1]]).only_enforce_if(gap)
            model.add_bool_or([busy[t - 1].Not(), busy[t], later[t + 1].Not(), gap])
            own.append(gap)
        count = model.new_int_var(0, n_slots, "")
        model.add(count == sum(own))
        counts.append(count)
        gaps += own
    if fairness is not None and counts:
        high, low = model.new_int_var(0, n_slots, ""), model.new_int_var(0, n_slots, "")
        model.add_max_equality(high, counts)
        model.add_min_equality(low, counts)
        model.add(high - low <= fairness)
    model.minimize(sum(gaps))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "status": solver.status_name(status).lower(),
        "objective": round(solver.objective_value) if found else None,
        "lower_bound": round(solver.best_objective_bound),
        "proven": status == cp_model.OPTIMAL,
        "time": time.monotonic() - started,
    }
