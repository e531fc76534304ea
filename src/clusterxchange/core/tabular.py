"""Reading and writing tables (CSV and XLSX) safely: size and type checks on the way in,
formula-injection neutralised on the way out."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "|", "%", "\t", "\r")
LEADING_BLANKS = " \t\r\n\u00a0"
NUMBER = re.compile(r"^-?[0-9,.]+$")


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, too big, not a table)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[dict[str, str]]

    def numbered(self) -> Iterable[tuple[int, dict[str, str]]]:
        """Rows with the number a spreadsheet shows: the header is row 1."""
        return ((index + 2, row) for index, row in enumerate(self.rows))


def read_table(name: str, content: bytes) -> Table:
    if len(content) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(content)
    elif suffix == ".xlsx":
        rows = _read_xlsx(content)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not rows:
        raise TableError(_("The file is empty."))
    headers = [str(cell or "").strip().lower() for cell in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise TableError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    records = []
    for raw in rows[1:]:
        values = [restore("" if cell is None else str(cell).strip()) for cell in raw]
        if not any(values):
            continue
        records.append(
            {header: values[i] if i < len(values) else "" for i, header in enumerate(headers) if header}
        )
    return Table(headers=[h for h in headers if h], rows=records)


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise TableError(_("This is not a CSV text file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(_("The CSV file must be encoded in UTF-8.")) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(content: bytes) -> list[list]:
    if not content.startswith(b"PK"):
        raise TableError(_("This is not an XLSX file."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise TableError(_("The XLSX file could not be read.")) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take the text for a formula: it starts with a tab or a carriage
    return, or (after any leading spaces and line breaks) with `= + - @ | %`, and is not a plain number."""
    if text.startswith(("\t", "\r")):
        return True
    stripped = text.lstrip(LEADING_BLANKS)
    return stripped.startswith(FORMULA_PREFIXES) and not NUMBER.match(stripped)


def neutralise(value) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (as defusedcsv does,
    which misses a leading tab, carriage return or spaces)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise`, so that an exported file imports back unchanged."""
    if value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from defusedcsv import csv as safe_csv

    buffer = io.StringIO()
    writer = safe_csv.writer(buffer)
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "export") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
