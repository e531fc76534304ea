"""Benchmark: one "at most K breaks?" question of the exact mode, over renumbered copies of its CNF.

    python -m benchmarks.scheduling.bench_renumbered tic-14crafa/prec25 --bound 0 [--copies 16]
        [--domains narrowed|full] [--solver cadical195] [--budget CONFLICTS] [--directory DIR]

The question is the one the race's first probe asks (``exact._probe``): the encoding with the
per-participant bounds and the symmetry clauses, a break counter, every meeting required and the
fairness rule on (d = 2).  Copy 0 is the engine's own formula; every further copy renames the
variables and shuffles the clauses with its own seed.  CaDiCaL is deterministic, so the conflicts
of one copy do not depend on the machine's load, but they differ widely from copy to copy: an
encoding change judged on one formula (one paired run) may only have moved it from a lucky
ordering to an unlucky one.  The median over the copies says whether the change itself helps.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scheduling.variants import variant  # noqa: E402
from pysat.solvers import Solver  # noqa: E402

from clusterxchange.engines.scheduling.compiled import compile_instance  # noqa: E402
from clusterxchange.engines.scheduling.diagnosis import tightened_domains  # noqa: E402
from clusterxchange.engines.scheduling.dzn import read_dzn  # noqa: E402
from clusterxchange.engines.scheduling.lower_bounds import participant_bounds  # noqa: E402
from clusterxchange.engines.scheduling.model import Instance  # noqa: E402
from clusterxchange.engines.scheduling.neighbourhood import symmetry_clauses  # noqa: E402
from clusterxchange.engines.scheduling.sat_encoding import encode  # noqa: E402


def question(instance: Instance, bound: int, domains: str) -> tuple[list[list[int]], int, list[int]]:
    """The clauses, the number of variables and the assumption asking "at most ``bound``?"."""
    compiled = compile_instance(instance)
    if domains == "narrowed":
        compiled = compiled.narrowed(tightened_domains(compiled)[0])
    own = participant_bounds(compiled, time.monotonic() + 30)
    encoding = encode(compiled, 2)
    encoding.clauses += encoding.at_least_per_participant(own)
    encoding.clauses += symmetry_clauses(compiled, encoding)
    counter, outputs = encoding.break_counter(max(8, 2 * bound + 2))
    required = [[selector] for selector in [*encoding.meeting_selectors, encoding.fairness_selector]]
    clauses = encoding.clauses + counter + required
    top = max([encoding.top, *(abs(literal) for clause in clauses for literal in clause)])
    return clauses, top, [-outputs[bound]] if bound < len(outputs) else []


def read_item(directory: str, item: str) -> Instance:
    name, family = item.split("/")
    instance = read_dzn(Path(directory) / f"{name}.original.dzn")
    return instance if family == "original" else variant(instance, family)


def renumbered(
    clauses: list[list[int]], top: int, assumptions: list[int], seed: int
) -> tuple[list[list[int]], list[int]]:
    if seed == 0:
        return clauses, assumptions
    rng = random.Random(seed)  # nosec B311 - a reproducible shuffle, not security
    names = list(range(1, top + 1))
    rng.shuffle(names)

    def rename(literal: int) -> int:
        return names[literal - 1] if literal > 0 else -names[-literal - 1]

    copy = [[rename(literal) for literal in clause] for clause in clauses]
    rng.shuffle(copy)
    return copy, [rename(literal) for literal in assumptions]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("item", help="instance/family, e.g. tic-14crafa/prec25 or ticf-13crafb/original")
    parser.add_argument("--bound", type=int, required=True)
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--domains", choices=("narrowed", "full"), default="narrowed")
    parser.add_argument("--solver", default="cadical195")
    parser.add_argument("--budget", type=int, default=0, help="conflicts per copy (0: no limit)")
    parser.add_argument("--directory", default=str(ROOT.parent / "shared" / "data" / "b2b-instances"))
    args = parser.parse_args()
    clauses, top, assumptions = question(read_item(args.directory, args.item), args.bound, args.domains)
    conflicts = []
    print(f"{args.item}, at most {args.bound} breaks, {args.domains} domains, {args.solver}")
    print("| copy | answer | conflicts | s |")
    print("|---|---|---|---|")
    for seed in range(args.copies):
        started = time.monotonic()
        formula, asked = renumbered(clauses, top, assumptions, seed)
        with Solver(name=args.solver, bootstrap_with=formula) as solver:
            if args.budget:
                solver.conf_budget(args.budget)
                answer = solver.solve_limited(assumptions=asked)
            else:
                answer = solver.solve(assumptions=asked)
            spent = solver.accum_stats()["conflicts"]
        conflicts.append(spent)
        print(f"| {seed} | {answer} | {spent} | {time.monotonic() - started:.2f} |", flush=True)
    print(
        f"conflicts: median {statistics.median(conflicts):.0f}, "
        f"min {min(conflicts)}, max {max(conflicts)}, copy 0 (the engine's formula) {conflicts[0]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
