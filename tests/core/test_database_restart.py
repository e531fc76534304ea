"""The database restarts while the app serves traffic: clear 503s during the outage, recovery after,
without restarting the app.

A private PostgreSQL cluster (initdb/pg_ctl from /usr/lib/postgresql/*/bin) in a temporary folder
on a free port — never the machine's main server — and the app under gunicorn (2 workers, persistent
connections with health checks, as in production). Four client threads request a page, the API and
the health check in a loop while the test stops the database for a few seconds and starts it again.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.real_clock]  # PostgreSQL restarts on its own clock

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
PATHS = ["/directory/", "/api/organisations?q=sensor", "/health/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster; as root, its programs run as the `postgres` user."""

    def __init__(self) -> None:
        self.bin = Path(PG_BIN[-1])
        self.folder = Path(tempfile.mkdtemp(prefix="cx-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback test server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 0, str(error)


@pytest.mark.skipif(
    not PG_BIN or not shutil.which("gunicorn", path=os.path.dirname(sys.executable)),
    reason="needs PostgreSQL's initdb/pg_ctl and gunicorn",
)
def test_database_restart_gives_503s_then_recovers_without_restarting_the_app(tmp_path):
    cluster = Cluster()
    server = None
    try:
        cluster.init()
        cluster.start()
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clusterxchange.settings",
            "DATABASE_URL": cluster.url,
            "DEBUG": "0",
            "SECRET_KEY": "test-only-restart-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "WHITENOISE_USE_FINDERS": "1",
            "CLUSTERXCHANGE_DATA_DIR": str(tmp_path),
            "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "PYTHONPATH": str(ROOT / "src"),
        }
        cli = [sys.executable, "-m", "clusterxchange"]
        migrated = subprocess.run(
            [*cli, "migrate", "-v", "0"], env=env, capture_output=True, text=True, timeout=600
        )
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        server = subprocess.Popen(
            [*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            env=env,
            stdout=(tmp_path / "server.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while fetch(base + "/health/")[0] != 200:
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-3000:]
            time.sleep(0.5)
        for path in PATHS * 4:  # both workers have answered once
            assert fetch(base + path)[0] == 200

        phase = ["before"]
        outcomes: list[tuple[str, str, int, str]] = []
        stop = threading.Event()

        def client(number: int) -> None:
            i = number
            while not stop.is_set():
                path = PATHS[i % len(PATHS)]
                status, body = fetch(base + path)
                outcomes.append((phase[0], path, status, body))
                i += 1
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        phase[0] = "stopping"
        cluster.stop()
        phase[0] = "outage"
        time.sleep(6)
        phase[0] = "starting"
        cluster.start()
        phase[0] = "recovery"
        time.sleep(3)
        phase[0] = "after"
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(30)
        assert server.poll() is None, "the app must keep running"
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        cluster.remove()

    counts = Counter((phase, status) for phase, _path, status, _body in outcomes)
    print("\ndatabase restart:", len(outcomes), "requests;", dict(sorted(counts.items())))
    assert all(status == 200 for phase, _p, status, _b in outcomes if phase == "before")
    assert all(status == 200 for phase, _p, status, _b in outcomes if phase == "after")
    outage = [(path, status, body) for phase, path, status, body in outcomes if phase == "outage"]
    assert len(outage) >= 10
    for path, status, body in outage:
        assert status == 503, (path, status, body[:500])
        assert "Traceback" not in body
        if path.startswith("/api/"):
            assert "temporarily unavailable" in body
        elif path.startswith("/health/"):
            assert '"database": "unreachable"' in body
        else:
            assert "Temporarily unavailable" in body
    # Nothing but 200 and 503, whatever the moment: never a 500 or a dropped connection.
    unexpected = [
        (phase, path, status, body[:300])
        for phase, path, status, body in outcomes
        if status not in {200, 503}
    ]
    log = (tmp_path / "server.log").read_text()
    first_error = log[log.find("Internal Server Error") :][:6000]  # its traceback, not the log's tail
    assert not unexpected, (unexpected[:3], first_error)
