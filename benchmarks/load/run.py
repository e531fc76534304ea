"""Load test: gunicorn on loopback with PostgreSQL and production settings, locust headless.

    PYTHONPATH=src:. python -m benchmarks.load.run [--users 50] [--duration 60] [--workers 4]

Uses its own database (`--database cx_load` on the local PostgreSQL; created when missing), fills
it once with `benchmarks.load.generate` (100,000 organisations, 10,000 exchanges, a scheduled
2,000-participant event), collects the static files (served by whitenoise), starts
`clusterxchange serve` (gunicorn) with DEBUG=0 on a free loopback port, runs locust for a bounded
time, and prints throughput and p50/p95/p99 per page with the machine's load (`uptime`) before
and after. Needs the `bench` extra (`pip install -e '.[bench]'`).

The app runs as `docs/operations.md` deploys it: with the shared Redis cache on loopback
(`--redis`, its database flushed before each measurement), so directory counts are cached, and with
PostgreSQL's `random_page_cost = 1.1` for SSD storage. `--baseline` first measures the same code
without any of that: the indexes of migrations core 0004 and exchanges 0002 dropped, no shared
cache and no cached counts, PostgreSQL's default planner costs.
"""

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 200
TARGETED = ("directory search", "directory search (logged in)", "agenda page")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def ensure_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


SSD_PAGE_COST = "1.1"


def set_page_cost(server: str, name: str, cost: str | None) -> None:
    """PostgreSQL's planner cost of a random page read: 1.1 for SSDs (docs/operations.md), or the
    default 4 (made for spinning disks) when `cost` is None. New connections take it."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if cost is None:
            connection.execute(f'ALTER DATABASE "{name}" RESET random_page_cost')
        else:
            connection.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {float(cost)}')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_until_up(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the app did not answer on {url}")


def table(stats_csv: Path) -> tuple[str, list[str]]:
    rows, misses = [], []
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            count, failures = int(row["Request Count"]), int(row["Failure Count"])
            p50, p95, p99 = (float(row[key] or 0) for key in ("50%", "95%", "99%"))
            label = "**all**" if name == "Aggregated" else name
            rows.append(
                f"| {label} | {count} | {failures} | {float(row['Requests/s']):.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} |"
            )
            if name in TARGETED and p95 >= TARGET_MS:
                misses.append(f"{name}: p95 {p95:.0f} ms")
            if failures and name != "Aggregated":
                misses.append(f"{name}: {failures} errors")
    head = "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|\n"
    return head + "\n".join(rows), misses


CREATE = [
    "CREATE INDEX IF NOT EXISTS directory_organisation_search_trgm ON directory_organisation "
    "USING gin (search_document gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS directory_organisation_name_order ON directory_organisation (name, id)",
    "CREATE INDEX IF NOT EXISTS exchange_newest_first ON exchanges_exchange (created_at DESC, id DESC)",
]
DROP = [
    "DROP INDEX IF EXISTS directory_organisation_search_trgm",
    "DROP INDEX IF EXISTS directory_organisation_name_order",
    "DROP INDEX IF EXISTS exchange_newest_first",
]


def set_indexes(url: str, statements: list[str]) -> None:
    """For the baseline: the indexes of migrations core 0004 and exchanges 0002 dropped, then made again."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.execute("ANALYZE directory_organisation")
        connection.execute("ANALYZE exchanges_exchange")


def measure(env: dict, args, data_dir: Path, label: str) -> tuple[str, list[str], str, str]:
    """Serve with gunicorn, run locust for the bounded time, return the table and the load."""
    cli = [sys.executable, "-m", "clusterxchange"]
    port = free_port()
    log = (data_dir / f"gunicorn-{label}.log").open("w")
    server = subprocess.Popen(
        [
            *cli,
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    prefix = data_dir / f"locust-{label}"
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health/")
        before = uptime()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.duration,
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**env, "LOAD_USERS": str(data_dir / "load-users.json")},
            check=False,
        )
        after = uptime()
    finally:
        server.terminate()
        try:
            server.wait(120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(30)
    rendered, misses = table(Path(f"{prefix}_stats.csv"))
    return rendered, misses, before, after


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="cx_load")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "cx-load"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="First measure without the indexes, the shared cache and the SSD planner cost (see above).",
    )
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/15", help="a Redis database to use (flushed)"
    )
    args = parser.parse_args(argv)

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_database(args.server, args.database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clusterxchange.settings",
        "DATABASE_URL": f"{args.server}/{args.database}",
        "SECRET_KEY": "load-test-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CLUSTERXCHANGE_DATA_DIR": str(data_dir),
        "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    cli = [sys.executable, "-m", "clusterxchange"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "benchmarks.load.generate"], env=env, check=True, cwd=ROOT)
    # Every run: a static file added since the last run would otherwise be missing from the manifest.
    subprocess.run([*cli, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)

    results = []
    if args.baseline:
        set_indexes(env["DATABASE_URL"], DROP)
        set_page_cost(args.server, args.database, None)
        baseline_env = {**env, "CACHED_COUNTS": "0"}
        results.append(
            (
                "baseline: no indexes, no shared cache, default page cost",
                *measure(baseline_env, args, data_dir, "baseline"),
            )
        )
        set_indexes(env["DATABASE_URL"], CREATE)
    set_page_cost(args.server, args.database, SSD_PAGE_COST)
    flush_redis(args.redis)
    results.append(
        (
            "as deployed: indexes, Redis cache with cached counts, random_page_cost 1.1",
            *measure({**env, "REDIS_URL": args.redis}, args, data_dir, "final"),
        )
    )
    print(
        f"\n{args.users} users, {args.duration}, gunicorn {args.workers} workers x {args.threads} threads, "
        f"PostgreSQL `{args.database}`"
    )
    misses = []
    for label, rendered, missed, before, after in results:
        print(f"\n### {label}\n\n{rendered}\n\nload before: {before}\nload after:  {after}")
        print(
            "targets (p95 < 200 ms for directory search and agenda, no errors):", "; ".join(missed) or "met"
        )
        misses = missed
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
