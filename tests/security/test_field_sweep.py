"""Field sweep: every writable field of every API operation is declared in `fields.py`, and every probed
value a role may not set is refused with nothing changed (tester's report: a participant lifted the
organiser's meeting cap with `{"meeting_cap": 999}`)."""

import pytest

from clusterxchange.api.schema import current_schema
from tests.security.access import REFUSED, load, modules
from tests.security.fields import FIELDS
from tests.security.test_authorization_sweep import _attempt, _json

pytestmark = pytest.mark.django_db


def writable_fields() -> dict[tuple[str, str], set[str]]:
    """(METHOD, path) → the properties of its request body, from the live schema."""
    schema = current_schema()
    components = schema["components"]["schemas"]
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body = content["schema"]
                if "$ref" in body:
                    body = components[body["$ref"].rsplit("/", 1)[-1]]
                found[(method.upper(), path)] = set(body.get("properties", {}))
    return found


def operations() -> dict:
    ops = {}
    for app in modules():
        ops.update(getattr(load(app), "API", {}))
    return ops


def test_every_writable_field_is_declared():
    problems = []
    live = writable_fields()
    for key, names in sorted(live.items()):
        declared = FIELDS[key].declared() if key in FIELDS else set()
        if missing := sorted(names - declared):
            problems.append(f"{key}: fields {missing} have no declaration in tests/security/fields.py")
        if extra := sorted(declared - names):
            problems.append(f"{key}: fields.py declares {extra}, which the operation no longer has")
    problems += [
        f"{key} is declared in fields.py but has no request body" for key in FIELDS if key not in live
    ]
    assert not problems, "\n".join(problems)


PROBES = [(key, probe) for key, fields in FIELDS.items() for probe in fields.probes]


@pytest.mark.parametrize(
    ("key", "probe"), PROBES, ids=[f"{m} {p} {probe.field} as {probe.role}" for (m, p), probe in PROBES]
)
def test_a_role_cannot_set_a_value_it_may_not_set(sworld, client, key, probe):
    method, path = key
    entry = operations()[key]
    assert entry.expect[probe.role] not in REFUSED or probe.role, "probe a role the operation admits"
    body = dict(entry.body(sworld) if entry.body else {})
    body[probe.field] = probe.value(sworld)
    url = path.format(**entry.params(sworld)) + entry.query
    headers = sworld.api_headers(probe.role)

    def send():
        return client.generic(method, url, data=_json(body), content_type="application/json", **headers)

    result, changed = _attempt(send, write=True, api=True)
    assert result in REFUSED, (
        f"{method} {url} with {probe.field}={body[probe.field]!r} as {probe.role}: {result}"
    )
    assert not changed, f"{method} {url} as {probe.role}: refused ({result}) but the database changed"
