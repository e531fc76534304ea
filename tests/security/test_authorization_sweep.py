"""Authorization sweep: every URL name and API operation × every role, against the tables in access/.

`test_every_endpoint_has_an_entry` fails when a URL or API operation has no entry (or an entry names one
that no longer exists); `test_access` replays each app's table: GET for pages, POST where declared, each API
operation with its method; a refused write must leave the database unchanged. See README.md.
"""

import hashlib
import os
import re
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clusterxchange.api.schema import current_schema
from tests.security.access import REFUSED, ROLES, Op, Url, load, modules

pytestmark = pytest.mark.django_db

# Tables a denied request may touch without having done anything (sessions, login throttling, logs).
VOLATILE_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accesslog",
    "axes_accessfailurelog",
}
# A token records when it was last used.
API_VOLATILE_TABLES = frozenset({"accounts_apitoken"})
ACCESS = "tests/security/access"


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def _app_of(name: str, pattern: URLPattern) -> str:
    module = getattr(pattern.callback, "__module__", "") or ""
    if name.startswith("admin:"):
        return "admin"
    if name.startswith("api:"):
        return "api"
    if module.startswith("clusterxchange."):
        return module.split(".")[1]
    if module.startswith("allauth."):
        return "accounts"
    return "core"


def url_names() -> dict[str, str]:
    """Every named URL → the app module that must declare it (API operations are declared as such)."""
    names = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if getattr(pattern.callback, "__module__", "") == "ninja.operation":
            continue  # an API operation: checked by (method, path) below
        names.setdefault(name, _app_of(name, pattern))
    return names


def api_operations() -> dict[tuple[str, str], str]:
    """Every (METHOD, path) of the live API schema → its app (from the operationId)."""
    operations = {}
    for path, methods in current_schema()["paths"].items():
        for method, operation in methods.items():
            match = re.match(r"clusterxchange_(\w+?)_api_", operation.get("operationId", ""))
            app = match.group(1) if match else "api"
            operations[(method.upper(), path)] = app
    return operations


def test_every_endpoint_has_an_entry():
    problems = []
    declared_urls, declared_ops = {}, {}
    for app in modules():
        module = load(app)
        for name in getattr(module, "URLS", {}):
            declared_urls[name] = app
        for key in getattr(module, "API", {}):
            declared_ops[key] = app
    urls, ops = url_names(), api_operations()
    admin_rule = load("admin")
    for name, app in sorted(urls.items()):
        if app == "admin" and admin_rule.covers(name):
            continue
        if name not in declared_urls:
            problems.append(f"URL {name!r} has no entry: add it to URLS in {ACCESS}/{app}.py{_new(app)}")
    for key, app in sorted(ops.items()):
        if key not in declared_ops:
            problems.append(
                f"API operation {key} has no entry: add it to API in {ACCESS}/{app}.py{_new(app)}"
            )
    for name, app in declared_urls.items():
        if name not in urls:
            problems.append(f"{ACCESS}/{app}.py declares URL {name!r}, which no longer exists: remove it")
    for key, app in declared_ops.items():
        if key not in ops:
            problems.append(f"{ACCESS}/{app}.py declares API operation {key}, which no longer exists")
    assert not problems, "\n".join(problems)


def _new(app: str) -> str:
    return "" if load(app) is not None else " (create the module; see README.md)"


# Replaying the tables -------------------------------------------------------------------------


