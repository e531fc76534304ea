"""Benchmark: the exact mode's per-participant bounds phase on the real instances and variants.

    PYTHONPATH=SRC python -m benchmarks.scheduling.bench_bounds [DIR] [--share 7.4] > bounds.jsonl
    python -m benchmarks.scheduling.bench_bounds --compare before.jsonl after.jsonl

Each instance and variant that reaches the phase (the polynomial infeasibility checks of
``solve_exact`` find nothing) gets ``lower_bounds.participant_bounds`` on its tightened domains
with ``--share`` seconds (a quarter of what is left of a 30 s limit), and one JSON line: the
bounds, their sum and the CPU seconds of the phase.  The engine is the ``clusterxchange``
found first on ``PYTHONPATH`` (this checkout's ``src`` otherwise), so two checkouts can be
compared; ``--compare`` then lists the participants whose bound changed and the phase's CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "src"))  # after PYTHONPATH: the engine under test may be another checkout's

from benchmarks.scheduling.variants import FAMILIES, variant  # noqa: E402

from clusterxchange.engines.scheduling.compiled import compile_instance  # noqa: E402
from clusterxchange.engines.scheduling.diagnosis import (  # noqa: E402
    explain_infeasibility,
    run_overload,
    tightened_domains,
)
from clusterxchange.engines.scheduling.dzn import read_dzn  # noqa: E402
from clusterxchange.engines.scheduling.lower_bounds import participant_bounds  # noqa: E402


def measure(directory: Path, share: float) -> None:
    for path in sorted(directory.glob("*.original.dzn")):
        base = read_dzn(path)
        name = path.name.split(".")[0]
        for family in ("original", *FAMILIES):
            compiled = compile_instance(base if family == "original" else variant(base, family))
            if explain_infeasibility(compiled):
                continue
            narrowed = compiled.narrowed(tightened_domains(compiled)[0])
            if run_overload(narrowed, 2):
                continue
            started = time.process_time()
            bounds = participant_bounds(narrowed, time.monotonic() + share)
            record = {
                "item": f"{name}/{family}",
                "sum": sum(bounds),
                "cpu": round(time.process_time() - started, 3),
                "bounds": bounds,
                "load": round(os.getloadavg()[0], 2),
            }
            print(json.dumps(record), flush=True)


def compare(before_path: str, after_path: str) -> None:
    before = {r["item"]: r for r in map(json.loads, Path(before_path).read_text().splitlines())}
    after = {r["item"]: r for r in map(json.loads, Path(after_path).read_text().splitlines())}
    raised = lowered = 0
    print("| item | sum before | sum after | participants raised | CPU s before | CPU s after |")
    print("|---|---|---|---|---|---|")
    for item in sorted(before.keys() & after.keys()):
        old, new = before[item], after[item]
        up = sum(b > a for a, b in zip(old["bounds"], new["bounds"], strict=True))
        down = sum(b < a for a, b in zip(old["bounds"], new["bounds"], strict=True))
        raised, lowered = raised + up, lowered + down
        if up or down:
            print(f"| {item} | {old['sum']} | {new['sum']} | {up} | {old['cpu']:.2f} | {new['cpu']:.2f} |")
    total_before = sum(r["cpu"] for r in before.values())
    total_after = sum(r["cpu"] for r in after.values())
    print(
        f"{len(before)} items; participants raised {raised}, lowered {lowered}; "
        f"CPU of the phase in all {total_before:.1f} -> {total_after:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "directory", nargs="?", default=str(ROOT.parent / "shared" / "data" / "b2b-instances")
    )
    parser.add_argument("--share", type=float, default=7.4)
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        measure(Path(args.directory), args.share)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
