"""Imports: a dry run lists every invalid row; nothing is written unless every row is valid."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clusterxchange.core.tabular import TableError, read_table, write_csv
from clusterxchange.directory.columns import ORGANISATION_COLUMNS
from clusterxchange.directory.imports import import_organisations, import_people
from clusterxchange.directory.models import ClusterMembership, Organisation, Person

HEADER = "name,type,country,city,email,staff_count,ecosystems,sectors,vat_number\n"


def csv_table(text: str):
    return read_table("upload.csv", text.encode())


def test_valid_rows_are_written_only_after_the_dry_run(world):
    table = csv_table(
        HEADER + "Zeta GmbH,SME,de,Dresden,info@zeta.example,12,electronics;digital,26,DE111\n"
        "Eta SAS,scaling_up,FR,Nice,,40,,72,\n"
    )
    report = import_organisations(world.users["coordinator"], table, dry_run=True)
    assert report.ok, report.errors
    assert not Organisation.objects.filter(name="Zeta GmbH").exists()
    report = import_organisations(world.users["coordinator"], table, dry_run=False)
    assert report.created == 2
    zeta = Organisation.objects.get(name="Zeta GmbH")
    assert (zeta.country.code, zeta.is_sme, zeta.vat_number) == ("DE", None, "DE111")
    assert sorted(e.code for e in zeta.ecosystems.all()) == ["digital", "electronics"]


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    world.org_a1.vat_number = "FR999"
    world.org_a1.save()
    table = csv_table(
        HEADER
        + "Good One,sme,DE,Dresden,,5,,,\n"  # row 2: valid
        + "Bad Country,sme,XX,Nowhere,,5,,,\n"  # row 3
        + "Bad Mail,sme,DE,Leipzig,not-an-email,5,,,\n"  # row 4
        + "Negative,sme,DE,Leipzig,,-4,,,\n"  # row 5
        + "Alpha Sensors,sme,FR,Nice,,5,,,\n"  # row 6: duplicate of an existing organisation
        + "Good One,sme,DE,Dresden,,5,,,\n"  # row 7: duplicate of row 2
        + "Vat Twin,sme,FR,Lyon,,5,,,FR999\n"  # row 8: duplicate VAT
        + "Odd Type,giant,DE,Bonn,,5,unknown-eco,ZZ,\n"  # row 9
    )
    before = Organisation.objects.count()
    report = import_organisations(world.users["coordinator"], table, dry_run=False)
    assert not report.ok
    assert Organisation.objects.count() == before
    found = {(e.row, e.field) for e in report.errors}
    assert {
        (3, "country"),
        (4, "email"),
        (5, "staff_count"),
        (6, "name"),
        (7, "name"),
        (8, "name"),
        (9, "type"),
        (9, "ecosystems"),
        (9, "sectors"),
    } <= found
    assert not any(e.row == 2 for e in report.errors)
    messages = {(e.row, e.field): e.message for e in report.errors}
    assert "row 2" in messages[(7, "name")]
    assert "already exists" in messages[(6, "name")]


def test_missing_and_unknown_columns_are_reported(world):
    report = import_organisations(
        world.users["coordinator"], csv_table("name,colour\nX,blue\n"), dry_run=False
    )
    assert {(e.row, e.field) for e in report.errors} == {(1, "type"), (1, "country"), (1, "colour")}


def test_manager_import_joins_their_cluster(world):
    table = csv_table(HEADER + "Theta Oy,sme,FI,Oulu,,8,,,\n")
    report = import_organisations(world.users["manager"], table, dry_run=False, cluster=world.cluster_a)
    assert report.created == 1
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member__name="Theta Oy").exists()


def test_people_import_checks_organisation_rights(world):
    text = (
        "first_name,last_name,email,organisation,languages\n"
        f"Ana,Lopez,ana@x.example,{world.org_a1.slug},es;en\n"
        f"Bo,Berg,bo@x.example,{world.org_b1.slug},xx\n"
        "Cy,Dee,cy@x.example,no-such-org,\n"
    )
    report = import_people(world.users["manager"], csv_table(text), dry_run=False)
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "organisation"),
        (3, "languages"),
        (4, "organisation"),
    }
    assert not Person.objects.filter(last_name="Lopez").exists()


def test_xlsx_upload_and_formula_neutralised_export(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "type", "country", "description"])
    sheet.append(['=HYPERLINK("http://evil")', "sme", "DE", "+danger"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table("orgs.xlsx", buffer.getvalue())
    # Formulas are never evaluated: a cell is read as the value the spreadsheet saved (none here).
    assert table.rows[0]["name"] == ""
    assert table.rows[0]["description"] == "+danger"
    exported = write_csv(["name"], [["=1+2"], ["-2.5"], ["@SUM(A1)"]]).decode("utf-8-sig").splitlines()
    assert exported == ["name", "'=1+2", "-2.5", "'@SUM(A1)"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.exe", b"MZ...", "Upload a .csv or .xlsx file"),
        ("fake.xlsx", b"name,type\n", "not an XLSX file"),
        ("binary.csv", b"\x00\x01\x02", "not a CSV text file"),
        ("latin.csv", "name\nMüller".encode("latin-1"), "UTF-8"),
        ("big.csv", b"a" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_bad_files_are_refused(name, content, message):
    with pytest.raises(TableError, match=message):
        read_table(name, content)


def test_export_imports_back_unchanged(world):
    """Round trip: export the directory, delete it, import the file, export again: same bytes."""
    client = world.client("coordinator")
    world.org_a1.phone = "+33 1 23"
    # typed coordinates come back as they are (without any, the import would take the city's centre)
    world.org_a1.latitude, world.org_a1.longitude = 43.7, 7.25
    world.org_a1.save()
    first = client.get(reverse("directory:organisations"), {"export": "xlsx", "q": "alpha"})
    assert first.status_code == 200
    rows = list(load_workbook(io.BytesIO(first.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ORGANISATION_COLUMNS
    assert rows[1][ORGANISATION_COLUMNS.index("phone")] == "'+33 1 23"
    Organisation.objects.filter(pk=world.org_a1.pk).delete()
    report = import_organisations(
        world.users["coordinator"], read_table("x.xlsx", first.content), dry_run=False
    )
    assert report.ok, report.errors
    second = client.get(reverse("directory:organisations"), {"export": "xlsx", "q": "alpha"})
    again = list(load_workbook(io.BytesIO(second.content)).active.iter_rows(values_only=True))
    assert again == rows


def test_import_page_dry_run_then_confirm(world):
    client = world.client("coordinator")
    upload = io.BytesIO((HEADER + "Iota AB,sme,SE,Lund,,3,,,\n").encode())
    upload.name = "orgs.csv"
    response = client.post(reverse("directory:import"), {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert (
        "All 1 rows are valid" in response.content.decode() or "1 row is valid" in response.content.decode()
    )
    assert not Organisation.objects.filter(name="Iota AB").exists()
    token = response.context["confirm_fields"]["confirm_token"]
    response = client.post(
        reverse("directory:import"), {"kind": "organisations", "confirm_token": token, "confirm": "1"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Iota AB").exists()


def test_import_page_lists_errors(world):
    client = world.client("coordinator")
    upload = io.BytesIO((HEADER + "Kappa,sme,QQ,,,,,,\n").encode())
    upload.name = "orgs.csv"
    response = client.post(reverse("directory:import"), {"kind": "organisations", "file": upload})
    page = response.content.decode()
    assert "nothing was imported" in page
    assert "<td>2</td><td>country</td>" in page
