"""Serving uploaded files. Uploads are never reachable under MEDIA_URL (no URL pattern serves
MEDIA_ROOT, in development or production): a view checks who may see the file, then answers with
`file_response`, which makes sure the browser never runs or renders it as a page.

- The type is decided by the file's first bytes (as `core.uploads.check_upload` did on upload),
  never by its name: a stored file that is not a known PDF/JPEG/PNG goes out as
  `application/octet-stream`.
- Only images may be shown inline, and only when the view asks (an article's picture); everything
  else, PDFs included, is an attachment (`Content-Disposition: attachment`).
- `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox; default-src 'none'`: even
  opened directly, the file gets no scripts, no plugins, no same-origin rights.
"""

from django.http import FileResponse, Http404, HttpResponse

from clusterxchange.core.tabular import write_csv, write_xlsx
from clusterxchange.core.uploads import DOCUMENTS_AND_IMAGES, JPEG, PNG

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
INLINE_KINDS = (JPEG, PNG)


def sniffed_type(handle) -> tuple[str, bool]:
    """(content type, may be inline) from the first bytes of an open binary file."""
    head = handle.read(16)
    handle.seek(0)
    for kind in DOCUMENTS_AND_IMAGES:
        if any(head.startswith(signature) for signature in kind.signatures):
            return kind.content_type, kind in INLINE_KINDS
    return "application/octet-stream", False


def file_response(field_file, *, filename: str | None = None, inline: bool = False, public: bool = False):
    """A FileResponse for a stored FieldFile that the caller has already allowed the user to see."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type, may_be_inline = sniffed_type(handle)
    name = filename or field_file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=not (inline and may_be_inline), filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(name: str, fmt: str, headers: list[str], rows, withheld=()) -> HttpResponse:
    """A list exported as ``name``.csv (any ``fmt`` but "xlsx") or ``name``.xlsx, formulas neutralised
    (core.tabular); ``withheld`` names the columns left empty for this user (sent in a header)."""
    if fmt == "xlsx":
        content, content_type = write_xlsx(headers, rows, title=name), XLSX_TYPE
    else:
        fmt, content, content_type = "csv", write_csv(headers, rows), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    if withheld:
        response["X-Withheld-Columns"] = ", ".join(withheld)
    return response
