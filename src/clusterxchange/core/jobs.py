"""Long work done by a background task, with its progress on its page and in the API.

A job is a row of a model built on `core.models.Job` (the invitations of a file,
`accounts.InvitationBatch`; an event's import, `events.ParticipantImport`): the action that starts it
creates the row and enqueues its task after the commit; the task calls `start`, reports how far it
got, and `finish`es; its page polls `templates/includes/job_progress.html` until it is finished, and
the API reads the same row. `fail_when_lost` marks the job failed, with the reason, when its task
fails outside it (an error, or its worker killed and reaped); `fail_never_started` marks it failed
when no task ever started it (its task was lost before a worker took it up: the process died between
the commit and the enqueue, or the queue entry was deleted), so that it does not stay "queued", with
its rows, forever.

How far it got: work that commits as it goes (invitations, chunk by chunk) adds to the row's `done`
(`advance`); work that must write all or nothing runs in one transaction, where its row cannot change
for other readers before the commit, so it `report`s its count to the `jobs` cache (a shared one,
Redis, where REDIS_URL is set; otherwise a folder of the data directory, shared by the processes of
one machine), which the row's `progress` reads while the job runs.
"""

from django.core.cache import caches
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

LIVE_SECONDS = 24 * 3600  # a live count outlives any job


def _key(job) -> str:
    return f"job:{job._meta.label_lower}:{job.pk}"


def report(job, done: int) -> None:
    """The count of a job that writes in one transaction, readable by others at once."""
    caches["jobs"].set(_key(job), done, LIVE_SECONDS)


def live_done(job) -> int | None:
    """The count `report`ed for a running job, if any."""
    return caches["jobs"].get(_key(job))


def start(model, pk: int) -> bool:
    """Mark a queued job running; False when it is no longer queued (done, failed, or taken)."""
    return bool(model.objects.filter(pk=pk, status=model.Status.QUEUED).update(status=model.Status.RUNNING))


def advance(model, pk: int, count: int) -> None:
    """`count` more items done, committed with the work they belong to."""
    model.objects.filter(pk=pk).update(done=F("done") + count)


def finish(job, status: str, message: str = "", **fields) -> None:
    """Record the end of `job` (DONE or FAILED) with `fields` and forget its live count."""
    job.status, job.message, job.finished_at = status, message, timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "message", "finished_at", *fields])
    caches["jobs"].delete(_key(job))


def fail_when_lost(task, model, **cleared) -> None:
    """When `task` (its first argument the job's id) fails outside its own code, its job of `model`
    shows the reason and stops, its fields `cleared` set (e.g. the input it no longer needs). What it
    committed before stays. The model's `INPUT_FIELDS` are always cleared."""
    cleared = {**input_cleared(model), **cleared}

    @receiver(task_finished, weak=False, dispatch_uid=f"job-lost:{model._meta.label_lower}")
    def job_lost(sender, task_result, **kwargs) -> None:
        if task_result.status != TaskResultStatus.FAILED or task_result.task.func is not task.func:
            return
        errors = task_result.errors
        reason = errors[-1].traceback.strip().splitlines()[-1] if errors and errors[-1].traceback else ""
        model.objects.filter(
            pk=task_result.args[0], status__in=[model.Status.QUEUED, model.Status.RUNNING]
        ).update(status=model.Status.FAILED, finished_at=timezone.now(), message=reason[:2000], **cleared)
        caches["jobs"].delete(f"job:{model._meta.label_lower}:{task_result.args[0]}")


def input_cleared(model) -> dict:
    """The `INPUT_FIELDS` of `model` (a `core.models.Job`; none for other models) set to their
    defaults: what a failed job no longer needs."""
    names = getattr(model, "INPUT_FIELDS", ())
    return {name: model._meta.get_field(name).get_default() for name in names}


def fail_never_started(model, queued_before, reason) -> int:
    """Mark failed the jobs of `model` still queued since before `queued_before` (no task started
    them), with the message `reason(job)`, their `INPUT_FIELDS` cleared; returns how many. A task
    that turns up later does what a restarted one does: an import finds its job no longer queued
    (`start` is False) and does nothing; a file of invitations sends those not sent yet."""
    failed = 0
    stuck = model.objects.filter(status=model.Status.QUEUED, created_at__lt=queued_before)
    for job in stuck.select_related("created_by").order_by("pk"):
        failed += model.objects.filter(pk=job.pk, status=model.Status.QUEUED).update(
            status=model.Status.FAILED,
            finished_at=timezone.now(),
            message=reason(job),
            **input_cleared(model),
        )
    return failed


def purge_details(model, finished_before) -> int:
    """Empty the `DETAIL_FIELDS` of the jobs of `model` finished before `finished_before` (their
    counts, status and dates stay); returns how many jobs lost them."""
    cleared = {name: model._meta.get_field(name).get_default() for name in model.DETAIL_FIELDS}
    return model.objects.filter(
        status__in=[model.Status.DONE, model.Status.FAILED],
        finished_at__lt=finished_before,
        details_purged_at__isnull=True,
    ).update(details_purged_at=timezone.now(), **cleared)
