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

from .compiled import CompiledInstance
from .deadline import Deadline, TimeLimitReached, solve_within
from .diagnosis import explain_infeasibility, fairness_overload, run_overload, tightened_domains
from .errors import Reason
from .greedy import construct, improve_breaks, repair
from .lower_bounds import participant_bounds
from .model import Instance, Placement, Schedule
from .neighbourhood import NeighbourhoodSearch, breaks_per_participant, symmetry_clauses
from .sat_encoding import BreakEncoding, encode
from .tables import assign_tables
from .validation import compiled_and_checked
from .verifier import verify

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
HANDOVER_SHARE = 0.5
"""Share of the search time after which, if nothing is settled and the neighbourhood search still
runs, the look-ahead is lowered to ``LATE_LOOKAHEAD_NICENESS``: its question has then most likely
no quick answer, and what is still open is how good the answer will be, which is the search's
work.  Probe 0 keeps its core.  Before this, the search (niceness 10 against the look-ahead's 0)
had about a tenth of the second core: on forum-14 prec25 (lower bound 2, both questions out of
reach) it got its first schedule after 26 s and answered 84-105 breaks where CP-SAT found 65."""
LATE_LOOKAHEAD_NICENESS = 19
SEARCH_SOLVER = "glucose4"
"""Solver of the neighbourhood search: its many small budgeted calls under hundreds of
assumptions cost Glucose less than CaDiCaL (about twice as many steps per second on forum-14)."""
STOP_WAIT = 0.2
"""Seconds to wait for the workers to end after SIGTERM, and again after SIGKILL."""
BOUNDS_SHARE = 0.25
"""Share of the time left that the per-participant lower bounds may use (a few hundredths of a
second on the real instances; a bound not reached in time stays 0, which is still valid)."""
EXPLANATION_SECONDS = 3.0
"""Seconds (at most) that the explanation of a proven infeasibility spends shrinking its first
core: the answer is already known, and the core found so far names the meetings."""
TRIAL_CONFLICTS = 2_000
"""Conflicts per deletion trial of that shrinking; a trial not settled keeps its meeting."""
Progress = Callable[[int | None, int, float], None]


def solve_exact(
    instance: Instance,
    fairness: int | None = 2,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    deadline: Deadline | None = None,
) -> Schedule:
    """Every meeting placed, fewest breaks.  ``deadline`` (default: ``time_limit`` from now) is
    kept by every phase; when it passes, the answer is the best verified schedule found so far
    (status ``feasible``, with the lower bound) or, without one, a placement-free ``unknown``
    whose explanation names the phase.  Contradictory fixed meetings or precedences raise
    :class:`InputError` before any solving."""
    deadline = deadline or Deadline(time_limit)
    started = deadline.started
    try:
        compiled = compiled_and_checked(instance, deadline)
    except TimeLimitReached as stop:
        return _unknown(instance, fairness, 0, stop, started)
    fallback: tuple[int, list[int]] | None = None
    lower = 0
    try:
        reasons = explain_infeasibility(compiled, deadline=deadline)
        if reasons:
            return _infeasible(compiled, reasons, fairness, started)
        if compiled.n_meetings == 0:
            return _finish(compiled, [], 0, 0, fairness, started)
        narrowed = compiled.narrowed(tightened_domains(compiled)[0])
        reasons = run_overload(narrowed, fairness, deadline)
        if reasons:
            return _infeasible(compiled, reasons, fairness, started)
        warm = construct(narrowed, until=deadline.search_end(compiled.n_meetings))
        repair(warm, deadline.fraction(0.05))
        improve_breaks(warm, min(started + 1.0, deadline.fraction(0.1)))
        fallback = _verified(narrowed, warm.slot, fairness)
        deadline.check("the greedy start")
        own_bounds = participant_bounds(narrowed, deadline.fraction(BOUNDS_SHARE))
        lower = sum(own_bounds)
        reasons = fairness_overload(narrowed, own_bounds, fairness)
        if reasons:
            return _infeasible(compiled, reasons, fairness, started)
        deadline.check("the lower bounds")
        encoding = encode(narrowed, fairness, deadline)
        encoding.clauses += encoding.at_least_per_participant(own_bounds)
        encoding.clauses += symmetry_clauses(narrowed, encoding)
        deadline.check("the SAT encoding")
    except TimeLimitReached as stop:
        if fallback is not None:
            return _finish(compiled, fallback[1], fallback[0], lower, fairness, started, stop.phase)
        return _unknown(instance, fairness, lower, stop, started)

    outcome = _race(
        encoding,
        narrowed,
        warm.slot,
        own_bounds,
        fairness,
        deadline.search_end(compiled.n_meetings),
        progress,
        started,
    )
    best, positions, lower, infeasible = outcome
    if infeasible:
        plain_reasons = _conflict_explanation(compiled, fairness, deadline)
        return _infeasible(compiled, plain_reasons, fairness, started)
    if positions is None and fallback is not None:
        best, positions = fallback
    if positions is None:
        return _unknown(instance, fairness, lower, TimeLimitReached("the search"), started)
    phase = None if best is not None and lower >= best else "the search"
    return _finish(compiled, positions, best, lower, fairness, started, phase)


def _verified(
    compiled: CompiledInstance, positions: list[int], fairness: int | None
) -> tuple[int, list[int]] | None:
    """The greedy schedule as a fallback answer, if it is complete and passes the verifier."""
    if any(position < 0 for position in positions):
        return None
    report = verify(compiled.instance, assign_tables(compiled, positions), fairness=fairness)
    return (report.total_breaks, list(positions)) if report.ok else None


