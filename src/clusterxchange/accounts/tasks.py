"""Background tasks of accounts (django-tasks): they take ids, never objects."""

from django_tasks import task

from clusterxchange.accounts.models import InvitationBatch
from clusterxchange.core.jobs import fail_when_lost


@task()
def send_invitation_batch(batch_id: int) -> int:
    """Send the invitations of a file (accounts.invitations.send_batch); returns how many were sent."""
    from clusterxchange.accounts import invitations  # noqa: PLC0415 — cycle: invite_file enqueues this task

    return invitations.send_batch(batch_id).done


# A sending task that failed (an error, or its worker was killed and reaped): the batch shows the
# reason. The invitations sent before stay sent; starting the task again sends the rest.
fail_when_lost(send_invitation_batch, InvitationBatch)
