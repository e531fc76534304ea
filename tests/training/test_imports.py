"""Catalogue import: per-row errors, unknown topics refused, nothing half-imported."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterxchange.core.tabular import read_table
from clusterxchange.training.imports import import_entries
from clusterxchange.training.models import TrainingEntry

HEADER = "title,provider,link,topics,format,level,languages,cost_eur,certificate,sessions\n"
GOOD = (
    "Cyber basics,Academy,https://a.example/1,cybersecurity,webinar,beginner,en;de,0,yes,2026-05-04 10:00-12:00\n"
    "Branding,Academy,https://a.example/2,Cluster branding;cluster-excellence,self_paced,intermediate,en,120,no,\n"
)


def table(text: str):
    return read_table("courses.csv", text.encode())


def test_a_valid_file_imports_every_row(tw):
    before = TrainingEntry.objects.count()
    report = import_entries(tw.user("coordinator"), table(HEADER + GOOD), dry_run=False)
    assert report.ok and report.created == 2
    assert TrainingEntry.objects.count() == before + 2
    cyber = TrainingEntry.objects.get(title="Cyber basics")
    assert cyber.status == "published"
    assert [lang.code for lang in cyber.languages.order_by("code")] == ["de", "en"]
    assert cyber.sessions.count() == 1
    branding = TrainingEntry.objects.get(title="Branding")
    assert sorted(t.code for t in branding.topics.all()) == ["cluster-branding", "cluster-excellence"]


def test_dry_run_writes_nothing(tw):
    before = TrainingEntry.objects.count()
    report = import_entries(tw.user("coordinator"), table(HEADER + GOOD), dry_run=True)
    assert report.ok and report.created == 0
    assert TrainingEntry.objects.count() == before


def test_bad_rows_are_reported_and_nothing_is_imported(tw):
    bad = (
        "Knitting,Academy,https://a.example/3,knitting;cybersecurity,webinar,beginner,en,0,no,\n"
        "Free money,Academy,ftp://a.example/4,funding,webinar,beginner,en,-10,no,\n"
        "Dates,Academy,https://a.example/5,funding,course,expert,xx,abc,maybe,tomorrow\n"
    )
    before = TrainingEntry.objects.count()
    report = import_entries(tw.user("coordinator"), table(HEADER + GOOD + bad), dry_run=False)
    assert not report.ok and report.created == 0
    assert TrainingEntry.objects.count() == before
    errors = {(e.row, e.field): e.message for e in report.errors}
    assert errors[(4, "topics")] == "Unknown topic “knitting”."
    assert "link" in {field for row, field in errors if row == 5}
    assert errors[(5, "cost_eur")] == "The cost cannot be negative."
    row6 = {field for row, field in errors if row == 6}
    assert {"format", "level", "languages", "cost_eur", "certificate", "sessions"} <= row6
    assert all(row >= 4 for row, _field in errors)  # the good rows 2 and 3 have no error


def test_missing_and_unknown_columns(tw):
    report = import_entries(tw.user("coordinator"), table("title,provider,colour\nA,B,red\n"))
    assert {(e.field, e.message) for e in report.errors} >= {
        ("link", "The required column is missing."),
        ("topics", "The required column is missing."),
        ("colour", "Unknown column."),
    }


def test_duplicates_are_refused(tw):
    dup = (
        "NIS2 for cluster managers,Test Academy,https://a.example/9,cybersecurity,webinar,beginner,en,0,no,\n"
    )
    report = import_entries(tw.user("coordinator"), table(HEADER + GOOD + GOOD.splitlines()[0] + "\n" + dup))
    messages = [e.message for e in report.errors]
    assert "Same title and provider as row 2." in messages
    assert "This course of this provider is already in the catalogue." in messages


def test_only_the_coordinator_imports(tw):
    with pytest.raises(PermissionDenied):
        import_entries(tw.user("manager"), table(HEADER + GOOD))


def test_xlsx_import_through_the_page(tw):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in (HEADER + GOOD).splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("courses.xlsx", buffer.getvalue())
    response = tw.client("coordinator").post(reverse("training:import"), {"file": upload, "dry_run": ""})
    assert response.status_code == 302
    assert TrainingEntry.objects.filter(title="Branding").exists()


def test_the_page_lists_row_errors(tw):
    upload = SimpleUploadedFile(
        "courses.csv", (HEADER + "X,Y,https://a.example,knitting,webinar,,,,,\n").encode()
    )
    response = tw.client("coordinator").post(reverse("training:import"), {"file": upload, "dry_run": ""})
    page = response.content.decode()
    assert "nothing was imported" in page
    assert "Unknown topic “knitting”." in page
    assert not TrainingEntry.objects.filter(title="X").exists()
