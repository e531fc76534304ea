"""Benchmark: oversubscribed mode on synthetic events of 500, 2,000 and 15,000 participants.

    /work/venv/bin/python -m benchmarks.scheduling.bench_synthetic [--sizes 500,2000,15000]

Each size runs in its own child process so that the peak memory (max RSS) is that size's
alone.  Every schedule goes through the independent verifier.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TIME_LIMITS = {500: 20.0, 2_000: 25.0, 15_000: 200.0}


def run_one(size: int, time_limit: float) -> dict:
    from benchmarks.scheduling.synthetic import generate_event

    from clusterxchange.engines.scheduling.oversubscribed import solve_oversubscribed
    from clusterxchange.engines.scheduling.verifier import verify

    instance = generate_event(size, seed=1)
    started = time.monotonic()
    schedule = solve_oversubscribed(instance, time_limit=time_limit)
    solve_time = time.monotonic() - started
    report = verify(instance, schedule.placements, require_all=False)
    total_time = time.monotonic() - started
    with_meetings = max(1, len(report.breaks))
    return {
        "participants": size,
        "meetings": len(instance.meetings),
        "slots": len(instance.slots),
        "tables": len(instance.tables),
        "placed": schedule.placed,
        "upper_bound": schedule.placed_upper_bound,
        "breaks": report.total_breaks,
        "breaks_per_participant": report.total_breaks / with_meetings,
        "table_changes": report.table_changes,
        "verified": report.ok,
        "violations": report.violations[:3],
        "solve_time": solve_time,
        "verify_time": total_time - solve_time,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000,15000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, help="override the per-size time limit")
    args = parser.parse_args()
    if args.child:
        limit = args.time_limit or TIME_LIMITS.get(args.child, 60.0)
        print(json.dumps(run_one(args.child, limit)))
        return 0
    print(
        "| participants | meetings | slots | tables | time s (solve + verify) | placed | upper bound | placed/UB "
        "| breaks | breaks per participant | table changes | peak MiB | verified |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, "-m", "benchmarks.scheduling.bench_synthetic", "--child", str(size)]
        if args.time_limit:
            command += ["--time-limit", str(args.time_limit)]
        started = time.monotonic()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(f"| {size} | failed: {result.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"| {r['participants']} | {r['meetings']} | {r['slots']} | {r['tables']} | "
            f"{r['solve_time']:.1f} + {r['verify_time']:.1f} (wall incl. generation {time.monotonic() - started:.0f}) | "
            f"{r['placed']} | {r['upper_bound']} | {100 * r['placed'] / max(1, r['upper_bound']):.2f} % | "
            f"{r['breaks']} | {r['breaks_per_participant']:.2f} | {r['table_changes']} | {r['peak_mib']:.0f} | "
            f"{'yes' if r['verified'] else 'NO ' + '; '.join(r['violations'])} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
