"""Periodic jobs that the task workers run by themselves: no cron, no systemd timer.

Each job in `settings.PERIODIC_JOBS` is a django-tasks task with an interval. Every worker looks
at the job table every `PERIODIC_CHECK_SECONDS` (from its heartbeat thread). A due run is claimed
with one conditional UPDATE (`next_due_at` still the value the worker read → the next due time),
which exactly one worker can win however many run, and its task is enqueued in the same
transaction: a worker that dies between the claim and the enqueue leaves neither, so the run stays
due. Runs missed while no worker ran collapse into one.

`clusterxchange check --ops` lists each job's last and next run and fails when one is overdue.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.signals import task_finished

from clusterxchange.core.models import PeriodicJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    name: str
    task_path: str
    every: timedelta
    first_run_after: bool = False


def configured_jobs() -> list[JobSpec]:
    """The jobs of the settings, without those switched off by PERIODIC_JOBS_OFF."""
    switched_off = {name.strip() for name in settings.PERIODIC_JOBS_OFF}
    return [
        JobSpec(
            name=name,
            task_path=spec["task"],
            every=timedelta(seconds=int(spec["every"])),
            first_run_after=bool(spec.get("first_run_after", False)),
        )
        for name, spec in settings.PERIODIC_JOBS.items()
        if name not in switched_off
    ]


def check_interval() -> float:
    return float(getattr(settings, "PERIODIC_CHECK_SECONDS", 30))


def overdue_after() -> timedelta:
    """How late a run may be before monitoring calls it overdue: one look of every worker plus the
    time after which a silent worker counts as dead."""
    return timedelta(seconds=check_interval() + float(getattr(settings, "WORKER_STALE_SECONDS", 60)))


def sync_jobs(now: datetime | None = None) -> dict[str, PeriodicJob]:
    """Create the rows of new jobs and follow changed tasks or intervals; returns the live jobs."""
    now = now or timezone.now()
    rows = {job.name: job for job in PeriodicJob.objects.all()}
    live = {}
    for spec in configured_jobs():
        row = rows.get(spec.name)
        seconds = int(spec.every.total_seconds())
        if row is None:
            first_due = now + spec.every if spec.first_run_after else now
            row, _created = PeriodicJob.objects.get_or_create(
                name=spec.name,
                defaults={"task_path": spec.task_path, "every_seconds": seconds, "next_due_at": first_due},
            )
        if (row.task_path, row.every_seconds) != (spec.task_path, seconds):
            PeriodicJob.objects.filter(pk=row.pk).update(task_path=spec.task_path, every_seconds=seconds)
            row.task_path, row.every_seconds = spec.task_path, seconds
        live[spec.name] = row
    return live


def next_due(job: PeriodicJob, now: datetime) -> datetime:
    following = job.next_due_at + timedelta(seconds=job.every_seconds)
    return following if following > now else now + timedelta(seconds=job.every_seconds)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every due job once; returns the names this caller queued (other workers may have
    claimed the rest)."""
    now = now or timezone.now()
    queued = []
    for job in sync_jobs(now).values():
        if job.next_due_at > now:
            continue
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(pk=job.pk, next_due_at=job.next_due_at).update(
                next_due_at=next_due(job, now), last_enqueued_at=now
            )
            if not claimed:
                continue  # another worker won this run
            result = import_string(job.task_path).enqueue()
            if not result.is_finished:  # a task backend that runs tasks at once has finished it
                PeriodicJob.objects.filter(pk=job.pk).update(
                    last_task_id=str(result.id), last_status="QUEUED", last_message=""
                )
            else:
                PeriodicJob.objects.filter(pk=job.pk).update(last_task_id=str(result.id))
                record_job_outcome(sender=None, task_result=result)
        logger.info("Periodic job %s queued (task %s)", job.name, result.id)
        queued.append(job.name)
    return queued


@dataclass(frozen=True)
class JobState:
    name: str
    last_enqueued_at: datetime | None
    last_finished_at: datetime | None
    last_status: str
    last_message: str
    next_due_at: datetime | None
    overdue: bool


def job_states(now: datetime | None = None) -> list[JobState]:
    """Each configured job's last and next run, for monitoring (a job no worker has seen yet has
    no row: it is due since the first worker could have started it)."""
    now = now or timezone.now()
    rows = {job.name: job for job in PeriodicJob.objects.all()}
    states = []
    for spec in configured_jobs():
        row = rows.get(spec.name)
        if row is None:
            states.append(JobState(spec.name, None, None, "", "", None, overdue=False))
            continue
        states.append(
            JobState(
                name=spec.name,
                last_enqueued_at=row.last_enqueued_at,
                last_finished_at=row.last_finished_at,
                last_status=row.last_status,
                last_message=row.last_message,
                next_due_at=row.next_due_at,
                overdue=row.next_due_at < now - overdue_after(),
            )
        )
    return states


@receiver(task_finished)
def record_job_outcome(sender, task_result, **kwargs) -> None:
    """Keep the outcome of a job's last run beside the job (shown by `check --ops`)."""
    errors = task_result.errors
    message = ""
    if errors and errors[-1].traceback:
        message = errors[-1].traceback.strip().splitlines()[-1][:2000]
    PeriodicJob.objects.filter(last_task_id=str(task_result.id)).update(
        last_finished_at=task_result.finished_at or timezone.now(),
        last_status=str(task_result.status),
        last_message=message,
    )
