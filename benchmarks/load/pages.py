"""Service time of each page of the load test, one request at a time (no concurrency), in process.

    PYTHONPATH=src:. python -m benchmarks.load.pages [--database cx_load] [--repeat 15]

Runs on the load test's database (fill it with `benchmarks.load.run` or `.generate` first). For
each page: median and p90 of the wall time and of the database time over `--repeat` requests, with
the indexes of migrations core 0004 and exchanges 0002 dropped (baseline) and present, in the same run. On a
shared machine the wall time includes waiting for the CPU; the `uptime` load is printed. The cache is
Redis, as deployed (`--redis`, flushed first): after the first request a repeated directory search is
answered from it.
"""

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.load.run import CREATE, DROP, flush_redis, set_indexes, uptime


def pages(users: dict) -> list[tuple[str, str, dict, str]]:
    """(page, url, extra headers, session) like the locust scenarios."""
    return [
        ("directory search", "/directory/?q=sensor", {}, ""),
        ("directory search (logged in)", "/directory/?q=sensor", {}, users["participants"][0]),
        ("directory search, 2 letters + country", "/directory/?q=ai&country=DE", {}, ""),
        ("directory browse, page 30", "/directory/?page=30", {}, ""),
        ("organisation page", f"/directory/organisations/{users['organisations'][0]}/", {}, ""),
        ("event page (2,000 participants)", f"/events/{users['event']}/", {}, ""),
        ("agenda page", f"/events/{users['event']}/agenda/", {}, users["participants"][0]),
        ("exchanges list (manager)", "/exchanges/", {}, users["managers"][0]),
        (
            "API search (token)",
            "/api/organisations?q=sensor&page_size=20",
            {"HTTP_AUTHORIZATION": f"Bearer {users['token']}"},
            "",
        ),
    ]


def measure(repeat: int, users: dict) -> dict[str, tuple[float, float, float]]:
    from django.db import connection
    from django.test import Client

    figures = {}
    for name, url, headers, session in pages(users):
        client = Client()
        if session:
            client.cookies["sessionid"] = session
        client.get(url, **headers)  # warm
        walls, sqls = [], []
        for _ in range(repeat):
            connection.queries_log.clear()
            started = time.perf_counter()
            response = client.get(url, **headers)
            walls.append((time.perf_counter() - started) * 1000)
            sqls.append(sum(float(q["time"]) for q in connection.queries) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        walls.sort()
        figures[name] = (statistics.median(walls), walls[int(len(walls) * 0.9) - 1], statistics.median(sqls))
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="cx_load")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "cx-load"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/15", help="a Redis database to use (flushed), as deployed"
    )
    args = parser.parse_args(argv)
    url = f"{args.server}/{args.database}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "clusterxchange.settings",
            "SECRET_KEY": "load-test-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "WHITENOISE_USE_FINDERS": "1",
            "CLUSTERXCHANGE_DATA_DIR": args.data_dir,
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": args.redis,
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.SESSION_COOKIE_SECURE = False
    connection.force_debug_cursor = True  # record the queries' times
    users = json.loads((Path(args.data_dir) / "load-users.json").read_text())
    flush_redis(args.redis)
    load = [uptime()]
    set_indexes(url, DROP)
    baseline = measure(args.repeat, users)
    set_indexes(url, CREATE)
    final = measure(args.repeat, users)
    load.append(uptime())
    print(
        f"| page ({args.repeat} requests each) | without indexes: median / p90 ms (SQL ms) | with: median / p90 ms (SQL ms) |"
    )
    print("|---|---|---|")
    for name, (median, p90, sql) in final.items():
        b = baseline[name]
        print(f"| {name} | {b[0]:.0f} / {b[1]:.0f} ({b[2]:.0f}) | {median:.0f} / {p90:.0f} ({sql:.0f}) |")
    print(f"\nload before: {load[0]}\nload after:  {load[1]}")


if __name__ == "__main__":
    main()
