"""Operational probes for monitoring: database, migrations, task workers, periodic jobs, disk space.

`probe_all()` returns one `Probe` per concern (also the healthy ones, for `check --json`);
`operational_checks` turns the failing ones into Django system-check messages, only when
`clusterxchange check --ops` (or `--json`) asks: `migrate`, `runserver` and plain `check` run the
registered database checks too, and must not refuse to work because no task worker is running.
"""

import os
import shutil
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clusterxchange.core.models import OutgoingEmail, WorkerHeartbeat
from clusterxchange.core.periodic import job_states
from clusterxchange.core.workers import orphaned_tasks, stale_after

OK, WARNING, ERROR = "ok", "warning", "error"
requested: ContextVar[bool] = ContextVar("operational_checks_requested", default=False)


@dataclass
class Probe:
    name: str
    status: str
    message: str
    figures: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _min_free_bytes() -> int:
    return int(getattr(settings, "CHECK_MIN_FREE_MB", 1024)) * 1024 * 1024


def probe_database(alias: str = DEFAULT_DB_ALIAS) -> Probe:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Probe("database", ERROR, f"The database is unreachable: {error}".strip())
    return Probe("database", OK, f"{connection.vendor} reachable", {"vendor": connection.vendor})


def probe_migrations(alias: str = DEFAULT_DB_ALIAS) -> Probe:
    connection = connections[alias]
    loader = MigrationExecutor(connection).loader
    missing = sorted(
        set(loader.graph.nodes) - set(loader.applied_migrations)
    )  # also a gap before an applied one
    if missing:
        names = [f"{app}.{name}" for app, name in missing]
        return Probe(
            "migrations",
            ERROR,
            f"{len(names)} migrations not applied (run `clusterxchange migrate`): {', '.join(names[:10])}",
            {"unapplied": len(names)},
        )
    return Probe("migrations", OK, "all applied", {"unapplied": 0})


