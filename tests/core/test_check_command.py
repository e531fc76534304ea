"""`clusterxchange check`: Django's checks unchanged, plus --ops / --json for monitoring."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import timezone

from clusterxchange.core.models import WorkerHeartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_json(*args) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("check", "--json", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def by_name(report: dict) -> dict:
    return {probe["name"]: probe for probe in report["probes"]}


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, CHECK_MIN_FREE_MB=1)
def test_json_report_is_ok_with_a_fresh_worker_heartbeat():
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now())
    code, report = run_json()
    assert code == 0
    assert report["status"] == "ok"
    probes = by_name(report)
    assert [probes[name]["status"] for name in ("database", "migrations", "workers", "disk")] == ["ok"] * 4
    assert probes["migrations"]["figures"]["unapplied"] == 0
    assert probes["workers"]["figures"]["alive"] == 1
    assert probes["disk"]["figures"]["data"]["free_bytes"] > 0


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, CHECK_MIN_FREE_MB=1, WORKER_STALE_SECONDS=60)
def test_a_stale_worker_heartbeat_is_an_error_with_a_non_zero_exit():
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now() - timedelta(minutes=5))
    code, report = run_json()
    assert code == 1
    assert report["status"] == "error"
    workers = by_name(report)["workers"]
    assert workers["status"] == "error"
    assert "no task worker alive" in workers["message"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, CHECK_MIN_FREE_MB=10**9)
def test_too_little_disk_space_is_reported():
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now())
    code, report = run_json()
    assert code == 1
    assert by_name(report)["disk"]["status"] == "error"
    assert "MB free, below" in by_name(report)["disk"]["message"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, CHECK_MIN_FREE_MB=1)
def test_text_output_with_ops_fails_like_djangos_check():
    with pytest.raises(SystemCheckError, match=r"cx\.E003.*no task worker alive"):
        call_command("check", "--ops", stdout=io.StringIO(), stderr=io.StringIO())


def test_plain_check_needs_no_database_and_no_worker():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_unapplied_migrations_are_an_error(monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="core", name="0003_worker_heartbeat").delete()
    code, report = run_json()
    assert code == 1
    migrations = by_name(report)["migrations"]
    assert migrations["status"] == "error"
    assert "core.0003_worker_heartbeat" in migrations["message"]
    assert by_name(report)["workers"]["message"] == "not checked: migrations missing"


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_migrate_is_not_blocked_by_the_operational_checks():
    """`migrate` runs the database-tagged checks: a missing worker must not stop a deployment."""
    call_command("migrate", "--check", stdout=io.StringIO())  # no worker heartbeat at all


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, CHECK_MIN_FREE_MB=1)
def test_json_runs_each_probe_once(monkeypatch):
    from clusterxchange.core import operations

    calls = []
    probe_disk = operations.probe_disk
    monkeypatch.setattr(operations, "probe_disk", lambda: calls.append(1) or probe_disk())
    code, report = run_json()
    assert code == 1  # no worker heartbeat: the exit status still counts the probes
    assert by_name(report)["workers"]["status"] == "error"
    assert report["system_checks"] == []  # the probes' own cx.* messages are not repeated there
    assert len(calls) == 1
