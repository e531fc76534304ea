"""Field-level sweep: every page, export and API operation × every role shows no field outside the declaration.

Values nobody could guess are planted in the restricted fields of the owner's organisation (Alpha
Sensors), of its people, and of the host requests of one exchange (a first host, Gamma Robotics,
declined with a private reason; a second host, Delta Drones — the outsider's organisation — was asked
afterwards). Then every URL and API operation of the authorization sweep's tables (access/), and every
list page again with `?export=csv` and `?export=xlsx`, is requested as each role; a planted value may
appear only in what a role may read by the declarations (directory/audiences.py and each app's
disclosure.py), given who each role is for the planted record (`AUDIENCES`, written out below).

PDFs are not searched (their text is compressed); the data export is a JSON file in a ZIP: searched.
"""

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from clusterxchange.core import audit
from clusterxchange.directory.audiences import Audience
from clusterxchange.directory.disclosure import ORGANISATION, PERSON
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges.disclosure import HOST_REQUEST
from clusterxchange.exchanges.models import HostRequest
from tests.security.access import ROLES, load, modules

pytestmark = pytest.mark.django_db

P, M, OM, PM, C = (
    Audience.PUBLIC,
    Audience.PROGRAMME_MEMBER,
    Audience.ORGANISATION_MEMBER,
    Audience.PARTNER_MANAGER,
    Audience.COORDINATOR,
)
# Who each role is for each planted record (the facts of the sweep world, see conftest.py).
AUDIENCES = {
    # Alpha Sensors and its people: the owner works there, the manager manages its cluster (A).
    "alpha": {
        "coordinator": {P, M, C},
        "manager": {P, M, PM},
        "other_manager": {P, M},
        "owner": {P, M, OM},
        "outsider": {P, M},
        "anonymous": {P},
    },
    # The request to Gamma Robotics (cluster B): the visitor's side, that host's partnership (other_manager).
    "first_host_request": {
        "coordinator": {P, M, C},
        "manager": {P, M, PM},
        "other_manager": {P, M, PM},
        "owner": {P, M, OM},
        "outsider": {P, M},
        "anonymous": {P},
    },
    # The later request to Delta Drones, the outsider's organisation (also in cluster B).
    "second_host_request": {
        "coordinator": {P, M, C},
        "manager": {P, M, PM},
        "other_manager": {P, M, PM},
        "owner": {P, M, OM},
        "outsider": {P, M, OM},
        "anonymous": {P},
    },
}


@dataclass(frozen=True)
class Planted:
    label: str
    pattern: re.Pattern
    declaration: object
    field: str
    record: str

    def allowed(self, role: str) -> bool:
        return self.declaration.may_read(self.field, AUDIENCES[self.record][role])


def _digits(number: str) -> re.Pattern:
    """A number as any page may print it: 987654321, 987,654,321, 987 654 321, 987654321.00."""
    groups = [number[max(0, i - 3) : i] for i in range(len(number), 0, -3)][::-1]
    return re.compile(r"[,.\s\u202f\xa0']?".join(groups))


PLANTED = [
    Planted("VAT number", re.compile("ZZ0987612345"), ORGANISATION, "vat_number", "alpha"),
    Planted("turnover", _digits("987654321"), ORGANISATION, "turnover_eur", "alpha"),
    Planted("balance sheet", _digits("876543219"), ORGANISATION, "balance_sheet_eur", "alpha"),
    Planted(
        "staff count", re.compile(r"(?<![\d])(?:9,?173|9\.173)(?![\d])"), ORGANISATION, "staff_count", "alpha"
    ),
    Planted("person email", re.compile("planted-amelie@alpha"), PERSON, "email", "alpha"),
    Planted("person phone", _digits("555019"), PERSON, "phone", "alpha"),
    Planted("hidden person email", re.compile("planted-hidden@alpha"), PERSON, "email", "alpha"),
    Planted(
        "first host's message", re.compile("PLANTED-FIRST-ASK"), HOST_REQUEST, "message", "first_host_request"
    ),
    Planted(
        "first host's reason for declining",
        re.compile("PLANTED-DECLINE-REASON"),
        HOST_REQUEST,
        "response",
        "first_host_request",
    ),
    Planted(
        "second host's message",
        re.compile("PLANTED-SECOND-ASK"),
        HOST_REQUEST,
        "message",
        "second_host_request",
    ),
]


