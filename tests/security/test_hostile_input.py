"""Malformed uploads and paths answer 4xx with a message, never 500 (tester's report: an XLSX with a DTD
gave a 500 with a traceback; `GET /static/..%2fsecret_key.txt` gave a 500).

Every import and upload endpoint gets each hostile file: entity declarations (XXE, billion laughs), a zip
bomb, too many rows, too wide a row, a too long cell, wrong encodings, a wrong type behind a right name."""

import zipfile
from io import BytesIO

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import load_command_class
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import Workbook

from clusterxchange.core.tabular import TableError, read_table
from clusterxchange.directory.models import Organisation
from clusterxchange.training.models import TrainingEntry

pytestmark = pytest.mark.django_db


def xlsx(rows=(("name", "type", "country"), ("Acme", "sme", "DE"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, member: str, transform) -> bytes:
    source, out = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            archive.writestr(info.filename, transform(data) if info.filename == member else data)
    return out.getvalue()


XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def hostile_files() -> dict[str, tuple[str, bytes, str]]:
    """name → (file name, content, words the refusal must contain)."""
    base = xlsx()
    return {
        "xxe in the sheet": (
            "x.xlsx",
            rewritten(base, "xl/worksheets/sheet1.xml", lambda d: XXE + d.replace(b"Acme", b"&xxe;")),
            "could not be read",
        ),
        "xxe in the workbook": (
            "x.xlsx",
            rewritten(base, "xl/workbook.xml", lambda d: XXE + d),
            "could not be read",
        ),
        "entity expansion": (
            "x.xlsx",
            rewritten(base, "xl/worksheets/sheet1.xml", lambda d: LAUGHS + d.replace(b"Acme", b"&b;")),
            "could not be read",
        ),
        "zip bomb": (
            "x.xlsx",
            rewritten(
                base,
                "xl/worksheets/sheet1.xml",
                lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * 120 * 2**20),
            ),
            "unpacks to more than",
        ),
        "broken zip": ("x.xlsx", b"PK\x03\x04" + b"\x00" * 64, "could not be read"),
        "too many rows": ("x.xlsx", xlsx([("name",)] + [("a",)] * 10_050), "more than 10000 rows"),
        "too wide a row": ("x.csv", ",".join(["c"] * 5000).encode(), "more than 200 columns"),
        "too long a cell": ("x.csv", b"name\n" + b"a" * 200_000, "could not be read"),
        "utf-16": ("x.csv", "name,type\nAcme,sme".encode("utf-16"), "not a CSV text file"),
        "latin-1": ("x.csv", "name,type\nMüller,sme".encode("latin-1"), "UTF-8"),
        "pdf named csv": ("x.csv", b"%PDF-1.4\n\x00\x01", "not a CSV text file"),
        "csv named xlsx": ("x.xlsx", b"name,type\n", "not an XLSX file"),
        "executable": ("x.exe", b"MZ\x90\x00", "Upload a .csv or .xlsx file"),
    }


HOSTILE = hostile_files()


@pytest.mark.parametrize("case", HOSTILE)
def test_the_reader_refuses_with_a_message(case):
    name, content, words = HOSTILE[case]
    with pytest.raises(TableError, match=words):
        read_table(name, content)


def test_no_entity_is_ever_resolved():
    """With defusedxml, openpyxl refuses entity declarations outright (nothing read from the disk)."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


IMPORTS = {
    "directory": (
        lambda world: reverse("directory:import"),
        lambda world: {"kind": "organisations", "cluster": world.cluster_a.pk},
    ),
    "training": (lambda world: reverse("training:import"), lambda world: {}),
}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("endpoint", IMPORTS)
def test_every_import_page_refuses_each_hostile_file_with_a_message(world, endpoint, case):
    url, fields = IMPORTS[endpoint]
    name, content, words = HOSTILE[case]
    organisations, entries = Organisation.objects.count(), TrainingEntry.objects.count()
    response = world.client("coordinator").post(
        url(world), {**fields(world), "file": SimpleUploadedFile(name, content), "dry_run": "on"}
    )
    assert response.status_code in {200, 400, 413, 422}, response.status_code
    assert words in response.content.decode()
    assert (Organisation.objects.count(), TrainingEntry.objects.count()) == (organisations, entries)


UPLOADS = {
    "pdf named png": ("evidence.png", b"%PDF-1.4\n%%EOF\n"),
    "html": ("evidence.pdf", b"<html><script>alert(1)</script></html>"),
    "svg": ("evidence.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "xlsx with xxe": ("evidence.pdf", HOSTILE["xxe in the sheet"][1]),
    "empty": ("evidence.pdf", b""),
}


@pytest.mark.parametrize("case", UPLOADS)
def test_the_evidence_upload_refuses_each_hostile_file_with_a_message(sworld, client, case):
    name, content = UPLOADS[case]
    exchange = sworld.in_progress
    response = client.post(
        f"/api/exchanges/{exchange.reference}/evidence",
        {"file": SimpleUploadedFile(name, content), "kind": "travel"},
        **sworld.api_headers("owner"),
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response.json()
    assert exchange.evidence.count() == 1  # only the world's own


PATHS = [
    "/static/..%2fsecret_key.txt",
    "/static/../secret_key.txt",
    "/static/%2e%2e/%2e%2e/settings.py",
    "/static/..%5csecret_key.txt",
    "/static/core/..%2f..%2f..%2fsettings.py",
    "/media/..%2fsecret_key.txt",
    "/static/%00",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_path_leaving_the_static_folder_is_a_404(client, path):
    assert client.get(path).status_code in {400, 404}


@pytest.mark.parametrize("path", PATHS[:5])
def test_the_development_server_does_not_answer_them_with_a_500(settings, path):
    """`clusterxchange demo` serves with `runserver`: its handler is the application without Django's
    static files handler (which let SuspiciousFileOperation escape); WhiteNoise serves static files."""
    settings.DEBUG = True
    command = load_command_class("clusterxchange.core", "runserver")
    handler = command.get_handler(use_static_handler=True, insecure_serving=False)
    assert not isinstance(handler, StaticFilesHandler)
    environ = RequestFactory().get("/").environ
    environ["PATH_INFO"] = path.replace("%2f", "/").replace("%2e", ".")  # what the WSGI server decodes
    status = {}
    # As Django's test client does: the request signals must not close the test's database
    # connection (on PostgreSQL it is inside the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = handler(environ, lambda code, headers, *args: status.setdefault("code", code))
        b"".join(body)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert status["code"].startswith(("400", "404")), status
