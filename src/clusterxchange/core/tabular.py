"""Reading and writing tables (CSV and XLSX) safely: size and type checks on the way in,
formula-injection neutralised on the way out."""

import csv
import io
import re
import secrets
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from defusedcsv import csv as safe_csv
from django.conf import settings
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "|", "%", "\t", "\r")
LEADING_BLANKS = " \t\r\n\u00a0"
NUMBER = re.compile(r"^-?[0-9,.]+$")


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: its row (as the person counts them, header = 1), column, reason."""

    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import found: nothing is written unless ``ok`` (no row has an error)."""

    kind: str = ""
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


LIST_SEPARATOR = ";"


def split_list(value: str) -> list[str]:
    """The items of a cell listing several values, separated by ";" or ","."""
    return [item.strip() for item in value.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR) if item.strip()]


def choice_lookup(choices) -> dict[str, str]:
    """A cell's value → the choice's stored value: the stored value itself or its label, any case."""
    lookup = {}
    for value, label in choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
    return lookup


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
    try:
        return _limited(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # a cell above the csv module's field limit, a stray quote…
        raise TableError(
            _("The CSV file could not be read: a cell is too long or a quotation mark is not closed.")
        ) from exc


def _read_xlsx(content: bytes) -> list[list]:
    """The first sheet's values. openpyxl parses with defusedxml (no entities, no external DTD); the
    archive is checked first so that a small upload cannot unpack to gigabytes (a zip bomb)."""
    if not content.startswith(b"PK"):
        raise TableError(_("This is not an XLSX file."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TableError(_("The XLSX file could not be read.")) from exc
    if len(entries) > MAX_XLSX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_XLSX_UNPACKED_BYTES:
        raise TableError(
            _("The XLSX file unpacks to more than %(max)d MB.") % {"max": MAX_XLSX_UNPACKED_BYTES // 1048576}
        )
    from openpyxl import load_workbook  # noqa: PLC0415 — heavy: loaded only to read or write a spreadsheet

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return _limited(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception as exc:  # openpyxl and defusedxml raise many kinds; every one means a bad file
        raise TableError(_("The XLSX file could not be read.")) from exc


def _limited(rows: Iterable[Sequence]) -> list[list]:
    """The rows, refused as soon as there are more than MAX_ROWS (plus the header) or a row is wider
    than MAX_COLUMNS: nothing above the limits is kept in memory."""
    kept = []
    for row in rows:
        if len(kept) > MAX_ROWS:
            raise TableError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        if len(row) > MAX_COLUMNS:
            raise TableError(_("A row has more than %(max)d columns.") % {"max": MAX_COLUMNS})
        kept.append(list(row))
    return kept


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


def stash_upload(request, name: str, content: bytes) -> str:
    """Keep a checked upload until the user confirms it (per session, in the data folder); returns the
    token that `take_stashed_upload` takes."""
    token = secrets.token_urlsafe(16)
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(content)
    request.session[f"import-{token}"] = name
    return token


def take_stashed_upload(request, token: str) -> tuple[str, bytes] | None:
    """The (name, content) stashed by this session under `token`, removed; None when gone or not its."""
    name = request.session.pop(f"import-{token}", None)
    path = Path(settings.DATA_DIR) / "imports" / token
    if name is None or not path.is_file():
        return None
    content = path.read_bytes()
    path.unlink()
    return name, content


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:

    buffer = io.StringIO()
    writer = safe_csv.writer(buffer)
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "export") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 — heavy: loaded only to read or write a spreadsheet

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