def plant(s) -> None:
    org = s.w.org_a1
    org.vat_number, org.turnover_eur, org.balance_sheet_eur = "ZZ0987612345", 987654321, 876543219
    org.staff_count = 9173
    org.save()
    s.w.person_a1.email, s.w.person_a1.phone = "planted-amelie@alpha.example", "+99 555019"
    s.w.person_a1.save()
    s.w.hidden_person_a1.email = "planted-hidden@alpha.example"
    s.w.hidden_person_a1.save()
    exchange, owner = s.validated, s.users["owner"]
    first = s.host_request
    first.message, first.status, first.response = "PLANTED-FIRST-ASK", HostRequest.Status.DECLINED, ""
    first.response = "PLANTED-DECLINE-REASON"
    first.save()
    delta = Organisation.objects.get(name="Delta Drones")
    HostRequest.objects.create(exchange=exchange, host_organisation=delta, message="PLANTED-SECOND-ASK")
    for action, actor, comment, host in (
        ("request_host", owner, "PLANTED-FIRST-ASK", first.host_organisation),
        ("host_declined", s.x.users["host"], "PLANTED-DECLINE-REASON", first.host_organisation),
        ("request_host", owner, "PLANTED-SECOND-ASK", delta),
    ):
        audit.record(
            actor,
            f"exchanges.{action}",
            exchange,
            from_state=exchange.state,
            to_state=exchange.state,
            comment=comment,
            changes={"host": str(host), "host_id": str(host.pk)},
        )


def text_of(response) -> str:
    """Everything a client can read in a response: HTML/JSON/CSV text, XLSX cells, files in a ZIP."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"PK"):
        if "spreadsheetml" in kind:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                " ".join("" if cell is None else str(cell) for cell in row)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".json", ".csv", ".txt", ".html"))
            )
    if content.startswith(b"%PDF"):
        return ""
    text = content.decode("utf-8", "replace")
    if "json" in kind:
        with contextlib.suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


def leaks(text: str, role: str) -> list[str]:
    return [
        planted.label for planted in PLANTED if not planted.allowed(role) and planted.pattern.search(text)
    ]


# List pages that also answer `?export=csv|xlsx` (the reporting exports have URLs of their own).
EXPORTING = {
    "directory:organisations",
    "directory:clusters",
    "directory:people",
    "events:registrations",
    "events:grid",
}


def _on_planted_exchange(s, values: dict, read: bool) -> list[dict]:
    """The entry's own kwargs, and for a read of an exchange also the exchange with the planted requests."""
    if read and "reference" in values and values["reference"] != s.validated.reference:
        return [values, {**values, "reference": s.validated.reference}]
    return [values]


def _requests(s):
    """(label, method, url, body) for every page GET, export and API operation of the tables."""
    for app in modules():
        module = load(app)
        for name, entries in getattr(module, "URLS", {}).items():
            for entry in entries if isinstance(entries, list) else [entries]:
                query = entry.query(s) if callable(entry.query) else entry.query
                exports = ("?export=csv", "?export=xlsx") if name in EXPORTING and not query else ()
                for kwargs in _on_planted_exchange(s, entry.kwargs(s), read=True):
                    url = reverse(name, kwargs=kwargs)
                    for extra in ("", *exports):
                        yield f"GET {name} {url}{query}{extra}", "get", url + query + extra, None
        for (method, path), op in getattr(module, "API", {}).items():
            if op.multipart:
                continue
            body = op.body(s) if op.body else None
            for params in _on_planted_exchange(s, op.params(s), read=method == "GET"):
                url = path.format(**params) + op.query
                yield f"{method} {path} ({url})", method, url, body


def _send(client, method: str, url: str, body, headers: dict):
    if method == "get":
        return client.get(url)
    if body is None:
        return client.generic(method, url, **headers)
    return client.generic(
        method, url, data=json.dumps(body, default=str), content_type="application/json", **headers
    )


def sweep(s) -> list[str]:
    problems = []
    clients = {role: s.client(role) for role in ROLES}
    api_client = Client()
    for label, method, url, body in _requests(s):
        for role in ROLES:
            client, headers = (clients[role], {}) if method == "get" else (api_client, s.api_headers(role))
            with transaction.atomic():
                try:
                    response = _send(client, method, url, body, headers)
                    found = leaks(text_of(response), role) if response.status_code < 300 else []
                except Exception as exc:  # reported with the rest
                    found = [f"exception {type(exc).__name__}"]
                transaction.set_rollback(True)
            if found:
                problems.append(f"{label} as {role}: {', '.join(found)}")
    return problems


def test_no_field_outside_the_declaration(sworld):
    plant(sworld)
    problems = sweep(sworld)
    assert not problems, f"{len(problems)} responses show fields outside the declaration:\n" + "\n".join(
        problems
    )


def test_the_planted_values_are_found_where_allowed(sworld):
    """The sweep can see: each planted value appears to a role the declaration lets read it."""
    plant(sworld)
    client = sworld.client("coordinator")
    seen = text_of(client.get(reverse("directory:organisations") + "?export=csv"))
    seen += text_of(client.get(reverse("directory:people") + "?export=xlsx"))
    seen += text_of(
        client.get(
            f"/api/exchanges/{sworld.validated.reference}/timeline", **sworld.api_headers("coordinator")
        )
    )
    seen += text_of(
        Client().get(f"/api/exchanges/{sworld.validated.reference}", **sworld.api_headers("coordinator"))
    )
    missing = [planted.label for planted in PLANTED if not planted.pattern.search(seen)]
    assert not missing, f"planted values not found even for the coordinator: {missing}"
