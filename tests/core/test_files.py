"""Uploaded files go out only as files: the type from their first bytes, attachments unless an
image is asked for inline, nosniff, and a sandboxing Content-Security-Policy. No URL serves
MEDIA_ROOT directly."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import Resolver404, resolve

from clusterxchange.core.files import FILE_CSP, file_response
from clusterxchange.exchanges.models import Evidence

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><script>alert(document.cookie)</script></html>"


def stored(content: bytes, name: str) -> FieldFile:
    saved = default_storage.save(f"tests/{name}", ContentFile(content))
    return FieldFile(None, Evidence._meta.get_field("file"), saved)


def read(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("content", "name", "inline", "content_type", "disposition"),
    [
        (PDF, "boarding.pdf", False, "application/pdf", "attachment"),
        (PDF, "boarding.pdf", True, "application/pdf", "attachment"),  # PDFs are never inline
        (PNG, "photo.png", False, "image/png", "attachment"),
        (PNG, "photo.png", True, "image/png", "inline"),
        # A file that slipped past the upload check (or was put there by hand) is not run as a page,
        # whatever its name says.
        (HTML, "page.html", True, "application/octet-stream", "attachment"),
        (HTML, "fake.png", True, "application/octet-stream", "attachment"),
    ],
)
def test_file_response_headers(content, name, inline, content_type, disposition):
    response = file_response(stored(content, name), inline=inline)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Cache-Control"] == "private, no-store"
    assert read(response) == content


def test_media_root_is_not_served(db):
    stored(PDF, "direct.pdf")
    for url in ("/media/tests/direct.pdf", "/data/media/tests/direct.pdf"):
        with pytest.raises(Resolver404):
            resolve(url)
        assert Client().get(url).status_code == 404
