"""Exact row counts of list queries, kept in the cache until their data changes (the same data
versions keep `core.widgets.FastSelect`'s choice lists).

A directory search for a frequent word matches thousands of organisations, and PostgreSQL counts
them by visiting every match (20-30 ms of CPU for 9,000 of 100,000), on every page of every
search. Here a count is cached under its query's SQL and the *version* of its data scope (e.g.
"directory"). Whatever changes the scope's rows calls `bump(scope)` — once at once, so that the
same transaction sees its own changes, and once after the commit, so that a count taken in
between by another request cannot outlive the change. A cached count is therefore never stale,
provided every write calls `bump`: the directory does it with model signals, and
`QuerySet.update()`, `bulk_create()` or raw SQL on its tables send none, so code that writes
that way must call `bump` itself (entries expire after COUNT_SECONDS in any case).

Only with a cache that every app process shares (`REDIS_URL`): with the local-memory cache one
process would not see another's bump. `settings.CACHED_COUNTS` turns it on (default: when
`REDIS_URL` is set).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

COUNT_SECONDS = 600
# The cache server is unreachable: compute instead, and say so in the log.
UNREACHABLE = (RedisError, OSError)

logger = logging.getLogger(__name__)


def _version_key(scope: str) -> str:
    return f"count-version:{scope}"


def version(scope: str) -> int:
    key = _version_key(scope)
    current = cache.get(key)
    if current is None:
        # A fresh number, never one an evicted version had: old counts stay unreachable.
        cache.add(key, time.time_ns(), timeout=None)
        current = cache.get(key)
    return current


def _increment(scope: str) -> None:
    try:
        cache.incr(_version_key(scope))
    except ValueError:  # evicted or never read: start from a fresh number
        cache.add(_version_key(scope), time.time_ns(), timeout=None)
    except UNREACHABLE:
        # Counts cached before the outage may be read for up to COUNT_SECONDS after it.
        logger.warning("The cache is unreachable: the change of %s was not announced.", scope, exc_info=True)


def bump(scope: str) -> None:
    """The rows behind `scope`'s counts have changed (or are about to be committed)."""
    _increment(scope)
    transaction.on_commit(lambda: _increment(scope))


def cached(scope: str, identity, compute):
    """`compute()`, kept in the cache under `identity` (a repr-able value naming what is computed)
    while `scope`'s data version is unchanged. Computed every time when `settings.CACHED_COUNTS`
    is off or the cache server cannot be reached."""
    if not settings.CACHED_COUNTS:
        return compute()
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()
    try:
        key = f"cached:{scope}:{version(scope)}:{digest}"
        value = cache.get(key)
    except UNREACHABLE:
        logger.warning("The cache is unreachable: computing %s directly.", scope, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, COUNT_SECONDS)
        except UNREACHABLE:
            logger.warning("The cache is unreachable: %s not kept.", scope, exc_info=True)
    return value


def cached_html(scope: str, template_name: str, context: dict, key) -> str:
    """`template_name` rendered with `context`, kept like a count while `scope`'s data is unchanged.

    Only for a part of a page that is the same for every reader who asks with the same `key` (the
    language is added here): no request, no user and no CSRF token reach the template. The
    directory's search results and filters are such parts; on a hit their query is never run."""
    identity = ("html", template_name, get_language(), key)
    html = cached(scope, identity, lambda: render_to_string(template_name, context))
    return mark_safe(html)  # noqa: S308 - the template engine escaped it  # nosec B308 B703


def cached_count(queryset, scope: str) -> int:
    """`queryset.count()`, from the cache while `scope`'s data is unchanged."""
    sql, params = queryset.query.sql_with_params()
    return cached(scope, ("count", queryset.db, sql, params), queryset.count)
