"""Exact mode (B2BSOP): place every meeting and minimise total breaks under the fairness bound.

The lower bound LB starts at the sum of the per-participant bounds (``lower_bounds``).  Three
searches then run side by side in separate processes on the same CNF (``sat_encoding``): one
asks "at most LB breaks?" (a refutation raises LB, a schedule is optimal), one looks a step
ahead and asks "at most LB + 1?", and one turns the greedy schedule into a complete one and
improves it by large-neighbourhood search over the same SAT model (``neighbourhood``), so that a
good schedule exists early even when both global questions are slow.  The two probes start
alone (without the greedy schedule as phases, which slowed most of their calls) and the
neighbourhood search joins a few seconds later, at a lower priority.  Optimality is proven
when the best schedule meets LB.  On events that look the same backwards in time one meeting
is confined to the first half of the day.  Separate processes give real parallelism and a hard
time limit (a process can always be terminated, a native solver call cannot always be
interrupted).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.sharedctypes
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from pysat.solvers import Solver

from .compiled import CompiledInstance, compile_instance
from .diagnosis import explain_infeasibility
from .greedy import construct, improve_breaks
from .lower_bounds import participant_break_bound
from .model import Instance, Placement, Schedule
from .neighbourhood import NeighbourhoodSearch, breaks_per_participant, symmetry_clauses
from .sat_encoding import BreakEncoding, encode
from .tables import assign_tables

SAT_SOLVER = "cadical195"
PROBE_SOLVERS = ("cadical195", "cadical153")
"""Solvers of the "at most LB" and "at most LB + 1" searches: on the same formula their run
times differ by large factors in both directions, so using both is a cheap portfolio."""
LOOKAHEAD_SLICE = 200000
"""Conflicts per call of the look-ahead, between which it checks whether its question is moot
(20,000 cost tic-14crafc its look-ahead schedule; with 200,000 it is solved in about 21 s)."""
NO_SCHEDULE = 2**31 - 1
SEARCH_DELAY = 4.0
"""Seconds (at most, and at most 15 % of the time limit) during which only the two probes run,
each with a core of its own: on most real instances one "at most LB?" call of a few CPU seconds
settles the question, and a third process would cost it a third of its speed."""
SEARCH_NICENESS = 10
"""The neighbourhood search runs at a lower priority than the probes: with three processes on
two cores it took a third of the probes' CPU while they were one call away from the optimum
(ticf-13crafb proven in 17 s instead of 26-27 s, forum-14 in 9-10 s instead of 14-17 s)."""
SEARCH_SOLVER = "glucose4"
"""Solver of the neighbourhood search: its many small budgeted calls under hundreds of
assumptions cost Glucose less than CaDiCaL (about twice as many steps per second on forum-14)."""
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
    own_bounds = [participant_break_bound(compiled, p) for p in range(compiled.n_participants)]
    encoding.clauses += encoding.at_least_per_participant(own_bounds)
    encoding.clauses += symmetry_clauses(compiled, encoding)

    outcome = _race(
        encoding, compiled, warm.slot, own_bounds, fairness, started + time_limit, progress, started
    )
    best, positions, lower, infeasible = outcome
    if infeasible:
        plain = encode(compiled, fairness)
        return _infeasible(compiled, _conflict_explanation(plain, compiled, fairness), fairness, started)
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
    own_bounds: list[int],
    fairness: int | None,
    deadline: float,
    progress: Progress | None,
    started: float,
) -> tuple[int | None, list[int] | None, int, bool]:
    """Run the three searches; each reports through its own pipe.

    The two probes start at once; the neighbourhood search joins after ``SEARCH_DELAY``, when
    the quick cases are settled, so that on two cores the probes do not share them with it
    from the start.

    A pipe, not a ``multiprocessing.Queue``: a queue hands messages to a feeder thread, which
    cannot run while the worker's main thread is inside a native SAT call that keeps the GIL,
    so a raised lower bound reached the parent only when the next (often long) call ended.
    """
    context = multiprocessing.get_context("fork")
    first_bound = sum(own_bounds)
    shared_lower = context.Value("i", first_bound)
    shared_best = context.Value("i", NO_SCHEDULE)
    workers: list[multiprocessing.process.BaseProcess] = []
    connections: list[Connection] = []
    readers: list[Connection] = []  # the connections whose worker may still write

    def launch(target: Callable[..., None], *args: object, niceness: int = 0) -> None:
        reader, writer = context.Pipe(duplex=False)
        worker = context.Process(
            target=_run_niced,
            args=(niceness, target, *args, shared_lower, shared_best, writer),
            daemon=True,
        )
        worker.start()
        writer.close()
        workers.append(worker)
        connections.append(reader)
        readers.append(reader)

    for offset in (0, 1):
        launch(_probe, encoding, compiled.n_meetings, offset)
    search_at: float | None = started + min(SEARCH_DELAY, 0.15 * (deadline - started))
    best: int | None = None
    positions: list[int] | None = None
    lower = first_bound
    infeasible = False
    try:
        while time.monotonic() < deadline and (readers or search_at) and not infeasible:
            now = time.monotonic()
            if search_at is not None and now >= search_at:
                launch(_search, encoding, compiled, hint, own_bounds, fairness, niceness=SEARCH_NICENESS)
                search_at = None
            wake = deadline if search_at is None else min(deadline, search_at)
            timeout = max(0.01, min(0.5, wake - now))
            for reader in multiprocessing.connection.wait(readers, timeout=timeout):
                try:
                    kind, value, payload = reader.recv()
                except EOFError:
                    readers.remove(reader)
                    continue
                if kind == "solution" and (best is None or value < best):
                    best, positions = value, payload
                elif kind == "lower":
                    lower = max(lower, value)
                elif kind == "infeasible":
                    infeasible = True
                if progress is not None:
                    progress(best, lower, time.monotonic() - started)
            if shared_lower.value > lower:
                lower = shared_lower.value
                if progress is not None:
                    progress(best, lower, time.monotonic() - started)
            if best is not None and lower >= best:
                break
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=5)
        for connection in connections:
            connection.close()
    return best, positions, lower, infeasible


def _run_niced(niceness: int, target: Callable[..., None], *args: object) -> None:
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    target(*args)


def _probe(
    encoding: BreakEncoding,
    n_meetings: int,
    offset: int,
    shared_lower: multiprocessing.sharedctypes.Synchronized,
    shared_best: multiprocessing.sharedctypes.Synchronized,
    messages: Connection,
) -> None:
    """Ask "is there a schedule with at most LB + offset breaks?" for the current lower bound LB.

    With offset 0 a "no" raises the proven lower bound (shared with the other processes through
    ``shared_lower``) and a "yes" is optimal.  The offset-1 process looks one step ahead, so that
    when the proof for LB is slow a schedule with LB + 1 breaks is usually already there.  It
    works in slices of ``LOOKAHEAD_SLICE`` conflicts and, once any process holds a schedule with
    at most LB + 1 breaks (``shared_best``), its question is answered: it asks "at most LB?"
    too, a second prover with the other CaDiCaL version.
    """
    with _solver(encoding, PROBE_SOLVERS[offset]) as solver:
        outputs: list[int] = []
        while True:
            lower = shared_lower.value
            bound = lower + offset if shared_best.value > lower + offset else lower
            if bound >= shared_best.value:
                return
            if bound >= len(outputs) and len(outputs) < len(encoding.gap_literals):
                clauses, outputs = encoding.break_counter(max(8, 2 * bound + 2))
                solver.append_formula(clauses)
            assumptions = [-outputs[bound]] if bound < len(outputs) else []
            if offset == 0:
                outcome = solver.solve(assumptions=assumptions)
            else:
                solver.conf_budget(LOOKAHEAD_SLICE)
                outcome = solver.solve_limited(assumptions=assumptions)
                if outcome is None:
                    continue
            if outcome:
                model = solver.get_model()
                _publish(
                    messages,
                    shared_best,
                    sum(breaks_per_participant(encoding, model)),
                    encoding.decode(model, n_meetings),
                )
                if offset == 0:
                    return
            elif not assumptions:
                messages.send(("infeasible", 0, None))
                return
            else:
                with shared_lower.get_lock():
                    shared_lower.value = max(shared_lower.value, bound + 1)
                messages.send(("lower", bound + 1, None))


def _publish(
    messages: Connection,
    shared_best: multiprocessing.sharedctypes.Synchronized,
    total: int,
    positions: list[int],
) -> None:
    with shared_best.get_lock():
        shared_best.value = min(shared_best.value, total)
    messages.send(("solution", total, positions))


def _search(
    encoding: BreakEncoding,
    compiled: CompiledInstance,
    hint: list[int],
    own_bounds: list[int],
    fairness: int | None,
    shared_lower: multiprocessing.sharedctypes.Synchronized,
    shared_best: multiprocessing.sharedctypes.Synchronized,
    messages: Connection,
) -> None:
    """Find any schedule (phases from the greedy one), then improve it by neighbourhood search.

    It stops (or does not begin) once any process holds a schedule with at most LB + 1 breaks:
    what is then missing, a proof of LB or a schedule at LB, is the probes' work, and on two
    cores they need the CPU (ticf-13crafb: its schedule at LB takes one call of ~16 CPU s).
    """
    if shared_best.value <= shared_lower.value + 1:
        return
    with _solver(encoding, SEARCH_SOLVER) as solver:
        _set_phases(solver, encoding, hint)
        search = NeighbourhoodSearch(solver, encoding, compiled, own_bounds)
        model = search.start_from(hint, fairness)
        if model is None:
            if not solver.solve():
                messages.send(("infeasible", 0, None))
                return
            model = solver.get_model()
        best = search.adopt(model)
        _publish(messages, shared_best, best, list(search.positions))
        while shared_best.value > shared_lower.value + 1:
            total = search.step()
            if total is not None and total < best:
                best = total
                _publish(messages, shared_best, best, list(search.positions))


def _set_phases(solver: Solver, encoding: BreakEncoding, hint: list[int]) -> None:
    phases = [literal for (m, t), literal in encoding.placement_literals.items() if hint[m] == t]
    with contextlib.suppress(NotImplementedError):
        solver.set_phases(phases)


def _solver(encoding: BreakEncoding, name: str = SAT_SOLVER) -> Solver:
    """A solver holding the full model: every meeting required and the fairness rule on."""
    solver = Solver(name=name, bootstrap_with=encoding.clauses)
    for selector in [*encoding.meeting_selectors, encoding.fairness_selector]:
        solver.add_clause([selector])
    return solver


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


def _infeasible(
    compiled: CompiledInstance, reasons: list[str], fairness: int | None, started: float
) -> Schedule:
    return Schedule(
        placements=[Placement(m.id, None) for m in compiled.instance.meetings],
        status="infeasible",
        proven=True,
        mode="exact",
        fairness=fairness,
        explanation=reasons,
        wall_time=time.monotonic() - started,
    )


def _conflict_explanation(
    encoding: BreakEncoding, compiled: CompiledInstance, fairness: int | None
) -> list[str]:
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
        reasons.append(
            f"the fairness bound (break counts may differ by at most {fairness}) is part of the conflict"
        )
    index = {literal: meeting for meeting, literal in enumerate(encoding.meeting_selectors)}
    names = [str(compiled.instance.meetings[index[lit]].id) for lit in core if lit in index]
    reasons.insert(0, f"these {len(names)} meetings cannot all be scheduled together: {', '.join(names)}")
    return reasons
