"""Background tasks of core (django-tasks)."""

from django_tasks import task

from clusterxchange.core import mail


@task()
def deliver_emails(ids: list[int]) -> int:
    """Send the emails just queued (core.mail.send_after_commit); returns how many were sent."""
    return mail.deliver(ids)


@task()
def deliver_due_emails() -> int:
    """The periodic job `deliver-emails`: retry the emails whose next attempt is due."""
    return mail.deliver_due()
