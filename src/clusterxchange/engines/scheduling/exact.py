"""Exact mode (B2BSOP): place every meeting and minimise total breaks under the fairness bound.

Two SAT searches run side by side in separate processes on the same CNF (see
``sat_encoding``): one climbs from the lower bound ("are K breaks enough?" for K = 0, 1, ...),
each refutation raising the proven lower bound; the other descends from the first schedule it
finds ("fewer than the best so far?").  Optimality is proven when the two meet.  Separate
processes give true parallelism on the two cores and a hard time limit (a process can always
be terminated, a native solver call cannot always be interrupted).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import time
from collections.abc import Callable

from pysat.solvers import Solver

from .compiled import CompiledInstance, compile_instance
from .diagnosis import explain_infeasibility
from .greedy import construct, improve_breaks
from .model import Instance, Placement, Schedule
from .sat_encoding import BreakEncoding, encode
from .tables import assign_tables

SAT_SOLVER = "cadical195"
Progress = Callable[[int | None, int, float], None]


def solve_exact(
    instance: Instance,
    fairness: int | None = 2,
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> Schedule:
    started = time.monotonic()
    compiled = compile_instance(instance)
    reasons = explain_infeasibility(compiled)
    if reasons:
        return _infeasible(compiled, reasons, fairness, started)
    if compiled.n_meetings == 0:
        return _finish(compiled, [], 0, 0, fairness, started)

    warm = construct(compiled)
    improve_breaks(warm, started + min(1.0, time_limit / 10))
    encoding = encode(compiled, fairness)

    outcome = _race(encoding, compiled, warm.slot, started + time_limit, progress, started)
    best, positions, lower, infeasible = outcome
    if infeasible:
        return _infeasible(compiled, _conflict_explanation(encoding, compiled, fairness), fairness, started)
    if positions is None:
        schedule = Schedule(
            placements=[Placement(m.id, None) for m in instance.meetings],
            status="unknown",
            lower_bound=lower,
            fairness=fairness,
            explanation=["no complete schedule was found within the time limit"],
        )
        schedule.wall_time = time.monotonic() - started
        return schedule
    return _finish(compiled, positions, best, lower, fairness, started)


def _race(
    encoding: BreakEncoding,
    compiled: CompiledInstance,
    hint: list[int],
    deadline: float,
    progress: Progress | None,
    started: float,
) -> tuple[int | None, list[int] | None, int, bool]:
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    workers = [
        context.Process(target=_climb, args=(encoding, compiled.n_meetings, messages), daemon=True),
        context.Process(target=_descend, args=(encoding, compiled.n_meetings, hint, messages), daemon=True),
    ]
    for worker in workers:
        worker.start()
    best: int | None = None
    positions: list[int] | None = None
    lower = 0
    infeasible = False
    finished = 0
    try:
        while finished < len(workers) and time.monotonic() < deadline:
            try:
                kind, value, payload = messages.get(timeout=max(0.01, min(0.5, deadline - time.monotonic())))
            except queue.Empty:
                continue
            if kind == "solution" and (best is None or value < best):
                best, positions = value, payload
            elif kind == "lower":
                lower = max(lower, value)
            elif kind == "infeasible":
                infeasible = True
                break
            elif kind == "done":
                finished += 1
            if progress is not None:
                progress(best, lower, time.monotonic() - started)
            if best is not None and lower >= best:
                break
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=5)
        messages.close()
    return best, positions, lower, infeasible


def _climb(encoding: BreakEncoding, n_meetings: int, messages: multiprocessing.Queue) -> None:
    """Lower-bound search: the first K with a schedule of at most K breaks is optimal."""
    with _solver(encoding) as solver:
        bound = 0
        outputs: list[int] = []
        while True:
            if bound >= len(outputs) and len(outputs) < len(encoding.gap_literals):
                clauses, outputs = encoding.break_counter(max(8, 2 * bound + 2))
                solver.append_formula(clauses)
            assumptions = [-outputs[bound]] if bound < len(outputs) else []
            if solver.solve(assumptions=assumptions):
                model = solver.get_model()
                messages.put(("solution", _count(encoding, model), encoding.decode(model, n_meetings)))
                messages.put(("lower", bound, None))
                break
            if not assumptions:
                messages.put(("infeasible", 0, None))
                break
            bound += 1
            messages.put(("lower", bound, None))
    messages.put(("done", 0, None))


def _descend(encoding: BreakEncoding, n_meetings: int, hint: list[int], messages: multiprocessing.Queue) -> None:
    """Upper-bound search: find a schedule, then repeatedly ask for one with fewer breaks."""
    with _solver(encoding) as solver:
        phases = [literal for (m, t), literal in encoding.placement_literals.items() if hint[m] == t]
        with contextlib.suppress(NotImplementedError):
            solver.set_phases(phases)
        assumptions: list[int] = []
        outputs: list[int] = []
        best: int | None = None
        while solver.solve(assumptions=assumptions):
            model = solver.get_model()
            best = _count(encoding, model)
            messages.put(("solution", best, encoding.decode(model, n_meetings)))
            if best == 0:
                break
            if not outputs:
                clauses, outputs = encoding.break_counter(best)
                solver.append_formula(clauses)
            assumptions = [-outputs[best - 1]]
        if best is None:
            messages.put(("infeasible", 0, None))
        else:
            messages.put(("lower", best, None))
    messages.put(("done", 0, None))


def _solver(encoding: BreakEncoding) -> Solver:
    """A solver holding the full model: every meeting required and the fairness rule on."""
    solver = Solver(name=SAT_SOLVER, bootstrap_with=encoding.clauses)
    for selector in [*encoding.meeting_selectors, encoding.fairness_selector]:
        solver.add_clause([selector])
    return solver


def _count(encoding: BreakEncoding, model: list[int]) -> int:
    true = {literal for literal in model if literal > 0}
    return sum(1 for literal in encoding.gap_literals if literal in true)


def _finish(
    compiled: CompiledInstance,
    positions: list[int],
    best: int | None,
    lower: int,
    fairness: int | None,
    started: float,
) -> Schedule:
    placements = assign_tables(compiled, positions)
    proven = best is not None and lower >= (best or 0)
    return Schedule(
        placements=placements,
        status="optimal" if proven else "feasible",
        objective=best,
        lower_bound=min(lower, best) if best is not None else lower,
        proven=proven,
        mode="exact",
        fairness=fairness,
        placed_upper_bound=compiled.n_meetings,
        wall_time=time.monotonic() - started,
    )


def _infeasible(compiled: CompiledInstance, reasons: list[str], fairness: int | None, started: float) -> Schedule:
    return Schedule(
        placements=[Placement(m.id, None) for m in compiled.instance.meetings],
        status="infeasible",
        proven=True,
        mode="exact",
        fairness=fairness,
        explanation=reasons,
        wall_time=time.monotonic() - started,
    )


def _conflict_explanation(encoding: BreakEncoding, compiled: CompiledInstance, fairness: int | None) -> list[str]:
    """A small set of meetings (and possibly the fairness rule) that cannot all hold together."""
    selectors = [*encoding.meeting_selectors, encoding.fairness_selector]
    with Solver(name=SAT_SOLVER, bootstrap_with=encoding.clauses) as solver:
        if solver.solve(assumptions=selectors):
            return ["no schedule exists within the break bound"]
        core = list(solver.get_core() or selectors)
        deadline = time.monotonic() + 10
        for literal in list(core):
            if time.monotonic() > deadline:
                break
            trial = [lit for lit in core if lit != literal]
            if not solver.solve(assumptions=trial):
                core = list(solver.get_core() or trial)
    reasons = []
    if encoding.fairness_selector in core:
        core.remove(encoding.fairness_selector)
        reasons.append(f"the fairness bound (break counts may differ by at most {fairness}) is part of the conflict")
    index = {literal: meeting for meeting, literal in enumerate(encoding.meeting_selectors)}
    names = [str(compiled.instance.meetings[index[lit]].id) for lit in core if lit in index]
    reasons.insert(0, f"these {len(names)} meetings cannot all be scheduled together: {', '.join(names)}")
    return reasons
