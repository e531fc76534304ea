"""Backup and restore round trips with real files, on SQLite and PostgreSQL, and refusals."""

import json
import tarfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from clusterxchange.core import backup
from clusterxchange.core.models import Ecosystem
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.exchanges.models import Evidence, Exchange
from tests.exchanges.conftest import xworld  # noqa: F401 - fixture
from tests.privacy.conftest import PDF, add_evidence

# A round trip replaces the whole database: it needs committed data and the reference data reloaded after.
whole_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# SQLite's backup API cannot copy a database while the same connection holds a transaction open.
pytestmark = whole_database if connection.vendor == "sqlite" else pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(xworld, media) -> Evidence:  # noqa: F811 - the fixture imported above
    """An exchange of Amélie Durand (Alpha Sensors → Gamma Robotics) with a real evidence file."""
    exchange = xworld.new_exchange("report_submitted", visitor_person=xworld.base.person_a1)
    return add_evidence(exchange)


def state() -> dict:
    return {
        "people": sorted(Person.objects.values_list("first_name", "last_name", "email")),
        "organisations": Organisation.objects.count(),
        "exchanges": sorted(Exchange.objects.values_list("reference", "state")),
        "ecosystems": Ecosystem.objects.count(),
        "evidence": sorted(Evidence.objects.values_list("file", "size")),
    }


def round_trip(evidence, media: Path, tmp_path: Path, method: str = "auto") -> str:
    person, host = evidence.exchange.visitor_person, evidence.exchange.host_organisation
    before = state()
    stored = media / evidence.file.name
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive), "--method", method, stdout=StringIO())
    manifest = read_manifest(archive)

    # Change everything after the backup: data, files.
    Person.objects.filter(pk=person.pk).update(last_name="Changed")
    Evidence.objects.all().delete()
    Organisation.objects.filter(pk=host.pk).update(name="Renamed")
    stored.write_bytes(b"%PDF-1.4 tampered")
    (media / "stray.txt").write_text("added after the backup")

    cache.set("cached-before-the-restore", 1)
    call_command("restore", str(archive), "--yes", stdout=StringIO())
    ContentType.objects.clear_cache()
    assert cache.get("cached-before-the-restore") is None  # counts of the old data are gone
    assert state() == before
    assert Organisation.objects.get(pk=host.pk).name == "Gamma Robotics"
    assert stored.read_bytes() == PDF
    assert not (media / "stray.txt").exists()
    assert Evidence.objects.get().file.read() == PDF
    return manifest["database"]["method"]


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as handle:
        return json.load(handle.extractfile(backup.MANIFEST))


@whole_database
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite round trip")
def test_sqlite_round_trip(evidence, media, tmp_path):
    assert round_trip(evidence, media, tmp_path) == "sqlite-backup-api"


@whole_database
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL round trip")
@pytest.mark.parametrize("method", ["pg_dump", "dumpdata"])
def test_postgresql_round_trip(evidence, media, tmp_path, method):
    assert round_trip(evidence, media, tmp_path, method) == method


def test_manifest_lists_versions_migrations_and_checksums(evidence, media, tmp_path):
    archive = tmp_path / "b.tar.gz"
    result = backup.backup(archive)
    manifest = read_manifest(archive)
    assert manifest["format"] == backup.FORMAT
    assert set(manifest["versions"]) == {"clusterxchange", "django", "python", "database"}
    assert "0001_consent_erasure_access" in manifest["migrations"]["privacy"]
    entry = manifest["files"][f"media/{evidence.file.name}"]
    assert entry["size"] == len(PDF) and len(entry["sha256"]) == 64
    assert result.files == len(manifest["files"]) and manifest["missing_files"] == []


def test_a_file_missing_from_storage_is_reported(evidence, media, tmp_path):
    (media / evidence.file.name).unlink()
    result = backup.backup(tmp_path / "b.tar.gz")
    assert result.missing_files == [evidence.file.name]


def rewrite(archive: Path, target: Path, change) -> None:
    """Copy `archive` to `target`, passing each member's (name, bytes) through `change`."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            name, data = change(member.name, data)
            if name is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, BytesIO(data))


def corrupt_media(name, data):
    return name, (data + b"x" if name.startswith("media/") else data)


def newer_version(name, data):
    if name == backup.MANIFEST:
        manifest = json.loads(data)
        manifest["migrations"]["privacy"].append("0099_from_the_future")
        data = json.dumps(manifest).encode()
    return name, data


def without_manifest(name, data):
    return (None, data) if name == backup.MANIFEST else (name, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (corrupt_media, "does not match its checksum"),
        (newer_version, "newer version"),
        (without_manifest, "has no manifest"),
    ],
)
def test_restore_refuses_a_bad_archive_and_replaces_nothing(evidence, media, tmp_path, change, message):
    archive = tmp_path / "good.tar.gz"
    backup.backup(archive)
    bad = tmp_path / "bad.tar.gz"
    rewrite(archive, bad, change)
    Person.objects.filter(pk=evidence.exchange.visitor_person_id).update(last_name="After")
    (media / evidence.file.name).write_bytes(b"%PDF new")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--yes")
    assert Person.objects.get(pk=evidence.exchange.visitor_person_id).last_name == "After"
    assert (media / evidence.file.name).read_bytes() == b"%PDF new"


def test_restore_refuses_a_truncated_archive(evidence, media, tmp_path):
    archive = tmp_path / "good.tar.gz"
    backup.backup(archive)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"not a readable backup archive|has no manifest"):
        call_command("restore", str(truncated), "--yes")
    assert Person.objects.filter(last_name="Durand").exists()


def test_backup_never_overwrites(media, tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"precious")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", "--out", str(archive))
    assert archive.read_bytes() == b"precious"
