"""Background task of messaging (django-tasks): it takes ids, never objects."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished


@task()
def send_group_message(message_id: int) -> int:
    from clusterxchange.messaging import domain  # noqa: PLC0415 — cycle: the domain enqueues this task

    return domain.deliver_message(message_id)


@receiver(task_finished)
def sending_stopped(sender, task_result, **kwargs) -> None:
    """A sending task that failed (its worker was killed and reaped): start it again; the recipients
    already queued are skipped (domain.deliver_message)."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.func is not send_group_message.func:
        return
    from clusterxchange.messaging import domain  # noqa: PLC0415 — cycle: the domain enqueues this task

    errors = task_result.errors
    reason = errors[-1].traceback.strip().splitlines()[-1] if errors and errors[-1].traceback else ""
    message_id = task_result.args[0]
    domain.task_lost(message_id, reason, lambda: send_group_message.enqueue(message_id))
