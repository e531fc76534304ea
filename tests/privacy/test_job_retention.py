"""Background jobs (an event's import, a file of invitations) keep their details — the rows' problems
and the reason of a failure, which name organisations and people — `JOB_DETAILS_RETENTION_DAYS` after
they finished; then the periodic job `purge-job-details` empties them. The details that name a
person are in their export and erased with them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from clusterxchange.accounts.models import InvitationBatch
from clusterxchange.events.models import EventImport
from clusterxchange.privacy import domain, export, retention
from tests.conftest import ROLES
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

ROW_ERRORS = [
    {"row": 2, "field": "email", "message": "amelie@alpha.example is already registered."},
    {"row": 3, "field": "organisation", "message": "Capacity reached for Secret Company"},
    {"row": 4, "field": "person", "message": "Amélie Durand may not meet Beta Robotics."},
]


def _import(world, event, *, days_ago: int | None, status="failed", **fields) -> EventImport:
    finished = days_ago is not None
    return EventImport.objects.create(
        event=event,
        kind="participants",
        created_by=fields.pop("created_by", world.users["manager"]),
        status=status,
        total=3,
        done=3 if finished else 0,
        finished_at=timezone.now() - timedelta(days=days_ago) if finished else None,
        **{"errors": list(ROW_ERRORS), "message": "Row 3 stopped the import", **fields},
    )


def test_the_details_of_old_finished_jobs_are_emptied(world, settings):
    settings.JOB_DETAILS_RETENTION_DAYS = 30
    event = make_event(world)
    old = _import(world, event, days_ago=31)
    recent = _import(world, event, days_ago=29)
    running = _import(world, event, days_ago=None, status="running", rows=[{"organisation": "Acme"}])
    batch = InvitationBatch.objects.create(
        created_by=world.users["coordinator"],
        status="failed",
        total=5,
        done=2,
        message="IntegrityError: jane@example.com",
        finished_at=timezone.now() - timedelta(days=40),
    )
    assert retention.purge_job_details() == 2
    old.refresh_from_db()
    assert (old.errors, old.message, old.rows) == ([], "", [])
    assert old.details_purged_at is not None
    assert (old.status, old.total, old.done, old.finished_at) == ("failed", 3, 3, old.finished_at)
    batch.refresh_from_db()
    assert (batch.message, batch.status, batch.done) == ("", "failed", 2) and batch.details_purged_at
    for kept in (recent, running):
        kept.refresh_from_db()
        assert kept.errors == ROW_ERRORS and kept.details_purged_at is None
    assert running.rows == [{"organisation": "Acme"}]
    assert retention.purge_job_details() == 0  # once only
    assert retention.purge_job_details(now=timezone.now() + timedelta(days=2)) == 1  # the recent one


def test_the_workers_purge_daily(world, settings, django_capture_on_commit_callbacks):
    job = settings.PERIODIC_JOBS["purge-job-details"]
    assert job["every"] == 24 * 3600
    settings.JOB_DETAILS_RETENTION_DAYS = 0
    _import(world, make_event(world), days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_string(job["task"]).enqueue()
    assert result.return_value == 1


JOB_PAGE = {"coordinator": 200, "manager": 200, "owner": 403, "same_cluster": 403, "outsider": 403}


@pytest.mark.parametrize("role", [*ROLES])
def test_an_emptied_import_says_so_on_its_page_and_in_the_api(world, settings, role):
    settings.JOB_DETAILS_RETENTION_DAYS = 30
    event = make_event(world)
    job = _import(world, event, days_ago=31)
    retention.purge_job_details()
    response = world.client(role).get(reverse("events:import_job", args=[event.slug, job.pk]))
    assert response.status_code == JOB_PAGE.get(role, 302)
    text = response.content.decode()
    assert "Secret Company" not in text
    assert ("at the end of their retention period" in text) == (response.status_code == 200)
    answer = world.client(role).get(f"/api/events/{event.slug}/imports/{job.pk}")
    assert answer.status_code == JOB_PAGE.get(role, 401)
    if answer.status_code == 200:
        body = answer.json()
        assert body["errors"] == [] and body["message"] == "" and body["details_purged_at"]
        assert body["status"] == "failed" and body["total"] == 3


def test_the_export_lists_the_jobs_they_started_and_the_details_naming_them(pworld):
    world, amelie = pworld.base, pworld.person
    event = pworld.registration.event
    mine = _import(world, event, days_ago=None, status="queued", created_by=pworld.users["self"], errors=[])
    naming = _import(world, event, days_ago=2)
    document = export.build(amelie)
    assert [entry["about"] for entry in document["jobs_started_by_them"]] == [str(mine)]
    assert "rows" not in document["jobs_started_by_them"][0]
    [details] = document["job_details_naming_them"]
    assert details["id"] == naming.pk and details["message"] == ""
    assert [error["row"] for error in details["row_errors"]] == [2, 4]  # not the Secret Company row
    assert "Secret Company" not in export.to_json(document).decode()
    assert export.build(pworld.staff)["job_details_naming_them"] == []


def test_erasure_erases_the_job_details_naming_the_person(pworld, django_capture_on_commit_callbacks):
    world = pworld.base
    naming = _import(world, pworld.registration.event, days_ago=2, message="Amélie Durand: lost")
    with django_capture_on_commit_callbacks(execute=True):
        result = domain.erase_person(world.users["coordinator"], pworld.person)
    assert result.counts["job_details"] == 1
    naming.refresh_from_db()
    assert [error["message"] for error in naming.errors] == [
        "[erased]",
        "Capacity reached for Secret Company",
        "[erased]",
    ]
    assert [error["row"] for error in naming.errors] == [2, 3, 4] and naming.message == "[erased]"


def _queued_since(job, hours: float):
    type(job).objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    job.refresh_from_db()
    return job


def test_a_job_never_started_fails_with_the_reason_and_is_purged_later(world, settings):
    """A job whose task never ran (lost before a worker took it up) does not stay queued with its
    rows forever: after JOB_START_LIMIT_HOURS the daily job marks it failed, in its starter's
    language, and empties its details after the retention like any finished job's."""
    settings.JOB_START_LIMIT_HOURS, settings.JOB_DETAILS_RETENTION_DAYS = 24, 30
    world.users["manager"].language = "de"
    world.users["manager"].save(update_fields=["language"])
    event = make_event(world)
    rows = [{"organisation": "Secret Company"}]
    stuck = _queued_since(_import(world, event, days_ago=None, status="queued", rows=rows, message=""), 25)
    waiting = _queued_since(_import(world, event, days_ago=None, status="queued", rows=rows, message=""), 23)
    batch = _queued_since(
        InvitationBatch.objects.create(created_by=world.users["coordinator"], total=4), hours=48
    )
    assert retention.purge_job_details() == 0  # failed now, its details kept for the retention
    stuck.refresh_from_db()
    assert (stuck.status, stuck.rows) == ("failed", []) and stuck.finished_at > stuck.created_at
    assert stuck.message.startswith("Nie gestartet") and "24" in stuck.message
    assert stuck.errors == ROW_ERRORS and stuck.details_purged_at is None
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.message.startswith("Never started: no task worker")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.rows, waiting.message) == ("queued", rows, "")
    assert retention.fail_never_started_jobs() == 0  # once only
    later = timezone.now() + timedelta(days=31)
    assert retention.purge_job_details(now=later) == 3  # the two that failed, and `waiting` (failed then)
    stuck.refresh_from_db()
    assert (stuck.message, stuck.errors, stuck.status) == ("", [], "failed") and stuck.details_purged_at


def test_a_never_started_import_shows_the_reason_on_its_page(
    world, settings, django_capture_on_commit_callbacks
):
    settings.JOB_START_LIMIT_HOURS = 24
    event = make_event(world)
    job = _queued_since(_import(world, event, days_ago=None, status="queued", message="", errors=[]), 30)
    with django_capture_on_commit_callbacks(execute=True):
        import_string(settings.PERIODIC_JOBS["purge-job-details"]["task"]).enqueue()
    response = world.client("manager").get(reverse("events:import_job", args=[event.slug, job.pk]))
    text = response.content.decode()
    assert "Never started: no task worker took this job up within 24 hours" in text
    assert "hx-get" not in text  # finished: the page stops polling
