"""Checking uploaded files: the type is decided by the file's first bytes, not by its name or the
browser's claim; the size is limited."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    signatures: tuple[bytes, ...]
    names: tuple[str, ...]


PDF = FileKind("pdf", "application/pdf", (b"%PDF-",), (".pdf",))
JPEG = FileKind("jpg", "image/jpeg", (b"\xff\xd8\xff",), (".jpg", ".jpeg"))
PNG = FileKind("png", "image/png", (b"\x89PNG\r\n\x1a\n",), (".png",))
DOCUMENTS_AND_IMAGES = (PDF, JPEG, PNG)


def check_upload(upload, kinds=DOCUMENTS_AND_IMAGES, max_bytes: int = MAX_EVIDENCE_BYTES) -> FileKind:
    """The kind of an acceptable upload, or a ValidationError that says what is wrong."""
    allowed = ", ".join(kind.extension.upper() for kind in kinds)
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB are allowed.")
            % {"size": f"{upload.size / 1048576:.1f}", "max": f"{max_bytes / 1048576:.0f}"}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    name = (upload.name or "").lower()
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if any(head.startswith(signature) for signature in kind.signatures):
            if not name.endswith(kind.names):
                raise ValidationError(
                    _("The file's name does not match its content (%(kind)s).")
                    % {"kind": kind.extension.upper()}
                )
            return kind
    raise ValidationError(_("This file is not a %(allowed)s file.") % {"allowed": allowed})


def dated_upload_path(folder: str, filename: str) -> str:
    """Where to store an upload: `folder/YYYY/MM/<random name>.<extension>` (the month of the upload;
    the name is not guessable and does not reveal the uploader's file name; the extension is the
    lower-cased one of `filename`, "bin" when it has none)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"
