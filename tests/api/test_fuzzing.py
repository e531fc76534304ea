"""API fuzzing: schemathesis against the committed OpenAPI schema, on a live server with the demo data.

The server is a separate process (`clusterxchange runserver` on a free loopback port) over its own SQLite
database in a temporary folder, filled by `clusterxchange demo --no-serve`. Schemathesis generates
requests for every operation, as anonymous and with the API tokens of three demo users, and checks that
no response is a 5xx and that every response conforms to the schema (body, content type). Bounded:
`FUZZ_MAX_EXAMPLES` examples per operation (default 3), fixed seed. Marker `fuzz`; skipped on PostgreSQL
runs (the server has its own database, so one run is enough).
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from clusterxchange.api.schema import COMMITTED_SCHEMA

pytestmark = [
    pytest.mark.real_clock,  # the demo server is another process: it keeps the real clock
    pytest.mark.fuzz,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="fuzzes its own SQLite server once"),
]

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
DEMO_USERS = ("coordinator", "manager", "member")
TOKENS_SCRIPT = """
import django; django.setup()
from clusterxchange.accounts.models import ApiToken, User
from clusterxchange.programmes.demo import COORDINATOR_EMAIL, MANAGER_EMAIL, MEMBER_EMAIL
emails = {"coordinator": COORDINATOR_EMAIL, "manager": MANAGER_EMAIL, "member": MEMBER_EMAIL}
import json
print(json.dumps({role: ApiToken.issue(User.objects.get(email=email), "fuzzing")[1] for role, email in emails.items()}))
"""


def _env(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        DJANGO_SETTINGS_MODULE="tests.settings",
        CLUSTERXCHANGE_DATA_DIR=str(data_dir),
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    env = _env(data_dir)
    python = [sys.executable, "-m", "clusterxchange"]
    subprocess.run([*python, "demo", "--no-serve"], env=env, check=True, capture_output=True, timeout=600)
    tokens = json.loads(
        subprocess.run(
            [sys.executable, "-c", TOKENS_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )
    port = _free_port()
    server = subprocess.Popen(
        [*python, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / "server.log").open("w"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/health/", server)
        yield base, tokens, data_dir
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_schemathesis(base: str, report: Path, token: str | None = None) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        str(COMMITTED_SCHEMA),
        "--url",
        f"{base}/api",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20261127",
        "--phases",
        "examples,fuzzing",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    # In a temporary folder: schemathesis keeps state in ./.schemathesis/.
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=report.parent
    )


def summarise(output: str) -> dict:
    """Operations tested, test cases (one request each) and failures, from schemathesis' summary."""

    def number(pattern: str) -> int:
        match = re.search(pattern, output)
        return int(match.group(1)) if match else 0

    failures = re.findall(r"^\s*❌ (.+)$", output, flags=re.MULTILINE)
    return {
        "operations": number(r"Tested: (\d+)"),
        "requests": number(r"Test cases:\s*(\d+) generated"),
        "failures": [line for line in failures if not line.startswith(("Fuzzing", "Examples", "Coverage"))],
    }


@pytest.mark.parametrize("who", ["anonymous", *DEMO_USERS])
def test_api_fuzzing(demo_server, who, tmp_path):
    base, tokens, _ = demo_server
    result = run_schemathesis(base, tmp_path / "events.ndjson", tokens.get(who))
    counts = summarise(result.stdout)
    print(f"fuzzing as {who}: {counts['operations']} operations, {counts['requests']} requests")
    assert counts["operations"] >= 90, result.stdout[-3000:]  # every operation was reached
    assert result.returncode == 0, "\n".join(counts["failures"]) + "\n" + result.stdout[-8000:]
