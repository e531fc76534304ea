"""What every benchmark that runs Django starts with: a fresh SQLite database in a temporary data
directory, migrated, logging quietened; and the timing of one operation over many samples."""

import logging
import os
import statistics
import tempfile
import time

import django
from django.core.management import call_command


def setup_django(name: str, *, quiet: int = logging.INFO, defaults=None, settings=None) -> None:
    """Set Django up on a fresh database in a temporary directory named after the benchmark
    (``cx-bench-<name>-``) unless CLUSTERXCHANGE_DATA_DIR names one, and migrate it. ``defaults``:
    environment settings the caller's environment may override; ``settings``: ones it may not (the
    mail server the benchmark listens on, the task backend it times). Log records up to ``quiet``
    are dropped."""
    os.environ.setdefault("CLUSTERXCHANGE_DATA_DIR", tempfile.mkdtemp(prefix=f"cx-bench-{name}-"))
    os.environ.setdefault("DEBUG", "1")  # no https redirect on the test client
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterxchange.settings")
    for key, value in (defaults or {}).items():
        os.environ.setdefault(key, value)
    os.environ.update(settings or {})
    django.setup()
    logging.disable(quiet)
    call_command("migrate", verbosity=0)


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def measure(function, items) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds of ``function(item)`` for each of ``items``."""
    times = []
    for item in items:
        started = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - started)
    return quantiles(times)


def with_queries(action):
    """(result, seconds, SQL statements) of ``action()``."""
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return result, elapsed, count[0]
