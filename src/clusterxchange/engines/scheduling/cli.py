"""``clusterxchange schedule``: solve or verify a B2B meeting schedule from the command line.

Exit codes: 0 a schedule was produced (or verified), 1 no schedule (infeasible, unknown) or the
verification failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console

from .deadline import Deadline
from .errors import InputError
from .exact import solve_exact
from .jsonio import placements_from_dict, read_instance, read_json_file, schedule_to_dict
from .model import Instance, Schedule
from .oversubscribed import solve_oversubscribed
from .rescheduling import reschedule
from .verifier import verify


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterxchange schedule",
        description="Schedule B2B meetings into slots and tables, or verify a schedule.",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="INSTANCE.(json|dzn), or INSTANCE SCHEDULE with --verify"
    )
    parser.add_argument("--mode", choices=("exact", "oversubscribed"), default="exact")
    parser.add_argument(
        "--fairness", type=int, default=2, metavar="D", help="break counts may differ by at most D"
    )
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds (default 60)")
    parser.add_argument(
        "--out", metavar="SCHEDULE.json", help="write the schedule here (default: standard output)"
    )
    parser.add_argument(
        "--previous", metavar="SCHEDULE.json", help="re-schedule: keep this published schedule where possible"
    )
    parser.add_argument(
        "--verify", action="store_true", help="check SCHEDULE against INSTANCE and recompute metrics"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console(stderr=True, quiet=args.quiet)
    try:
        _check_arguments(parser, args)
        if args.verify:
            return _verify(args, console)
        return _solve(args, console)
    except InputError as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False)
        return 2


def _check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.verify and len(args.files) != 2:
        raise InputError("--verify needs two files: INSTANCE SCHEDULE")
    if not args.verify and len(args.files) != 1:
        raise InputError("give exactly one INSTANCE file (or --verify INSTANCE SCHEDULE)")
    if args.time_limit < 0:
        raise InputError(f"--time-limit must not be negative, got {args.time_limit}")
    if args.fairness < 0:
        raise InputError(f"--fairness must not be negative, got {args.fairness}")
    for name in args.files:
        if not Path(name).is_file():
            raise InputError(f"{name}: no such file")


def _solve(args: argparse.Namespace, console: Console) -> int:
    """The time limit counts from here to the written output (reading the file included)."""
    deadline = Deadline(args.time_limit)
    started = deadline.started
    instance = read_instance(args.files[0])
    deadline.reserve(time.monotonic() - started)  # writing costs about what reading did

    def progress(best: int | None, bound: int, elapsed: float) -> None:
        label = "placed" if args.mode == "oversubscribed" else "breaks"
        shown = "-" if best is None else best
        bound_label = "upper bound" if args.mode == "oversubscribed" else "lower bound"
        console.print(f"best {label} {shown}  {bound_label} {bound}  elapsed {elapsed:.1f}s", highlight=False)

    if args.previous:
        previous_placements = placements_from_dict(instance, read_json_file(args.previous))
        previous = {p.meeting: p.slot for p in previous_placements if p.slot is not None}
        schedule = reschedule(instance, previous, deadline=deadline)
        report = verify(instance, schedule.placements, require_all=False, previous=previous)
    elif args.mode == "oversubscribed":
        schedule = solve_oversubscribed(instance, progress=progress, deadline=deadline)
        report = verify(instance, schedule.placements, require_all=False)
    else:
        schedule = solve_exact(instance, fairness=args.fairness, progress=progress, deadline=deadline)
        report = verify(instance, schedule.placements, fairness=args.fairness) if schedule.placed else None
    if report is not None and schedule.status not in ("unknown", "infeasible") and not report.ok:
        schedule.explanation.append("verifier: " + "; ".join(report.violations[:5]))
        schedule.status = "unknown"
    _write(instance, schedule, args.out)
    _summary(console, instance, schedule, time.monotonic() - started)
    return 0 if schedule.status in ("optimal", "feasible") else 1


def _write(instance: Instance, schedule: Schedule, out: str | None) -> None:
    text = schedule_json(instance, schedule)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as error:
            raise InputError(f"--out {out}: cannot write ({error})") from error
    else:
        sys.stdout.write(text)


def schedule_json(instance: Instance, schedule: Schedule) -> str:
    """The schedule as JSON text, one meeting per line.

    Each meeting is encoded on its own (the C encoder): an indented dump of the whole document
    goes through Python's encoder, which took 1.4 s for 10,000 meetings on a loaded machine,
    more than the time limit leaves for writing."""
    data = schedule_to_dict(instance, schedule)
    meetings = data.pop("meetings")
    head = json.dumps(data, indent=1)[: -len("\n}")]
    body = ",\n  ".join(json.dumps(meeting) for meeting in meetings)
    return f'{head},\n "meetings": [\n  {body}\n ]\n}}\n' if meetings else f'{head},\n "meetings": []\n}}\n'


def _summary(console: Console, instance: Instance, schedule: Schedule, elapsed: float) -> None:
    console.print(
        f"[bold]{schedule.status}[/bold]  meetings placed {schedule.placed}/{len(instance.meetings)}"
        f"  breaks {schedule.objective}  lower bound {schedule.lower_bound}  proven {schedule.proven}"
        + (f"  upper bound on placed {schedule.placed_upper_bound}" if schedule.mode != "exact" else "")
        + (f"  moved {schedule.moved}" if schedule.moved is not None else "")
        + f"  time {elapsed:.1f}s",
        highlight=False,
    )
    for line in schedule.explanation:
        console.print(f"  {line}", highlight=False)


def _verify(args: argparse.Namespace, console: Console) -> int:
    instance = read_instance(args.files[0])
    data = read_json_file(args.files[1])
    placements = placements_from_dict(instance, data)
    mode = data.get("mode", "exact") if isinstance(data, dict) else "exact"
    fairness = data.get("fairness") if isinstance(data, dict) else None
    report = verify(
        instance, placements, require_all=mode == "exact", fairness=fairness if mode == "exact" else None
    )
    out = Console()
    out.print(
        f"{'valid' if report.ok else 'INVALID'}: placed {report.placed}/{len(instance.meetings)}, "
        f"total breaks {report.total_breaks}, fairness gap {report.fairness_gap}, "
        f"table changes {report.table_changes}",
        highlight=False,
    )
    for violation in report.violations:
        out.print(f"  {violation}", highlight=False)
    if (
        isinstance(data, dict)
        and data.get("objective") is not None
        and mode == "exact"
        and data["objective"] != report.total_breaks
    ):
        out.print(
            f"  objective in file is {data['objective']} but the schedule has {report.total_breaks} breaks"
        )
        return 1
    return 0 if report.ok else 1
