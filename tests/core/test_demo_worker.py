"""The demo's task worker and the periodic jobs, with real `clusterxchange worker` processes on the
PostgreSQL test database: the demo's worker runs a queued scheduling run and the periodic jobs,
stops with the demo, and two workers started together queue each due run once."""

import time

import pytest
from benchmarks.events.scale import build_event
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from clusterxchange.core.management.commands.demo import DEMO_JOBS_OFF, start_worker, stop_worker
from clusterxchange.core.models import PeriodicJob
from clusterxchange.core.reference import load_reference_data
from clusterxchange.events import scheduling
from clusterxchange.events.models import SchedulingRun
from tests.workers import spawn_worker, wait_for, worker_environment

pytestmark = [
    pytest.mark.real_clock,  # the workers are other processes: they keep the real clock
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (several processes)"),
]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPIRY_TASK = "clusterxchange.events.tasks.expire_and_remind"


@override_settings(TASKS=DB_TASKS)
def test_the_demo_worker_schedules_runs_the_periodic_jobs_and_stops(tmp_path, monkeypatch):
    load_reference_data()
    for name, value in worker_environment(tmp_path, PERIODIC_CHECK_SECONDS="0.3").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PERIODIC_JOBS_OFF", raising=False)
    event, organiser, _users = build_event(60, 150, seed=5, suffix="demo")
    run = scheduling.start_run(organiser, event)

    with override_settings(DATA_DIR=tmp_path):
        worker = start_worker()
    try:
        done = wait_for(
            lambda: SchedulingRun.objects.filter(pk=run.pk, status=SchedulingRun.Status.DONE).first(),
            180,
            "the demo's worker to finish the scheduling run",
        )
        assert done.placed > 0
        expiry = wait_for(
            lambda: PeriodicJob.objects.filter(
                name="expire-meeting-requests", last_status="SUCCESSFUL"
            ).first(),
            60,
            "the periodic request expiry",
        )
        assert expiry.next_due_at > expiry.last_enqueued_at
        # The demo runs offline: the link check of the training catalogue is never set up.
        assert not PeriodicJob.objects.filter(name=DEMO_JOBS_OFF).exists()
    finally:
        stop_worker(worker)
    assert worker.poll() is not None
    assert (tmp_path / "worker.log").exists()


@override_settings(TASKS=DB_TASKS)
def test_two_workers_started_together_queue_a_due_run_once(tmp_path):
    workers = [
        spawn_worker(tmp_path, f"w{n}", PERIODIC_CHECK_SECONDS="0.3", PERIODIC_JOBS_OFF=DEMO_JOBS_OFF)
        for n in (1, 2)
    ]
    try:
        wait_for(
            lambda: DBTaskResult.objects.filter(task_path=EXPIRY_TASK, status="SUCCESSFUL").exists(),
            120,
            "the first run of the request expiry",
        )
        time.sleep(3)  # ten more looks of each worker at the job table
    finally:
        for worker in workers:
            stop_worker(worker)
    assert DBTaskResult.objects.filter(task_path=EXPIRY_TASK).count() == 1
    assert PeriodicJob.objects.get(name="expire-meeting-requests").last_status == "SUCCESSFUL"
