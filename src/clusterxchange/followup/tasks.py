"""Periodic jobs of reminders and follow-up (settings.PERIODIC_JOBS): they take no arguments."""

from django_tasks import task

from clusterxchange.followup import domain, reminders


@task()
def send_reminders() -> int:
    return reminders.send_all()


@task()
def send_meeting_reminders() -> int:
    return reminders.remind_meetings_soon()


@task()
def send_follow_ups() -> int:
    return domain.send_all()
