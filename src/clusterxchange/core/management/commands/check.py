"""Django's `check`, plus the operational probes for monitoring (`--ops`, `--json`).

`clusterxchange check [--deploy]` behaves exactly like Django's command (configuration only).
`clusterxchange check --ops` also checks that the database is reachable, migrations are applied, a
task worker is heartbeating and the data/media folders have disk space left. `--json` prints one
JSON document (for a monitoring system) and implies `--ops`. The exit status is non-zero when a
message reaches `--fail-level` (default ERROR).
"""

import json
import sys

from django.core import checks
from django.core.management.commands.check import Command as DjangoCheck
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils import timezone

from clusterxchange.core.operations import (
    ERROR,
    OK,
    WARNING,
    check_messages,
    probe_all,
    probe_periodic_jobs,
    requested,
)


class Command(DjangoCheck):
    help = (
        "Check the configuration (Django's system checks); with --ops also the database, migrations, "
        "task workers' heartbeat and disk space; --json for monitoring. Non-zero exit on problems."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--ops", action="store_true", help="Also check database, migrations, workers and disk."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON report (implies --ops).")

    def handle(self, *app_labels, **options):
        if options["ops"] or options["json"]:
            options["databases"] = options["databases"] or [DEFAULT_DB_ALIAS]
        if options["json"]:
            return self.handle_json(options)
        if options["ops"]:
            self.print_periodic_jobs()
        token = requested.set(options["ops"])
        try:
            return super().handle(*app_labels, **options)
        finally:
            requested.reset(token)

    def print_periodic_jobs(self) -> None:
        try:
            probe = probe_periodic_jobs()
        except DatabaseError:  # the database probe reports it below
            return
        self.stdout.write(f"Periodic jobs: {probe.message}")
        for name, job in probe.figures.items():
            outcome = job["last_status"] or "never run"
            late = "  OVERDUE" if job["overdue"] else ""
            self.stdout.write(
                f"  {name:<26} last {job['last_run'] or '—':<25} {outcome:<10} "
                f"next {job['next_run'] or 'when a worker starts'}{late}"
            )

    def handle_json(self, options):
        # The system checks without the operational ones (`requested` stays off): the probes run
        # once, here, for both the report and the exit status.
        messages = checks.run_checks(
            include_deployment_checks=options["deploy"],
            tags=options["tags"],
            databases=options["databases"],
        )
        measured = probe_all(options["databases"][0])
        fail_level = getattr(checks, options["fail_level"])
        failed = any(
            message.level >= fail_level and not message.is_silenced()
            for message in [*messages, *check_messages(measured)]
        )
        system = [
            {
                "id": message.id,
                "level": _level_name(message.level),
                "message": str(message.msg),
                "hint": str(message.hint or ""),
                "object": str(message.obj or ""),
            }
            for message in messages
            if not message.is_silenced()
        ]
        probes = [probe.as_dict() for probe in measured]
        status = OK
        if any(p["status"] == WARNING for p in probes) or any(m["level"] == "WARNING" for m in system):
            status = WARNING
        if any(p["status"] == ERROR for p in probes) or any(
            m["level"] in {"ERROR", "CRITICAL"} for m in system
        ):
            status = ERROR
        report = {
            "status": status,
            "checked_at": timezone.now().isoformat(timespec="seconds"),
            "probes": probes,
            "system_checks": system,
        }
        self.stdout.write(json.dumps(report, indent=2, default=str))
        if failed:
            sys.exit(1)


def _level_name(level: int) -> str:
    for name in ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"):
        if level >= getattr(checks, name):
            return name
    return "DEBUG"