def probe_workers() -> Probe:

    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return Probe("workers", OK, f"tasks run by {backend}, no worker needed")

    now = timezone.now()
    alive = WorkerHeartbeat.objects.filter(stopped_at__isnull=True, last_seen__gte=now - stale_after())
    latest = WorkerHeartbeat.objects.order_by("-last_seen").first()
    oldest_ready = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    figures = {
        "alive": alive.count(),
        "last_seen": latest.last_seen.isoformat() if latest else None,
        "queued": DBTaskResult.objects.ready().count(),
        "oldest_queued_seconds": int((now - oldest_ready.enqueued_at).total_seconds()) if oldest_ready else 0,
    }
    orphans = orphaned_tasks(now)
    if orphans:
        figures["orphaned"] = len(orphans)
        return Probe(
            "workers",
            ERROR,
            f"{len(orphans)} running tasks belong to workers that stopped heartbeating "
            "(a live worker marks them failed within a minute)",
            figures,
        )
    if not figures["alive"]:
        seen = f"; last heartbeat {figures['last_seen']}" if latest else "; none ever seen"
        return Probe("workers", ERROR, f"no task worker alive (run `clusterxchange worker`){seen}", figures)
    if oldest_ready and now - oldest_ready.enqueued_at > timedelta(minutes=10):
        return Probe(
            "workers",
            WARNING,
            f"{figures['queued']} tasks queued, the oldest for {figures['oldest_queued_seconds']} s",
            figures,
        )
    return Probe(
        "workers", OK, f"{figures['alive']} workers alive, {figures['queued']} tasks queued", figures
    )


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def probe_periodic_jobs() -> Probe:
    """Each periodic job's last and next run; an error when a run is overdue (no worker took it)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return Probe("periodic", OK, f"tasks run by {backend}: periodic jobs need `clusterxchange worker`")
    states = job_states()
    figures = {
        state.name: {
            "last_run": _when(state.last_enqueued_at),
            "last_finished": _when(state.last_finished_at),
            "last_status": state.last_status or None,
            "last_message": state.last_message or None,
            "next_run": _when(state.next_due_at),
            "overdue": state.overdue,
        }
        for state in states
    }
    overdue = [state.name for state in states if state.overdue]
    if overdue:
        return Probe(
            "periodic",
            ERROR,
            f"periodic jobs overdue (is a `clusterxchange worker` running?): {', '.join(overdue)}",
            figures,
        )
    failed = [state.name for state in states if state.last_status == "FAILED"]
    if failed:
        return Probe("periodic", WARNING, f"the last run failed: {', '.join(failed)}", figures)
    return Probe("periodic", OK, f"{len(states)} periodic jobs on schedule", figures)


def probe_mail() -> Probe:
    """Emails waiting for a retry, and those that finally failed in the last week."""
    now = timezone.now()
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    failed = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.FAILED, created_at__gte=now - timedelta(days=7)
    )
    figures = {"queued": waiting.count(), "failed_last_7_days": failed.count()}
    latest = failed.order_by("-created_at").first()
    if latest:
        figures["last_failure"] = f"{latest.recipient}: {latest.last_error}"
        return Probe(
            "mail",
            WARNING,
            f"{figures['failed_last_7_days']} emails failed in the last 7 days (last: {latest.last_error})",
            figures,
        )
    retrying = waiting.filter(attempts__gt=0).count()
    if retrying:
        return Probe("mail", WARNING, f"{retrying} emails wait for a retry (mail server down?)", figures)
    return Probe("mail", OK, f"{figures['queued']} emails queued", figures)


def probe_disk() -> Probe:
    folders = {"data": Path(settings.DATA_DIR), "media": Path(settings.MEDIA_ROOT)}
    figures, problems, warnings = {}, [], []
    limit = _min_free_bytes()
    for name, folder in folders.items():
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        usage = shutil.disk_usage(existing)
        figures[name] = {"path": str(folder), "free_bytes": usage.free, "total_bytes": usage.total}
        free_mb = usage.free // (1024 * 1024)
        if usage.free < limit:
            problems.append(f"{name} ({folder}): {free_mb} MB free, below {limit // (1024 * 1024)} MB")
        elif usage.free < 2 * limit:
            warnings.append(f"{name} ({folder}): {free_mb} MB free")
        if folder.exists() and not os.access(folder, os.W_OK):
            problems.append(f"{name} folder {folder} is not writable")
        figures[name]["exists"] = folder.exists()
    if problems:
        return Probe("disk", ERROR, "; ".join(problems), figures)
    if warnings:
        return Probe("disk", WARNING, "low disk space: " + "; ".join(warnings), figures)
    return Probe("disk", OK, "enough free space", figures)


def probe_all(alias: str = DEFAULT_DB_ALIAS) -> list[Probe]:
    database = probe_database(alias)
    probes = [database]
    if database.status == OK:
        probes.append(probe_migrations(alias))
        migrated = probes[-1].status == OK
        probes.append(
            probe_workers() if migrated else Probe("workers", ERROR, "not checked: migrations missing")
        )
        probes.append(
            probe_periodic_jobs() if migrated else Probe("periodic", ERROR, "not checked: migrations missing")
        )
    probes.append(probe_disk())
    return probes


MESSAGE_IDS = {
    "database": "cx.E001",
    "migrations": "cx.E002",
    "workers": "cx.E003",
    "disk": "cx.E004",
    "periodic": "cx.E005",
    "mail": "cx.E006",
}


def check_messages(probes: list[Probe]) -> list[checks.CheckMessage]:
    """The failing probes as system-check messages (cx.E00n, or cx.W00n for a warning)."""
    messages = []
    for probe in probes:
        if probe.status == OK:
            continue
        kind = checks.Error if probe.status == ERROR else checks.Warning
        message_id = MESSAGE_IDS[probe.name]
        if probe.status == WARNING:
            message_id = message_id.replace(".E", ".W")
        messages.append(kind(f"{probe.name}: {probe.message}", id=message_id))
    return messages


@checks.register(checks.Tags.database, "operations")
def operational_checks(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not requested.get():
        return []
    return [message for alias in databases or [] for message in check_messages(probe_all(alias))]
