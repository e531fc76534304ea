"""A background task killed mid-run leaves the previous state intact, and is failed and restartable.

Real processes: `clusterxchange worker` subprocesses on the PostgreSQL test database, killed with
SIGKILL while they are inside the task's write transaction. To kill at a known point, the test
holds a row lock (a meeting row; an uncommitted organisation with the slug of a row of the import)
in another connection: the worker blocks on it half-way through its writes, PostgreSQL shows it
waiting, and the test kills it there. A second worker reaps the task (failed, with the reason),
then runs the restarted task to completion.
"""

import random
import signal
import threading

import pytest
from benchmarks.events.scale import build_event
from django.db import connection, transaction
from django.test import override_settings

from clusterxchange.core import workers
from clusterxchange.core.management.commands.demo import stop_worker
from clusterxchange.core.reference import load_reference_data
from clusterxchange.directory.models import Organisation
from clusterxchange.directory.tasks import import_table
from clusterxchange.events import scheduling
from clusterxchange.events.domain import timetable
from clusterxchange.events.models import Meeting, MeetingRequest, SchedulingRun
from tests.workers import spawn_worker, wait_for

pytestmark = [
    pytest.mark.real_clock,  # the workers are other processes: they keep the real clock
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, processes)"),
]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
STALE = 2  # seconds without a heartbeat before a worker counts as dead (in the test and the workers)


class Holder:
    """Runs `grab` in its own thread (own connection) inside a transaction kept open until `release`."""

    def __init__(self, grab) -> None:
        self.ready, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, args=(grab,), daemon=True)
        self.thread.start()
        assert self.ready.wait(30)

    def _run(self, grab) -> None:
        try:
            with transaction.atomic():
                grab()
                self.ready.set()
                self.done.wait(300)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def release(self) -> None:
        self.done.set()
        self.thread.join(30)


def blocked_writer(table: str) -> tuple[int, str] | None:
    """(pid, xid) of a backend waiting for a lock while writing to `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid::text FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query ILIKE %s",
            [f'%"{table}"%'],
        )
        return cursor.fetchone()


def add_meetings(event, count: int, seed: int = 3) -> list[Meeting]:
    registrations = list(event.registrations.order_by("pk"))
    taken = {frozenset((m.first_id, m.second_id)) for m in event.meetings.all()}
    rng, added = random.Random(seed), []
    while len(added) < count:
        a, b = rng.sample(registrations, 2)
        if frozenset((a.pk, b.pk)) in taken:
            continue
        taken.add(frozenset((a.pk, b.pk)))
        request = MeetingRequest.objects.create(event=event, requester=a, recipient=b, status="accepted")
        added.append(Meeting.objects.create(event=event, request=request, first=a, second=b))
    return added


def places(event) -> dict[int, tuple]:
    return {
        m["pk"]: (m["slot_id"], m["table_id"], m["published_slot_id"], m["scheduler_note"])
        for m in event.meetings.values("pk", "slot_id", "table_id", "published_slot_id", "scheduler_note")
    }


@override_settings(TASKS=DB_TASKS, WORKER_STALE_SECONDS=STALE)
def test_scheduler_killed_while_writing_leaves_the_published_agenda_and_can_run_again(tmp_path):
    event, organiser, _users = build_event(60, 150, seed=11, suffix="kill")
    built = scheduling.build_instance(event)
    scheduling.apply_schedule(event, built, scheduling.solve(built).placements)
    timetable.publish_agenda(organiser, event, False)
    added = add_meetings(event, 25)
    before = places(event)
    published = {pk: value[2] for pk, value in before.items() if value[2] is not None}
    assert len(published) >= 100

    last = max(m.pk for m in added)
    holder = Holder(lambda: Meeting.objects.select_for_update().get(pk=last))
    run = scheduling.start_run(organiser, event)
    first = spawn_worker(tmp_path, "first", WORKER_STALE_SECONDS=str(STALE))
    try:
        pid, xid = wait_for(lambda: blocked_writer("events_meeting"), 180, "the worker to write meetings")
        assert SchedulingRun.objects.get(pk=run.pk).status == SchedulingRun.Status.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        holder.release()
        stop_worker(first)
    # The killed worker's transaction is rolled back by PostgreSQL: nothing moved, nothing half-placed.
    wait_for(lambda: blocked_writer("events_meeting") is None, 30, "the dead backend to go")
    assert places(event) == before

    second = spawn_worker(tmp_path, "second", WORKER_STALE_SECONDS=str(STALE))
    try:
        failed = wait_for(
            lambda: SchedulingRun.objects.filter(pk=run.pk, status=SchedulingRun.Status.FAILED).first(),
            60,
            "the reaper to fail the run",
        )
        assert "stopped while running this task" in failed.message
        assert places(event) == before
        again = scheduling.start_run(organiser, event)  # the user starts it again: no longer blocked
        done = wait_for(
            lambda: SchedulingRun.objects.filter(pk=again.pk, status=SchedulingRun.Status.DONE).first(),
            180,
            "the restarted run",
        )
    finally:
        stop_worker(second)
    after = places(event)
    assert done.placed > len(published)
    assert all(after[pk][2] == slot for pk, slot in published.items())  # the published agenda is kept
    assert any(after[m.pk][0] is not None for m in added)
    print(f"scheduler kill: worker pid {first.pid} killed while backend {pid} (xid {xid}) waited")


@override_settings(TASKS=DB_TASKS, WORKER_STALE_SECONDS=STALE)
def test_import_killed_half_way_imports_nothing_and_restarts_to_completion(tmp_path, request):
    load_reference_data()  # an earlier transactional test flushed the data migrations' rows
    world = request.getfixturevalue("world")
    headers = ["name", "type", "country", "city"]
    rows = [
        {"name": f"Imported Org {i}", "type": "sme", "country": "DE", "city": "Dresden"} for i in range(300)
    ]
    count_before = Organisation.objects.count()

    def occupy_slug_of_row_200():
        Organisation.objects.create(name="Squatter", slug="imported-org-200-de", org_type="sme", country="DE")

    holder = Holder(occupy_slug_of_row_200)
    queued = import_table.enqueue("organisations", headers, rows, world.users["coordinator"].pk, None)
    first = spawn_worker(tmp_path, "first", WORKER_STALE_SECONDS=str(STALE))
    try:
        wait_for(lambda: blocked_writer("directory_organisation"), 180, "the import to reach row 200")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        holder.release()
        stop_worker(first)
    wait_for(lambda: blocked_writer("directory_organisation") is None, 30, "the dead backend to go")
    assert Organisation.objects.count() == count_before  # no half import

    from django_tasks_db.models import DBTaskResult

    second = spawn_worker(tmp_path, "second", WORKER_STALE_SECONDS=str(STALE))
    try:
        failed = wait_for(
            lambda: DBTaskResult.objects.filter(pk=queued.id, status="FAILED").first(), 60, "the reaper"
        )
        assert failed.exception_class_path == workers.LOST_EXCEPTION
        assert "first" in failed.traceback
        assert Organisation.objects.count() == count_before
        again = workers.restart(world.users["coordinator"], queued.id)
        done = wait_for(
            lambda: DBTaskResult.objects.filter(pk=again.pk, status="SUCCESSFUL").first(), 180, "the restart"
        )
    finally:
        stop_worker(second)
    assert done.return_value["created"] == 300
    assert Organisation.objects.filter(name__startswith="Imported Org ").count() == 300