def database_digest(skip: frozenset = frozenset()) -> str:
    """A digest of every row of every table (small world: a few ms)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in VOLATILE_TABLES or table in skip:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest.update(table.encode())
            digest.update("\n".join(rows).encode())
    return digest.hexdigest()


RECORDED: dict[str, dict[str, str]] = {}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def outcome(response, api: bool = False) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if 300 <= status < 400:
        location = response.get("Location", "")
        return "login" if any(path in location for path in LOGIN_PATHS) else "redirect"
    if api and status == 401:
        return "login"
    return {
        403: "forbidden",
        404: "not_found",
        405: "not_allowed",
        409: "conflict",
        400: "invalid",
        422: "invalid",
    }.get(status, "ok" if 200 <= status < 300 else f"status {status}")


def _attempt(send, write: bool, api: bool = False) -> tuple[str, bool]:
    """Send a request inside a rolled-back transaction; (outcome, whether the database changed)."""
    skip = API_VOLATILE_TABLES if api else frozenset()
    with transaction.atomic():
        before = database_digest(skip) if write else ""
        try:
            result = outcome(send(), api)
        except Exception as exc:  # a crash is reported with the rest, not as the first failure only
            result = f"exception {type(exc).__name__}: {exc}"[:200]
        changed = write and database_digest(skip) != before
        transaction.set_rollback(True)
    return result, changed


def as_entry(observed: dict[str, str]) -> str:
    """The observed outcomes written as an `E(...)` expectation (for SWEEP_RECORD=1)."""
    by_outcome: dict[str, list[str]] = {}
    for role in ROLES:
        by_outcome.setdefault(observed.get(role, "?"), []).append(role)
    rest = max(by_outcome, key=lambda key: len(by_outcome[key]))
    named = ", ".join(
        f'{key.replace(" ", "_")}="{" ".join(roles)}"' for key, roles in by_outcome.items() if key != rest
    )
    return f'E({named}{", " if named else ""}rest="{rest}")'


def _check(
    label: str, role: str, expected: str, got: tuple[str, bool], problems: list[str], changes=None
) -> None:
    result, changed = got
    RECORDED.setdefault(label, {})[role] = result
    may_change = expected not in REFUSED if changes is None else role in changes.split()
    if result != expected:
        problems.append(f"{label} as {role}: expected {expected}, got {result}")
    elif changed and not may_change:
        problems.append(f"{label} as {role}: {result}, but the database changed")


def replay_urls(s, urls: dict[str, Url], problems: list[str]) -> None:
    clients = {role: s.client(role) for role in ROLES}
    for name, entries in urls.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            _replay_url(s, clients, name, entry, problems)


def _replay_url(s, clients, name: str, entry: Url, problems: list[str]) -> None:
    url = reverse(name, kwargs=entry.kwargs(s))
    query = entry.query(s) if callable(entry.query) else entry.query
    for role in ROLES:
        client = clients[role]
        got = _attempt(lambda: client.get(url + query), write=False)  # noqa: B023
        _check(f"GET {name} {url}{query}", role, entry.get[role], got, problems)
        if entry.post is not None:
            data = entry.data(s)
            got = _attempt(lambda: client.post(url, data), write=True)  # noqa: B023
            _check(f"POST {name} {url}", role, entry.post[role], got, problems, entry.changes)


def replay_api(s, operations: dict[tuple[str, str], Op], problems: list[str]) -> None:
    from django.test import Client

    client = Client()
    for (method, path), entry in operations.items():
        url = path.format(**entry.params(s)) + entry.query
        for role in ROLES:
            headers = s.api_headers(role)
            body = entry.body(s) if entry.body else None

            def send(method=method, url=url, body=body, headers=headers, multipart=entry.multipart):
                if multipart:
                    return client.post(url, data=body, **headers)
                if body is None:
                    return client.generic(method, url, **headers)
                return client.generic(
                    method, url, data=_json(body), content_type="application/json", **headers
                )

            got = _attempt(send, write=method != "GET", api=True)
            _check(f"{method} {path} ({url})", role, entry.expect[role], got, problems, entry.changes)


def _json(body) -> str:
    import json

    return json.dumps(body, default=str)


@pytest.mark.parametrize("app", modules())
def test_access(sworld, app):
    module = load(app)
    problems: list[str] = []
    RECORDED.clear()
    replay_urls(sworld, getattr(module, "URLS", {}), problems)
    replay_api(sworld, getattr(module, "API", {}), problems)
    if os.environ.get("SWEEP_RECORD"):
        with (Path(os.environ["SWEEP_RECORD"]) / f"sweep-record-{app}.txt").open("w") as out:
            out.writelines(f"{label}\n    {as_entry(observed)}\n" for label, observed in RECORDED.items())
        RECORDED.clear()
    assert not problems, f"{len(problems)} access mismatches ({ACCESS}/{app}.py):\n" + "\n".join(problems)


def test_admin_is_staff_only(sworld):
    """One rule for every admin:* URL: only staff get past the admin login."""
    rule = load("admin")
    problems: list[str] = []
    clients = {role: sworld.client(role) for role in ROLES}
    for name, app in url_names().items():
        if app != "admin":
            continue
        url = rule.url_for(name)
        for role in ROLES:
            expected = rule.expected(name, role)
            if expected is None:
                continue
            got = _attempt(lambda: clients[role].get(url), write=False)  # noqa: B023
            rule.check(name, url, role, got[0], problems)
    assert not problems, "\n".join(problems)
