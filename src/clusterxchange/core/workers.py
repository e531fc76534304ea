"""Task workers that say they are alive, run the periodic jobs, and reap the tasks of workers
that died.

`clusterxchange worker` runs django-tasks-db's worker loop with a heartbeat thread: every
`WORKER_HEARTBEAT_SECONDS` it updates its `WorkerHeartbeat` row (and the id of the task it is
running) and reaps; every `PERIODIC_CHECK_SECONDS` it queues the periodic jobs that are due
(`core.periodic`). A worker killed mid-task (SIGKILL, out of memory, power loss) cannot mark its
task failed; its task stays "running" in the queue. `reap` finds running tasks whose worker has
not been heard of for `WORKER_STALE_SECONDS` (or stopped), marks them failed with the reason and
sends django-tasks' `task_finished` signal, so that the app owning the task updates its own
records (a scheduling run shows "failed" and may be started again). The task's own writes were
in a transaction that the database rolled back when the connection dropped: the previous state
is intact. A failed task is restarted with `restart` (the admin's task list has the action).
"""

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from clusterxchange.core import audit, periodic
from clusterxchange.core.domain import require
from clusterxchange.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

LOST_EXCEPTION = "clusterxchange.core.workers.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped heartbeating (killed, crashed or its machine went away)."""


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 5))


def stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "WORKER_STALE_SECONDS", 60)))


def waits_for_a_worker() -> bool:
    """True when queued tasks can only run once a worker starts: tasks go through the database
    queue and no worker has been heard of lately (pages say so instead of showing "Queued" forever)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    recent = timezone.now() - stale_after()
    return not WorkerHeartbeat.objects.filter(stopped_at__isnull=True, last_seen__gte=recent).exists()


class HeartbeatWorker(Worker):
    """django-tasks-db's worker loop, plus a heartbeat thread that also reaps dead workers' tasks."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self._current_task = ""
        self._lock = threading.Lock()

    def beat(self) -> None:
        with self._lock:
            task_id = self._current_task
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_seen": timezone.now(), "task_id": task_id},
            create_defaults={
                "last_seen": timezone.now(),
                "task_id": task_id,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": ",".join(self.queue_names)[:200],
            },
        )

    def _heartbeat_loop(self) -> None:
        interval = heartbeat_seconds()
        next_job_look = time.monotonic()
        try:
            while not self._stop.wait(interval):
                try:
                    close_old_connections()
                    self.beat()
                    reap()
                    if time.monotonic() >= next_job_look:
                        next_job_look = time.monotonic() + periodic.check_interval()
                        periodic.enqueue_due()
                except Exception:  # a database outage must not kill the worker; it beats again later
                    logger.exception("Worker heartbeat failed")
                    connection.close()
        finally:
            connection.close()

    def run(self) -> None:
        reap()
        self.beat()
        thread = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=heartbeat_seconds() + 5)
            close_old_connections()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                stopped_at=timezone.now(), task_id="", stop_reason="stopped"
            )

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with self._lock:
            self._current_task = str(db_task_result.id)
        self.beat()
        try:
            super().run_task(db_task_result)
        finally:
            with self._lock:
                self._current_task = ""


@dataclass(frozen=True)
class Reaped:
    task_id: str
    task_path: str
    worker_id: str
    reason: str


def orphaned_tasks(now: datetime | None = None) -> list[tuple[DBTaskResult, WorkerHeartbeat]]:
    """Running tasks whose worker is gone (stale heartbeat, or stopped while the task ran)."""
    cutoff = (now or timezone.now()) - stale_after()
    running = list(DBTaskResult.objects.running())
    last_worker = {str(result.pk): result.worker_ids[-1] for result in running if result.worker_ids}
    workers = {
        worker.worker_id: worker
        for worker in WorkerHeartbeat.objects.filter(worker_id__in=set(last_worker.values())).filter(
            Q(stopped_at__isnull=False) | Q(last_seen__lt=cutoff)
        )
    }
    return [
        (result, workers[last_worker[str(result.pk)]])
        for result in running
        if last_worker.get(str(result.pk)) in workers
    ]


@retry()
def _fail(result_id, reason: str) -> DBTaskResult | None:
    with transaction.atomic():
        result = (
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(pk=result_id).running().first()
        )
        if result is None:
            return None
        result.status = "FAILED"
        result.finished_at = timezone.now()
        result.exception_class_path = LOST_EXCEPTION
        result.traceback = reason
        result.return_value = None
        result.save(
            update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
        )
        return result


def reap(now: datetime | None = None) -> list[Reaped]:
    """Mark the tasks of lost workers failed (with the reason) and tell the apps that own them."""
    now = now or timezone.now()
    # Workers that stopped heartbeating without stopping cleanly.
    WorkerHeartbeat.objects.filter(stopped_at__isnull=True, last_seen__lt=now - stale_after()).update(
        stopped_at=now, stop_reason="no heartbeat"
    )
    reaped = []
    for result, worker in orphaned_tasks(now):
        reason = _(
            "The worker %(worker)s on %(host)s (pid %(pid)s) stopped while running this task; "
            "last heard of at %(seen)s. The task was stopped and can be started again."
        ) % {
            "worker": worker.worker_id,
            "host": worker.hostname or "?",
            "pid": worker.pid or "?",
            "seen": worker.last_seen.isoformat(timespec="seconds"),
        }
        failed = _fail(result.pk, reason)
        if failed is None:
            continue
        reaped.append(Reaped(str(failed.pk), failed.task_path, worker.worker_id, reason))
        logger.warning("Reaped task %s (%s): %s", failed.pk, failed.task_path, reason)
        try:
            task_finished.send(sender=type(failed.task.get_backend()), task_result=failed.task_result)
        except Exception:  # a receiver's failure must not stop reaping the other tasks
            logger.exception("A receiver failed for the reaped task %s", failed.pk)
    return reaped


def restart(actor, result_id) -> DBTaskResult:
    """Queue a failed task again with the same arguments; returns the new queue entry."""
    require(actor, "core.restart_task")
    result = DBTaskResult.objects.get(pk=result_id)
    if result.status != "FAILED":
        raise ValueError(_("Only a failed task can be started again."))
    queued = result.task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    audit.record(actor, "core.task.restart", result, comment=f"{result.task_path} -> {queued.id}")
    return DBTaskResult.objects.get(pk=queued.id)
