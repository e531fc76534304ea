"""Background tasks of accounts (django-tasks): they take ids, never objects."""

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from clusterxchange.accounts.models import InvitationBatch


@task()
def send_invitation_batch(batch_id: int) -> int:
    """Send the invitations of a file (accounts.invitations.send_batch); returns how many were sent."""
    from clusterxchange.accounts import invitations  # noqa: PLC0415 — cycle: invite_file enqueues this task

    return invitations.send_batch(batch_id).sent


@receiver(task_finished)
def invitation_task_failed(sender, task_result, **kwargs) -> None:
    """A sending task that failed (an error, or its worker was killed and reaped): the batch shows the
    reason. The invitations sent before stay sent; starting the task again sends the rest."""
    if (
        task_result.status != TaskResultStatus.FAILED
        or task_result.task.func is not send_invitation_batch.func
    ):
        return
    errors = task_result.errors
    reason = errors[-1].traceback.strip().splitlines()[-1] if errors and errors[-1].traceback else ""
    InvitationBatch.objects.filter(
        pk=task_result.args[0], status__in=[InvitationBatch.Status.QUEUED, InvitationBatch.Status.SENDING]
    ).update(status=InvitationBatch.Status.FAILED, finished_at=timezone.now(), message=reason[:2000])
