"""The heartbeat, the reaper and restarting a failed task (in-process; the real SIGKILL of a worker
subprocess is in test_worker_faults.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clusterxchange.core import workers
from clusterxchange.core.models import AuditEntry, WorkerHeartbeat
from clusterxchange.events.models import SchedulingRun
from tests.events.conftest import make_event

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def running_task(task_path: str, args: list, worker_id: str, started_minutes_ago: int = 5) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": args, "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        queue_name="default",
        worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
    )


def heartbeat(worker_id: str, seconds_ago: float, **fields) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="app1",
        pid=4242,
        last_seen=timezone.now() - timedelta(seconds=seconds_ago),
        **fields,
    )


@override_settings(TASKS=DB_TASKS, WORKER_STALE_SECONDS=60)
def test_reaper_fails_the_task_of_a_silent_worker_and_its_scheduling_run(world):
    event = make_event(world)
    run = SchedulingRun.objects.create(event=event, status=SchedulingRun.Status.RUNNING, progress=40)
    heartbeat("dead", seconds_ago=120, task_id="x")
    heartbeat("alive", seconds_ago=2)
    lost = running_task("clusterxchange.events.tasks.run_scheduler", [run.pk], "dead")
    busy = running_task("clusterxchange.events.tasks.run_scheduler", [run.pk + 1000], "alive")

    reaped = workers.reap()

    assert [r.task_id for r in reaped] == [str(lost.pk)]
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == workers.LOST_EXCEPTION
    assert "dead on app1 (pid 4242) stopped while running this task" in lost.traceback
    assert busy.status == "RUNNING"
    run.refresh_from_db()
    assert run.status == SchedulingRun.Status.FAILED
    assert "stopped while running this task" in run.message
    assert run.finished_at is not None
    dead = WorkerHeartbeat.objects.get(worker_id="dead")
    assert dead.stopped_at is not None and dead.stop_reason == "no heartbeat"
    assert WorkerHeartbeat.objects.get(worker_id="alive").stopped_at is None
    assert workers.reap() == []  # nothing twice


@override_settings(TASKS=DB_TASKS)
def test_a_task_of_a_cleanly_stopped_worker_is_reaped_and_unknown_workers_are_left_alone(world):
    heartbeat("stopped", seconds_ago=1, stopped_at=timezone.now())
    orphan = running_task("clusterxchange.events.tasks.expire_and_remind", [], "stopped")
    foreign = running_task("clusterxchange.events.tasks.expire_and_remind", [], "plain-db-worker")
    assert [r.task_id for r in workers.reap()] == [str(orphan.pk)]
    foreign.refresh_from_db()
    assert foreign.status == "RUNNING"  # a worker without heartbeats is never presumed dead


@override_settings(TASKS=DB_TASKS)
def test_restart_queues_a_failed_task_again_for_coordinators_only(world):
    heartbeat("dead", seconds_ago=600)
    lost = running_task("clusterxchange.events.tasks.expire_and_remind", [], "dead")
    workers.reap()
    for role in ("manager", "owner", "outsider"):
        with pytest.raises(PermissionDenied):
            workers.restart(world.users[role], lost.pk)
    again = workers.restart(world.users["coordinator"], lost.pk)
    assert again.pk != lost.pk
    assert again.status == "READY"
    assert again.task_path == lost.task_path
    assert AuditEntry.objects.filter(action="core.task.restart", object_id=str(lost.pk)).exists()
    with pytest.raises(ValueError, match="Only a failed task"):
        workers.restart(world.users["coordinator"], again.pk)


@override_settings(TASKS=DB_TASKS)
def test_admin_restart_action(world):
    heartbeat("dead", seconds_ago=600)
    lost = running_task("clusterxchange.events.tasks.expire_and_remind", [], "dead")
    workers.reap()
    world.users["coordinator"].is_superuser = True
    world.users["coordinator"].save()
    client = world.client("coordinator")
    response = client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "restart_tasks", "_selected_action": [str(lost.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert DBTaskResult.objects.filter(task_path=lost.task_path, status="READY").count() == 1


@override_settings(TASKS=DB_TASKS, WORKER_HEARTBEAT_SECONDS=0.05)
# Transactional: the worker loop calls close_old_connections(), which inside the test's atomic block
# closes PostgreSQL's connection under the test ("the connection is closed").
@pytest.mark.django_db(transaction=True)
def test_worker_beats_runs_a_task_and_records_a_clean_stop(request):
    from clusterxchange.core.reference import load_reference_data
    from clusterxchange.events.tasks import expire_and_remind

    load_reference_data()  # an earlier transactional test flushed the data migrations' rows
    request.getfixturevalue("world")

    queued = expire_and_remind.enqueue()
    worker = workers.HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="batch-1",
        excluded_queue_names=[],
    )
    worker.run()
    # The heartbeat also queues the periodic jobs that are due, so the table may hold more rows than ours.
    assert DBTaskResult.objects.get(id=queued.id).status == "SUCCESSFUL"
    beat = WorkerHeartbeat.objects.get(worker_id="batch-1")
    assert beat.stopped_at is not None and beat.stop_reason == "stopped" and beat.task_id == ""
    assert beat.pid and beat.queues == "default"