def _unknown(
    instance: Instance, fairness: int | None, lower: int, stop: TimeLimitReached, started: float
) -> Schedule:
    return Schedule(
        placements=[Placement(m.id, None) for m in instance.meetings],
        status="unknown",
        lower_bound=lower,
        mode="exact",
        fairness=fairness,
        explanation=[
            Reason(
                f"no complete schedule was found within the time limit ({stop})",
                "time_limit",
                phase=stop.phase,
            )
        ],
        wall_time=time.monotonic() - started,
    )


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
    handover_at: float | None = started + HANDOVER_SHARE * (deadline - started)
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
            if handover_at is not None and now >= handover_at and len(workers) > 2:
                if connections[2] in readers:
                    _lower_priority(workers[1], LATE_LOOKAHEAD_NICENESS)
                handover_at = None
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
        _stop(workers)
        for connection in connections:
            connection.close()
    return best, positions, lower, infeasible


def _stop(workers: list[multiprocessing.process.BaseProcess]) -> None:
    """End the workers without spending the time limit on it: SIGTERM, a short wait, then
    SIGKILL (a niced worker on a loaded machine once took over 5 s to go after SIGTERM)."""
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    until = time.monotonic() + STOP_WAIT
    for worker in workers:
        worker.join(timeout=max(0.0, until - time.monotonic()))
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join(timeout=STOP_WAIT)


def _lower_priority(worker: multiprocessing.process.BaseProcess, niceness: int) -> None:
    """Lower the running ``worker``'s priority by ``niceness`` relative to this process, as
    ``_run_niced`` does when it starts one (raising a niceness needs no privilege; a no-op where
    priorities do not exist or the worker has already ended)."""
    if worker.pid is None or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, worker.pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + niceness))


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
    stopped_in: str | None = None,
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
        explanation=[]
        if proven or stopped_in is None
        else [Reason(f"the time limit was reached during {stopped_in}", "time_limit", phase=stopped_in)],
        wall_time=time.monotonic() - started,
    )


def _infeasible(
    compiled: CompiledInstance, reasons: list[Reason], fairness: int | None, started: float
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
    compiled: CompiledInstance, fairness: int | None, deadline: Deadline
) -> list[Reason]:
    """A small set of meetings (and possibly the fairness rule) that cannot all hold together.

    Uses the plain encoding (the race's extra clauses are not guarded by meeting selectors).
    The first core may use what is left of the time limit: without it, the infeasibility
    (already proven by the search) is reported without the meetings.  Shrinking it by deletion
    gets at most ``EXPLANATION_SECONDS`` and each trial ``TRIAL_CONFLICTS``: a trial that does
    not settle keeps its meeting, so the answer is the core found so far (on the forbidden-slot
    variants of issue #21 the first core was already the participant's meetings and the
    fairness rule, and one trial without a meeting, a pigeonhole question, ran until the limit:
    proven infeasible at 6-17 s, answered at 29.8 s).
    """
    until = deadline.search_end(compiled.n_meetings)
    unnamed = Reason(
        "the search proved that no schedule satisfies every rule; the time limit was reached "
        "before the conflicting meetings could be named",
        "conflict_unnamed",
    )
    try:
        encoding = encode(compiled, fairness, deadline)
    except TimeLimitReached:
        return [unnamed]
    selectors = [*encoding.meeting_selectors, encoding.fairness_selector]
    with Solver(name=SAT_SOLVER, bootstrap_with=encoding.clauses) as solver:
        outcome = solve_within(solver, until, selectors)
        if outcome is None:
            return [unnamed]
        if outcome:
            return [Reason("no schedule exists within the break bound", "break_bound")]
        core = list(solver.get_core() or selectors)
        shrink_until = min(until, time.monotonic() + EXPLANATION_SECONDS)
        for literal in list(core):
            if time.monotonic() >= shrink_until:
                break
            trial = [lit for lit in core if lit != literal]
            if solve_within(solver, shrink_until, trial, TRIAL_CONFLICTS) is not False:
                continue
            core = list(solver.get_core() or trial)
    reasons = []
    if encoding.fairness_selector in core:
        core.remove(encoding.fairness_selector)
        reasons.append(
            Reason(
                f"the fairness bound (break counts may differ by at most {fairness}) is part of the conflict",
                "fairness_conflict",
                fairness=fairness,
            )
        )
    index = {literal: meeting for meeting, literal in enumerate(encoding.meeting_selectors)}
    meetings = [index[lit] for lit in core if lit in index]
    reasons.insert(0, _conflict_reason(compiled, meetings))
    return reasons


def _conflict_reason(compiled: CompiledInstance, meetings: list[int]) -> Reason:
    """ "These meetings cannot all be scheduled together", naming the participant they share,
    if any (the usual case: one participant's meetings and its slots)."""
    ids = [compiled.instance.meetings[m].id for m in meetings]
    names = ", ".join(str(meeting) for meeting in ids)
    shared = set.intersection(*(set(compiled.pairs[m]) for m in meetings)) if meetings else set()
    if len(meetings) > 1 and len(shared) == 1:
        person = compiled.participant_ids[shared.pop()]
        return Reason(
            f"these {len(ids)} meetings of participant {person} cannot all be scheduled together: {names}",
            "conflict",
            ids,
            [person],
        )
    return Reason(f"these {len(ids)} meetings cannot all be scheduled together: {names}", "conflict", ids)
