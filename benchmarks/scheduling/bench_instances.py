"""Benchmark: the 20 real instances of Bofill et al. (JAIR 2022), engine vs a CP-SAT baseline.

    /work/venv/bin/python -m benchmarks.scheduling.bench_instances [DIR] [--time-limit 30]

DIR defaults to ../shared/data/b2b-instances relative to the repository root.  Every engine
schedule goes through the independent verifier; the baseline runs in the same process after it
with the same time limit and 2 workers.  Prints a Markdown table with wall and CPU seconds
(engine: its own process and its two search processes; baseline: all CP-SAT threads) and the
1-minute load average when the instance started: on a shared machine wall times are inflated.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scheduling.baseline_cpsat import solve_baseline  # noqa: E402

from clusterxchange.engines.scheduling.dzn import read_dzn  # noqa: E402
from clusterxchange.engines.scheduling.exact import solve_exact  # noqa: E402
from clusterxchange.engines.scheduling.verifier import verify  # noqa: E402

REFERENCE = {
    "forum-13": (0, 2.5),
    "forum-13crafb": (6, 23.3),
    "forum-13crafc": (1, 2.3),
    "forum-14": (2, 5.1),
    "forumt-14": (5, 0.5),
    "forumt-14crafc": (5, 0.9),
    "forumt-14crafd": (4, 0.4),
    "forumt-14crafe": (5, 0.6),
    "tic-12": (0, 0.1),
    "tic-12crafc": (0, 0.3),
    "tic-13": (0, 0.4),
    "tic-13crafb": (0, 0.4),
    "tic-13crafc": (4, 5.8),
    "tic-14crafa": (0, 1.0),
    "tic-14crafc": (0, 0.8),
    "tic-14crafd": (0, 0.8),
    "ticf-13crafa": (0, 2.2),
    "ticf-13crafb": (3, 22.3),
    "ticf-13crafc": (1, 3.7),
    "ticf-14crafa": (0, 7.6),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "directory", nargs="?", default=str(ROOT.parent / "shared" / "data" / "b2b-instances")
    )
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--fairness", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated instance names")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    names = [n for n in REFERENCE if not args.only or n in args.only.split(",")]
    print(f"time limit {args.time_limit:g} s, fairness d = {args.fairness}, baseline CP-SAT with 2 workers")
    print()
    print(f"load average at start (1, 5, 15 min): {load_averages()}")
    print()
    print(
        "| instance | optimum (paper) | MaxSAT s (paper) | engine | LB | proven | engine s | engine CPU s | verified "
        "| baseline | baseline LB | baseline proven | baseline s | baseline CPU s | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    engine_times, baseline_times, engine_cpu, baseline_cpu = [], [], [], []
    for name in names:
        path = Path(args.directory) / f"{name}.original.dzn"
        instance = read_dzn(path)
        load = os.getloadavg()[0]
        started, cpu_started = time.monotonic(), cpu_seconds()
        schedule = solve_exact(instance, fairness=args.fairness, time_limit=args.time_limit)
        elapsed, cpu = time.monotonic() - started, cpu_seconds() - cpu_started
        verified = verified_by_verifier(instance, schedule, args.fairness)
        engine_times.append(elapsed)
        engine_cpu.append(cpu)
        optimum, maxsat = REFERENCE[name]
        row = (
            f"| {name} | {optimum} | {maxsat} | {schedule.objective} | {schedule.lower_bound} | "
            f"{'yes' if schedule.proven else 'no'} | {elapsed:.1f} | {cpu:.1f} | {verified} |"
        )
        if args.no_baseline:
            row += " - | - | - | - | - |"
        else:
            cpu_started = cpu_seconds()
            base = solve_baseline(instance, args.fairness, args.time_limit)
            baseline_times.append(base["time"])
            baseline_cpu.append(cpu_seconds() - cpu_started)
            row += (
                f" {base['objective']} | {base['lower_bound']} | {'yes' if base['proven'] else 'no'} | "
                f"{base['time']:.1f} | {baseline_cpu[-1]:.1f} |"
            )
        print(row + f" {load:.1f} |", flush=True)
    print()
    engine_median = statistics.median(engine_times)
    print(
        f"engine median {engine_median:.1f} s (CPU {statistics.median(engine_cpu):.1f} s), "
        f"max {max(engine_times):.1f} s"
    )
    if baseline_times:
        baseline_median = statistics.median(baseline_times)
        print(
            f"baseline median {baseline_median:.1f} s (CPU {statistics.median(baseline_cpu):.1f} s), "
            f"max {max(baseline_times):.1f} s; "
            f"ratio of medians baseline/engine = {baseline_median / engine_median:.2f} (wall), "
            f"{statistics.median(baseline_cpu) / statistics.median(engine_cpu):.2f} (CPU)"
        )
    print(f"load average at end (1, 5, 15 min): {load_averages()}")
    return 0


def load_averages() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def verified_by_verifier(instance, schedule, fairness: int) -> str:
    """`yes` when the independent verifier accepts the schedule and counts the same breaks."""
    if schedule.objective is None:
        return "-"
    report = verify(instance, schedule.placements, fairness=fairness)
    return "yes" if report.ok and report.total_breaks == schedule.objective else "NO"


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
