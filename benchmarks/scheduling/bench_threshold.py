"""Benchmark: up to which size the product tries the exact mode (`events.scheduling.EXACT_MAX_PAIRS`).

    PYTHONPATH=src:. python -m benchmarks.scheduling.bench_threshold [--pairs 30000,60000,90000] [--seed 1]

For each size (meeting x slot pairs, the product's measure), a synthetic event
(`benchmarks/scheduling/synthetic.py`: one day of 16 slots up to 1,000 participants) in two forms:

- **as requested**: the generator's requests, oversubscribed as real events are (popular
  participants receive more requests than they have slots, 30 % cap their meetings);
- **all fit**: only the meetings the greedy construction placed for a larger generated event, so that an
  agenda with every meeting exists and the exact mode has something to prove (to stay on one day,
  above ~55,000 pairs the 1,000 participants request more meetings each than the generator's 5.73).

Each form is solved by the product's own `solve` (`events/scheduling.py`, no database: the
instance is the engine's) within the event's time budget (`time_limit_for`), twice: with the exact
mode tried first (the threshold raised above the size) and without it (threshold 0: the
oversubscribed mode alone). Each solve runs in its own child process. Prints a Markdown table: the
mode that made the agenda, the outcome, meetings placed, breaks, the proven lower bound and the
wall time against the budget.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def participants_for(pairs: int, share: float = 1.0) -> int:
    """The fewest participants whose generated requests (5.73 each, of which ``share`` are kept)
    give at least ``pairs`` meeting x slot pairs (16 slots a day, more days above 1,000)."""
    from benchmarks.scheduling.synthetic import MEETINGS_PER_PARTICIPANT, SLOTS_PER_SESSION, days_for

    n = 2
    while round(MEETINGS_PER_PARTICIPANT * n * share) * 2 * SLOTS_PER_SESSION * days_for(n) < pairs:
        n += 1
    return n


def all_fit(instance):
    """The instance cut down to the meetings the greedy construction places: every meeting of it
    fits."""
    from clusterxchange.engines.scheduling.compiled import compile_instance
    from clusterxchange.engines.scheduling.greedy import construct

    state = construct(compile_instance(instance))
    kept = [m for m, position in zip(instance.meetings, state.slot, strict=True) if position >= 0]
    return dataclasses.replace(instance, meetings=tuple(kept), name=f"{instance.name}-fit")


def build(form: str, pairs: int, seed: int):
    from benchmarks.scheduling import synthetic
    from benchmarks.scheduling.synthetic import generate_event

    if form == "requested":
        return generate_event(participants_for(pairs), seed=seed)
    # The greedy agenda keeps part of the requests: size the event once by the share it kept. One
    # day holds at most 1,000 participants: above that, they request more meetings each instead.
    requested = generate_event(participants_for(pairs, 0.75), seed=seed)
    fit = all_fit(requested)
    share = len(fit.meetings) / len(requested.meetings)
    size = participants_for(pairs, share)
    if size > 1_000:
        size = 1_000
        synthetic.MEETINGS_PER_PARTICIPANT = pairs / (2 * synthetic.SLOTS_PER_SESSION * size * share)
    return fit if size == len(requested.participants) else all_fit(generate_event(size, seed=seed))


def run_one(form: str, pairs: int, seed: int, exact_first: bool) -> dict:
    from benchmarks.django_setup import setup_django

    setup_django("threshold")
    from clusterxchange.engines.scheduling.verifier import verify
    from clusterxchange.events import scheduling

    instance = build(form, pairs, seed)
    scheduling.EXACT_MAX_PAIRS = 10**9 if exact_first else 0
    exact_said = {}
    solve_exact = scheduling.engine.solve_exact

    def timed_exact(*args, **kwargs):
        started = time.monotonic()
        schedule = solve_exact(*args, **kwargs)
        exact_said.update(
            status=schedule.status, seconds=time.monotonic() - started, breaks=schedule.objective
        )
        return schedule

    scheduling.engine.solve_exact = timed_exact
    built = scheduling.Built(instance=instance, meetings={})
    budget = scheduling.time_limit_for(instance)
    started = time.monotonic()
    solved = scheduling.solve(built)
    wall = time.monotonic() - started
    placements = solved.placements
    report = verify(instance, placements, require_all=False)
    return {
        "form": form,
        "participants": len(instance.participants),
        "meetings": len(instance.meetings),
        "pairs": len(instance.meetings) * len(instance.slots),
        "path": "exact first" if exact_first else "oversubscribed only",
        "budget": budget,
        "mode": solved.mode,
        "outcome": solved.outcome,
        "placed": sum(1 for p in placements if p.slot is not None),
        "breaks": report.total_breaks if placements else None,
        "lower_bound": solved.lower_bound,
        "wall": wall,
        "verified": report.ok,
        "exact": exact_said,
        "load": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", default="30000,60000,90000")
    parser.add_argument("--forms", default="requested,fit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        form, pairs, exact_first = args.child
        print(json.dumps(run_one(form, int(pairs), args.seed, exact_first == "1")))
        return 0
    print(
        "| form | participants | meetings | pairs | path | budget s | exact mode: answer, s, breaks | mode "
        "| outcome | placed | breaks | lower bound | wall s | load | verified |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for pairs in (int(p) for p in args.pairs.split(",")):
        for form in args.forms.split(","):
            for exact_first in ("1", "0"):
                command = [
                    sys.executable,
                    "-m",
                    "benchmarks.scheduling.bench_threshold",
                    "--seed",
                    str(args.seed),
                    "--child",
                    form,
                    str(pairs),
                    exact_first,
                ]
                result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
                if result.returncode != 0:
                    print(
                        f"| {form} | {pairs} | failed: {result.stderr.strip().splitlines()[-1:]} |",
                        flush=True,
                    )
                    continue
                r = json.loads(result.stdout.strip().splitlines()[-1])
                print(
                    f"| {r['form']} | {r['participants']} | {r['meetings']} | {r['pairs']} | {r['path']} | "
                    f"{r['budget']:.1f} | {_exact(r['exact'])} | {r['mode']} | {r['outcome']} | {r['placed']} | {r['breaks']} | "
                    f"{'-' if r['lower_bound'] is None else r['lower_bound']} | {r['wall']:.1f} | "
                    f"{r['load']:.1f} | {'yes' if r['verified'] else 'NO'} |",
                    flush=True,
                )
    return 0


def _exact(said: dict) -> str:
    if not said:
        return "-"
    return f"{said['status']}, {said['seconds']:.1f}, {'-' if said['breaks'] is None else said['breaks']}"


if __name__ == "__main__":
    raise SystemExit(main())
