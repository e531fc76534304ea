"""Background tasks of events (django-tasks): they take ids, never objects."""

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from clusterxchange.events.domain.matchmaking import expire_requests, remind_pending
from clusterxchange.events.models import SchedulingRun


@task()
def run_scheduler(run_id: int) -> int:
    from clusterxchange.events import scheduling  # noqa: PLC0415 — cycle: scheduling enqueues this task

    run = scheduling.run(run_id)
    return run.placed


@task()
def expire_and_remind() -> int:
    return expire_requests() + remind_pending()


@receiver(task_finished)
def scheduler_task_failed(sender, task_result, **kwargs) -> None:
    """A scheduler task that failed outside `scheduling.run` (its worker was killed and reaped):
    the run shows the reason and stops blocking a new run. Its meetings were never changed, since
    the placements are written in one transaction at the end."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.func is not run_scheduler.func:
        return
    errors = task_result.errors
    reason = errors[-1].traceback.strip().splitlines()[-1] if errors and errors[-1].traceback else ""
    SchedulingRun.objects.filter(
        pk=task_result.args[0], status__in=[SchedulingRun.Status.QUEUED, SchedulingRun.Status.RUNNING]
    ).update(status=SchedulingRun.Status.FAILED, finished_at=timezone.now(), message=reason[:2000])
