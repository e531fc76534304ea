"""Benchmark: the paper's variant families (``variants.py``) of the 20 real instances, engine
beside the CP-SAT baseline in the same run.

    python -m benchmarks.scheduling.bench_variants [DIR] [--time-limit 30] [--baseline-limit 10]
        [--families fixed20,...] [--only forum-14,...] [--jsonl results.jsonl]

Each variant: the engine (exact mode, d = 2) with the time limit, its schedule checked by the
independent verifier; then the baseline (``baseline_cpsat``, 2 workers) with its own limit.
"Resolved" means optimum proven, or infeasibility proven with an explanation.  Prints a Markdown
table with the 1-minute load average at each start (the machine may be shared) and a summary.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scheduling.baseline_cpsat import solve_baseline  # noqa: E402
from benchmarks.scheduling.bench_instances import (  # noqa: E402
    REFERENCE,
    cpu_seconds,
    load_averages,
    verified_by_verifier,
)
from benchmarks.scheduling.variants import FAMILIES, variant  # noqa: E402

from clusterxchange.engines.scheduling.dzn import read_dzn  # noqa: E402
from clusterxchange.engines.scheduling.errors import InputError  # noqa: E402
from clusterxchange.engines.scheduling.exact import solve_exact  # noqa: E402


def run_engine(instance, time_limit: float) -> dict:
    started, cpu_started = time.monotonic(), cpu_seconds()
    try:
        schedule = solve_exact(instance, fairness=2, time_limit=time_limit)
    except InputError as error:
        return {"status": "input error", "explanation": str(error), "time": time.monotonic() - started}
    elapsed = time.monotonic() - started
    verified = verified_by_verifier(instance, schedule, 2)
    resolved = (schedule.status == "optimal" and verified == "yes") or (
        schedule.status == "infeasible" and bool(schedule.explanation)
    )
    return {
        "status": schedule.status,
        "objective": schedule.objective,
        "lower_bound": schedule.lower_bound,
        "resolved": resolved,
        "verified": verified,
        "time": elapsed,
        "cpu": cpu_seconds() - cpu_started,
        "explanation": schedule.explanation[0] if schedule.explanation else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "directory", nargs="?", default=str(ROOT.parent / "shared" / "data" / "b2b-instances")
    )
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--baseline-limit", type=float, default=10.0)
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--only", default="", help="comma-separated instance names")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--jsonl", help="also write one JSON line per variant here")
    parser.add_argument("--summarise", metavar="JSONL", help="only print the summary of an earlier run")
    args = parser.parse_args()
    if args.summarise:
        with open(args.summarise, encoding="utf-8") as lines:
            summarise([json.loads(line) for line in lines])
        return 0
    names = [n for n in REFERENCE if not args.only or n in args.only.split(",")]
    print(f"engine limit {args.time_limit:g} s, baseline CP-SAT limit {args.baseline_limit:g} s, d = 2")
    print(f"load average at start (1, 5, 15 min): {load_averages()}")
    print()
    print(
        "| instance | family | engine | breaks | LB | engine s | verified | baseline | baseline breaks "
        "| baseline LB | baseline s | load | reason (infeasible) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results = []
    sink = open(args.jsonl, "a", encoding="utf-8") if args.jsonl else None  # noqa: SIM115
    for name in names:
        base = read_dzn(Path(args.directory) / f"{name}.original.dzn")
        for family in args.families.split(","):
            instance = variant(base, family)
            load = float(load_averages().split()[0])
            engine = run_engine(instance, args.time_limit)
            baseline = (
                {"status": "-", "objective": None, "lower_bound": None, "time": 0.0}
                if args.no_baseline
                else solve_baseline(instance, 2, args.baseline_limit)
            )
            result = {
                "instance": name,
                "family": family,
                "load": load,
                "engine": engine,
                "baseline": baseline,
            }
            results.append(result)
            if sink:
                sink.write(json.dumps(result) + "\n")
                sink.flush()
            reason = engine["explanation"][:90] if engine["status"] == "infeasible" else ""
            print(
                f"| {name} | {family} | {engine['status']} | {engine.get('objective')} | "
                f"{engine.get('lower_bound')} | {engine['time']:.1f} | {engine.get('verified', '-')} | "
                f"{baseline['status']} | {baseline['objective']} | {baseline['lower_bound']} | "
                f"{baseline['time']:.1f} | {load:.1f} | {reason} |",
                flush=True,
            )
    if sink:
        sink.close()
    summarise(results)
    print(f"load average at end (1, 5, 15 min): {load_averages()}")
    return 0


def summarise(results: list[dict]) -> None:
    """Overall and per-family figures: resolved (optimum proven, or infeasibility proven and
    explained), the engine's statuses and times, the baseline's statuses."""
    print()
    print(
        "| family | variants | resolved | engine optimal / infeasible / feasible / unknown | engine median s | engine max s | baseline optimal / infeasible / feasible / unknown |"
    )
    print("|---|---|---|---|---|---|---|")
    groups = {family: [r for r in results if r["family"] == family] for family in FAMILIES}
    groups["all"] = results
    for family, rows in groups.items():
        if not rows:
            continue
        times = [r["engine"]["time"] for r in rows]
        print(
            f"| {family} | {len(rows)} | {sum(1 for r in rows if r['engine'].get('resolved'))} | "
            f"{_counts(rows, 'engine')} | {statistics.median(times):.2f} | {max(times):.1f} | "
            f"{_counts(rows, 'baseline')} |"
        )


def _counts(rows: list[dict], side: str) -> str:
    statuses = [r[side]["status"] for r in rows]
    return " / ".join(str(statuses.count(s)) for s in ("optimal", "infeasible", "feasible", "unknown"))


if __name__ == "__main__":
    raise SystemExit(main())
