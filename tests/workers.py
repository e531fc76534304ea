"""Helpers for tests that run real `clusterxchange worker` processes on the PostgreSQL test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database's address, for a process of its own."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """Environment variables for a worker process on the test database (production settings,
    quick heartbeats), plus `settings`."""
    return {
        "DJANGO_SETTINGS_MODULE": "clusterxchange.settings",
        "DATABASE_URL": database_url(),
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-worker-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "CLUSTERXCHANGE_DATA_DIR": str(tmp_path),
        "WORKER_HEARTBEAT_SECONDS": "0.3",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        **settings,
    }


def wait_for(condition, timeout: float, what: str):
    """Poll `condition` until it returns something true (returned), or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def spawn_worker(tmp_path: Path, worker_id: str, **settings: str) -> subprocess.Popen:
    """A `clusterxchange worker` process on the test database, logging to tmp_path/<id>.log."""
    log = (tmp_path / f"{worker_id}.log").open("w")
    return subprocess.Popen(  # the project's own command with the running interpreter
        [sys.executable, "-m", "clusterxchange", "worker", "--worker-id", worker_id, "--interval", "0.2"],
        env={**os.environ, **worker_environment(tmp_path, **settings)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
