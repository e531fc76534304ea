"""Exports neutralise every leading character a spreadsheet takes for a formula (`= + - @ | %`, a tab, a
carriage return, also after leading spaces), in CSV and XLSX (tester's report: a tab or carriage return
before `=` reached the CSV export unprefixed)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusterxchange.core.tabular import read_table, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "|calc",
    "%0A=1",
    "\t=1+1",
    "\r=1+1",
    "\t@SUM(A1)",
    "  =1+1",
    " \t+1",
    "\n=1+1",
    '\u00a0=HYPERLINK("http://evil.example")',
    "\r\n-2+3",
]
HARMLESS = ["-2.5", "1,000", "Sensors", "a=b", "hello @team"]


def xml_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_cells(content: bytes) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]


def xlsx_cells(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(
    ("fmt", "write", "cells"), [("csv", write_csv, csv_cells), ("xlsx", write_xlsx, xlsx_cells)]
)
def test_a_formula_like_value_is_prefixed(fmt, write, cells, value):
    stored = value if fmt == "csv" else xml_line_ends(value)  # XML keeps no carriage return
    _header, cell = cells(write(["name"], [[value]]))
    assert cell == "'" + stored
    # …and read back unchanged by the importers.
    back = read_table(f"back.{fmt}", write(["name"], [[value + "x"]]))
    assert back.rows[0]["name"] == stored + "x"


@pytest.mark.parametrize("value", HARMLESS)
@pytest.mark.parametrize(("write", "cells"), [(write_csv, csv_cells), (write_xlsx, xlsx_cells)])
def test_plain_values_and_numbers_are_left_alone(write, cells, value):
    assert cells(write(["name"], [[value]]))[1] == value


def test_a_formula_like_header_is_prefixed_too():
    assert csv_cells(write_csv(["\t=cmd"], []))[0] == "'\t=cmd"
    assert xlsx_cells(write_xlsx(["=cmd"], []))[0] == "'=cmd"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_directory_export_neutralises_a_stored_name(world, fmt):
    world.org_a1.name = '\t=HYPERLINK("http://evil.example","x")'
    world.org_a1.save()
    response = world.client("coordinator").get(reverse("directory:organisations") + f"?export={fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert "'\t=HYPERLINK" in text
        assert "\n\t=HYPERLINK" not in text and ",\t=HYPERLINK" not in text
    else:
        values = [
            cell
            for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
            for cell in row
        ]
        assert "'" + world.org_a1.name in values
        assert world.org_a1.name not in values
