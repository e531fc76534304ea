"""Benchmark: two versions of the engine side by side, one variant at a time, on a shared machine.

    python -m benchmarks.scheduling.bench_paired BEFORE_SRC AFTER_SRC [--time-limit 30]
        [--directory DIR] forum-14/prec25 ticf-13crafb/original ...

Each item (instance/family, ``original`` for the real instance) is solved by the exact mode
(d = 2) of the engine under ``BEFORE_SRC`` and then of the one under ``AFTER_SRC`` (the ``src``
directories of two checkouts), each in a fresh process, with the 1-minute load average at each
start: on a machine shared with other work, a pair run back to back sees about the same load,
where two whole benchmark runs minutes apart do not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # this interpreter on the repository's own code  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RUN_ONE = r"""
import json, sys, time
from pathlib import Path
import clusterxchange  # first, from PYTHONPATH: bench_instances puts this checkout's src in front
from clusterxchange.engines.scheduling.dzn import read_dzn
from clusterxchange.engines.scheduling.exact import solve_exact
sys.path.insert(0, sys.argv[5])
from benchmarks.scheduling.bench_instances import verified_by_verifier
from benchmarks.scheduling.variants import variant
directory, name, family, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
instance = read_dzn(Path(directory) / f"{name}.original.dzn")
if family != "original":
    instance = variant(instance, family)
started = time.monotonic()
schedule = solve_exact(instance, fairness=2, time_limit=limit)
print(json.dumps({
    "status": schedule.status, "breaks": schedule.objective, "lower_bound": schedule.lower_bound,
    "time": round(time.monotonic() - started, 2), "verified": verified_by_verifier(instance, schedule, 2),
    "engine": clusterxchange.__file__,
}))
"""


def run(src: str, directory: str, item: str, limit: float) -> dict:
    name, family = item.split("/")
    done = subprocess.run(  # fixed interpreter and arguments  # nosec B603
        [sys.executable, "-c", RUN_ONE, directory, name, family, str(limit), str(ROOT)],
        env={**os.environ, "PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {"status": "error: " + done.stderr.strip()[-200:]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("items", nargs="+", help="instance/family, e.g. forum-14/prec25 or tic-12/original")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--directory", default=str(ROOT.parent / "shared" / "data" / "b2b-instances"))
    args = parser.parse_args()
    print("| variant | before | breaks / LB | s | load | after | breaks / LB | s | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for item in args.items:
        cells = [item]
        for src in (args.before, args.after):
            load = os.getloadavg()[0]
            result = run(src, args.directory, item, args.time_limit)
            cells += [
                result["status"],
                f"{result.get('breaks')} / {result.get('lower_bound')}",
                f"{result.get('time', 0):.1f}",
                f"{load:.1f}",
            ]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
