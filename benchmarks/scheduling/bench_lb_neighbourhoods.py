"""Benchmark: how far a schedule at LB + 1 lies from one at the lower bound LB (issue #21).

    python -m benchmarks.scheduling.bench_lb_neighbourhoods forum-14/prec25 [--shares 0.3,0.6,0.8]
        [--steps 20] [--budget 20000] [--seed 1] [--directory DIR]

A schedule at LB, when LB is the sum of the per-participant bounds, is one where every participant
has exactly its own bound.  From the schedule at LB + 1 that the race's look-ahead finds ("at most
LB + 1?", CaDiCaL 1.5.3), each step keeps the agendas (busy slots ``y[p, t]``) of all but a share
of the participants, chosen by a breadth-first walk over partners from a participant above its own
bound, and asks with a conflict budget for every participant at its own bound.  When such
neighbourhoods are refuted, a large-neighbourhood search from LB + 1 has nothing to find.

Then the same question without the precedences (the narrowed domains keep their windows): how
many precedences its schedule breaks, and whether the full model, with that schedule's agendas
kept, puts the meetings of each agenda in an order that respects them.  Conflicts do not depend on
the machine's load; CPU seconds are this process's.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scheduling.bench_renumbered import read_item  # noqa: E402
from pysat.card import ITotalizer  # noqa: E402
from pysat.solvers import Solver  # noqa: E402

from clusterxchange.engines.scheduling.compiled import CompiledInstance, compile_instance  # noqa: E402
from clusterxchange.engines.scheduling.diagnosis import tightened_domains  # noqa: E402
from clusterxchange.engines.scheduling.lower_bounds import participant_bounds  # noqa: E402
from clusterxchange.engines.scheduling.neighbourhood import breaks_per_participant  # noqa: E402
from clusterxchange.engines.scheduling.sat_encoding import BreakEncoding, encode  # noqa: E402


def held_to_bounds(solver: Solver, encoding: BreakEncoding, own: list[int]) -> list[int]:
    """Assumptions "every participant at most its own bound" (counters added to ``solver``)."""
    assumptions = []
    for gaps, bound in zip(encoding.gaps_of, own, strict=True):
        if not gaps:
            continue
        if bound == 0:
            assumptions += [-gap for gap in gaps]
            continue
        counter = ITotalizer(lits=gaps, ubound=bound + 1, top_id=encoding.top)
        encoding.top = counter.top_id
        solver.append_formula(counter.cnf.clauses)
        assumptions.append(-counter.rhs[bound])
    return assumptions


def model_solver(encoding: BreakEncoding, name: str) -> Solver:
    solver = Solver(name=name, bootstrap_with=encoding.clauses)
    for selector in [*encoding.meeting_selectors, encoding.fairness_selector]:
        solver.add_clause([selector])
    return solver


def agendas(encoding: BreakEncoding, model: list[int]) -> list[list[bool]]:
    true = {literal for literal in model if literal > 0}
    return [[literal in true for literal in busy] for busy in encoding.busy_of]


def kept(encoding: BreakEncoding, busy: list[list[bool]], free: set[int], active: list[int]) -> list[int]:
    """Assumptions keeping the agenda of every active participant outside ``free``."""
    return [
        literal if busy[p][t] else -literal
        for p in active
        if p not in free
        for t, literal in enumerate(encoding.busy_of[p])
    ]


def neighbourhood(compiled: CompiledInstance, start: int, size: int, rng: random.Random) -> set[int]:
    """``size`` participants reached from ``start`` breadth first over partners, in random order."""
    free, frontier = {start}, [start]
    while frontier and len(free) < size:
        person = frontier.pop(0)
        partners = sorted({q for m in compiled.meetings_of[person] for q in compiled.pairs[m]} - free)
        rng.shuffle(partners)
        for partner in partners[: size - len(free)]:
            free.add(partner)
            frontier.append(partner)
    return free


def conflicts(solver: Solver) -> int:
    return solver.accum_stats()["conflicts"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("item", help="instance/family, e.g. forum-14/prec25")
    parser.add_argument("--shares", default="0.3,0.6,0.8")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--budget", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--directory", default=str(ROOT.parent / "shared" / "data" / "b2b-instances"))
    args = parser.parse_args()
    compiled = compile_instance(read_item(args.directory, args.item))
    compiled = compiled.narrowed(tightened_domains(compiled)[0])
    own = participant_bounds(compiled, time.monotonic() + 30)
    lower = sum(own)
    encoding = encode(compiled, 2)
    encoding.clauses += encoding.at_least_per_participant(own)
    active = [p for p in range(compiled.n_participants) if compiled.meetings_of[p]]
    ids = compiled.participant_ids
    print(f"{args.item}: LB {lower}, participants with a positive bound {[ids[p] for p in active if own[p]]}")

    with model_solver(encoding, "cadical153") as solver:
        clauses, outputs = encoding.break_counter(max(8, 2 * lower + 4))
        solver.append_formula(clauses)
        started = time.process_time()
        if not solver.solve(assumptions=[-outputs[lower + 1]]):
            print("no schedule at LB + 1")
            return 0
        model = solver.get_model()
        print(f"at most LB + 1: {conflicts(solver)} conflicts, {time.process_time() - started:.1f} CPU s")
    breaks = breaks_per_participant(encoding, model)
    above = [p for p in active if breaks[p] > own[p]]
    busy = agendas(encoding, model)
    slots = encoding.decode(model, compiled.n_meetings)
    load = [slots.count(t) for t in range(compiled.n_slots)]
    print(
        f"its breaks {sum(breaks)}, above their own bound: {[ids[p] for p in above]}; meetings per slot {load}"
    )

    rng = random.Random(args.seed)  # nosec B311 - reproducible sampling, not security
    print("| share freed | steps | schedule at LB | refuted | budget out | conflicts | CPU s |")
    print("|---|---|---|---|---|---|---|")
    for share in (float(value) for value in args.shares.split(",")):
        with model_solver(encoding, "cadical195") as solver:
            bounds = held_to_bounds(solver, encoding, own)
            outcomes = {True: 0, False: 0, None: 0}
            started = time.process_time()
            for _ in range(args.steps):
                free = neighbourhood(compiled, rng.choice(above), max(1, round(share * len(active))), rng)
                solver.conf_budget(args.budget)
                outcomes[solver.solve_limited(assumptions=bounds + kept(encoding, busy, free, active))] += 1
            print(
                f"| {share:.0%} | {args.steps} | {outcomes[True]} | {outcomes[False]} | {outcomes[None]} "
                f"| {conflicts(solver)} | {time.process_time() - started:.1f} |",
                flush=True,
            )

    unordered = dataclasses.replace(compiled, predecessors=[[] for _ in compiled.predecessors], cache={})
    plain = encode(unordered, 2)
    plain.clauses += plain.at_least_per_participant(own)
    with model_solver(plain, "cadical195") as solver:
        started = time.process_time()
        solver.conf_budget(args.budget * 10)
        outcome = solver.solve_limited(assumptions=held_to_bounds(solver, plain, own))
        print(
            f"without precedences, at LB: {outcome}, {conflicts(solver)} conflicts, "
            f"{time.process_time() - started:.1f} CPU s"
        )
        if not outcome:
            return 0
        model = solver.get_model()
    slots = plain.decode(model, compiled.n_meetings)
    broken = sum(
        1 for m, befores in enumerate(compiled.predecessors) for b in befores if slots[b] >= slots[m]
    )
    total = sum(len(befores) for befores in compiled.predecessors)
    with model_solver(encoding, "cadical195") as solver:
        assumptions = held_to_bounds(solver, encoding, own) + kept(
            encoding, agendas(plain, model), set(), active
        )
        solver.conf_budget(args.budget)
        outcome = solver.solve_limited(assumptions=assumptions)
        print(
            f"its schedule breaks {broken} of {total} precedences; with its agendas kept, "
            f"an order respecting them: {outcome} ({conflicts(solver)} conflicts)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
