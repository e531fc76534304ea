"""Periodic jobs run by the task workers themselves: each due run queued exactly once, missed runs
collapsed, outcomes recorded, overdue jobs reported by `clusterxchange check --ops`."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clusterxchange.core import periodic
from clusterxchange.core.models import PeriodicJob
from clusterxchange.core.operations import ERROR, OK, WARNING, probe_periodic_jobs

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.get_fixed_timezone(60))
JOBS = {
    "hourly": {"task": "clusterxchange.events.tasks.expire_and_remind", "every": 3600},
    "weekly": {
        "task": "clusterxchange.privacy.tasks.purge_evidence",
        "every": 7 * 24 * 3600,
        "first_run_after": True,
    },
}


def queued(task_path: str) -> int:
    return DBTaskResult.objects.filter(task_path=task_path).count()


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[])
def test_a_due_job_is_queued_once_and_a_new_weekly_job_waits_one_interval():
    assert periodic.enqueue_due(T0) == ["hourly"]
    assert periodic.enqueue_due(T0) == []  # a second worker looking at the same time
    assert periodic.enqueue_due(T0 + timedelta(minutes=59)) == []
    assert queued(JOBS["hourly"]["task"]) == 1
    hourly = PeriodicJob.objects.get(name="hourly")
    assert hourly.next_due_at == T0 + timedelta(hours=1)
    assert hourly.last_status == "QUEUED" and hourly.last_task_id
    assert PeriodicJob.objects.get(name="weekly").next_due_at == T0 + timedelta(days=7)

    assert periodic.enqueue_due(T0 + timedelta(hours=1)) == ["hourly"]
    assert queued(JOBS["hourly"]["task"]) == 2


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[])
def test_a_worker_holding_an_old_view_of_the_job_cannot_queue_the_same_run_again():
    periodic.sync_jobs(T0)
    stale_view = PeriodicJob.objects.get(name="hourly")
    assert periodic.enqueue_due(T0) == ["hourly"]
    # The losing worker's conditional update finds the row already moved on.
    claimed = PeriodicJob.objects.filter(pk=stale_view.pk, next_due_at=stale_view.next_due_at).update(
        next_due_at=periodic.next_due(stale_view, T0)
    )
    assert claimed == 0
    assert queued(JOBS["hourly"]["task"]) == 1


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[])
def test_runs_missed_while_no_worker_ran_collapse_into_one():
    periodic.enqueue_due(T0)
    assert periodic.enqueue_due(T0 + timedelta(hours=5, minutes=30)) == ["hourly"]
    assert queued(JOBS["hourly"]["task"]) == 2
    assert PeriodicJob.objects.get(name="hourly").next_due_at == T0 + timedelta(hours=6, minutes=30)


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=["hourly"])
def test_a_job_switched_off_is_never_queued():
    periodic.sync_jobs(T0)
    assert periodic.enqueue_due(T0 + timedelta(days=30)) == ["weekly"]
    assert queued(JOBS["hourly"]["task"]) == 0


@override_settings(PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[])
def test_the_outcome_of_a_run_is_kept_beside_the_job():
    # The immediate backend runs the task while it is queued: the receiver records the outcome.
    periodic.enqueue_due(timezone.now())
    hourly = PeriodicJob.objects.get(name="hourly")
    assert hourly.last_status == "SUCCESSFUL"
    assert hourly.last_finished_at is not None


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[], WORKER_STALE_SECONDS=60)
def test_check_ops_lists_the_jobs_and_fails_when_one_is_overdue():
    now = timezone.now()
    periodic.enqueue_due(now)
    probe = probe_periodic_jobs()
    assert probe.status == OK
    assert probe.figures["hourly"]["next_run"] is not None
    assert probe.figures["hourly"]["last_status"] == "QUEUED"

    PeriodicJob.objects.filter(name="hourly").update(next_due_at=now - timedelta(minutes=10))
    probe = probe_periodic_jobs()
    assert probe.status == ERROR
    assert "hourly" in probe.message and "weekly" not in probe.message
    out = StringIO()
    with pytest.raises(SystemCheckError, match="periodic jobs overdue"):
        call_command("check", "--ops", stdout=out)
    assert "hourly" in out.getvalue() and "OVERDUE" in out.getvalue()


@override_settings(TASKS=DB_TASKS, PERIODIC_JOBS=JOBS, PERIODIC_JOBS_OFF=[])
def test_a_failed_last_run_is_a_warning():
    periodic.enqueue_due(timezone.now())
    PeriodicJob.objects.filter(name="hourly").update(last_status="FAILED", last_message="SMTP down")
    probe = probe_periodic_jobs()
    assert probe.status == WARNING
    assert probe.figures["hourly"]["last_message"] == "SMTP down"
