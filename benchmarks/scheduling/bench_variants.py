"""Benchmark: the paper's variants of the real instances, built here (they are not published).

    /work/venv/bin/python -m benchmarks.scheduling.bench_variants [DIR] [--time-limit 30] [--only a,b]

For each base instance: a reference schedule is computed first (exact mode); then, as in the
paper, variants are derived with a seeded random generator so that they stay feasible:
- fixed20 / fixed40: 20 % / 40 % of the meetings fixed at their slot in the reference schedule;
- prec15 / prec25: precedences between 15 % / 25 % of the meetings, each pointing from a meeting
  of the same participant that is earlier in the reference schedule;
- forbidden: every participant gets one random forbidden slot among those idle in the reference;
- d0, d1, d3: fairness bound 0, 1 and 3 (infeasible results are reported as such).
Every result goes through the verifier.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scheduling.bench_instances import (  # noqa: E402
    cpu_seconds,
    load_averages,
    verified_by_verifier,
)

from clusterxchange.engines.scheduling.dzn import read_dzn  # noqa: E402
from clusterxchange.engines.scheduling.exact import solve_exact  # noqa: E402
from clusterxchange.engines.scheduling.model import Instance, Participant  # noqa: E402


def variants(instance: Instance, reference: dict, rng: random.Random) -> list[tuple[str, Instance, int]]:
    meetings = list(instance.meetings)
    result = []
    for share in (20, 40):
        chosen = set(rng.sample(range(len(meetings)), len(meetings) * share // 100))
        fixed = tuple(
            dataclasses.replace(m, fixed_slot=reference[m.id]) if i in chosen else m
            for i, m in enumerate(meetings)
        )
        result.append((f"fixed{share}", dataclasses.replace(instance, meetings=fixed), 2))
    for share in (15, 25):
        chosen = rng.sample(range(len(meetings)), len(meetings) * share // 100)
        updated = list(meetings)
        for index in chosen:
            meeting = meetings[index]
            earlier = [
                other.id
                for other in meetings
                if set(other.participants) & set(meeting.participants)
                and reference[other.id] < reference[meeting.id]
            ]
            if earlier:
                updated[index] = dataclasses.replace(meeting, after=(rng.choice(earlier),))
        result.append((f"prec{share}", dataclasses.replace(instance, meetings=tuple(updated)), 2))
    busy: dict = {}
    for meeting in meetings:
        for person in meeting.participants:
            busy.setdefault(person, set()).add(reference[meeting.id])
    people = []
    for person in instance.participants:
        idle = sorted(set(instance.slots) - busy.get(person.id, set()) - person.unavailable)
        extra = {rng.choice(idle)} if idle else set()
        people.append(
            Participant(person.id, person.unavailable | extra, person.max_meetings, person.own_table)
        )
    result.append(("forbidden", dataclasses.replace(instance, participants=tuple(people)), 2))
    result += [(f"d{d}", instance, d) for d in (0, 1, 3)]
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "directory", nargs="?", default=str(ROOT.parent / "shared" / "data" / "b2b-instances")
    )
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--only", default="tic-13crafb,forumt-14crafd,ticf-13crafc")
    args = parser.parse_args()
    print(f"load average at start (1, 5, 15 min): {load_averages()}")
    print()
    print("| instance | variant | status | breaks | lower bound | proven | s | CPU s | verified | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.only.split(","):
        instance = read_dzn(Path(args.directory) / f"{name}.original.dzn")
        base = solve_exact(instance, fairness=2, time_limit=args.time_limit)
        if base.objective is None:
            print(f"| {name} | (no reference schedule) | {base.status} | | | | | | | |")
            continue
        reference = {p.meeting: p.slot for p in base.placements}
        for label, variant, fairness in variants(instance, reference, random.Random(7)):
            load = os.getloadavg()[0]
            started, cpu_started = time.monotonic(), cpu_seconds()
            schedule = solve_exact(variant, fairness=fairness, time_limit=args.time_limit)
            elapsed, cpu = time.monotonic() - started, cpu_seconds() - cpu_started
            verified = verified_by_verifier(variant, schedule, fairness)
            print(
                f"| {name} | {label} | {schedule.status} | {schedule.objective} | {schedule.lower_bound} | "
                f"{'yes' if schedule.proven else 'no'} | {elapsed:.1f} | {cpu:.1f} | {verified} | {load:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
