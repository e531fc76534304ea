"""Backup and restore of the database and the uploaded files, as one verified archive.

Archive: a gzipped tar holding `database/…`, `media/…` and, last, `manifest.json` (format,
versions, migration state, the SHA-256 and size of every other member).

Database, consistently:
- SQLite: the sqlite3 online backup API copies the live database page by page under a read lock, so
  the copy is one consistent state even while the site writes (WAL mode).
- PostgreSQL: `pg_dump -Fc` when it is on PATH (one REPEATABLE READ snapshot, schema and
  sequences included, restored with the schema in one transaction); otherwise, or with
  `--method dumpdata`, Django's dumpdata inside one REPEATABLE READ READ ONLY transaction (the same
  snapshot guarantee, slower, restorable only into a database at the same migration state).
The files are copied after the database snapshot: an upload that finishes meanwhile adds an
unreferenced file (harmless); a file deleted meanwhile is listed under `missing_files`.

Restore reads and verifies the whole archive first (format, checksums, database integrity,
migrations known to this code, database vendor) and replaces nothing before that; then it replaces
the database in one step (sqlite3 backup API into the live database / one PostgreSQL transaction)
and swaps the media folder by renaming.
"""

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO, StringIO
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.utils import timezone

import clusterxchange

FORMAT = "clusterxchange-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, nothing was replaced."""


@dataclass
class BackupResult:
    path: Path
    method: str
    files: int
    bytes: int
    missing_files: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    return connection.vendor


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_env() -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", params.get("HOST")),
        ("PGPORT", params.get("PORT")),
        ("PGUSER", params.get("USER")),
        ("PGPASSWORD", params.get("PASSWORD")),
        ("PGDATABASE", params.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, check=False, **options)  # noqa: S603  # PostgreSQL client tools, argument list, no shell  # nosec B603
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{Path(command[0]).name} failed: {message}")
    return result


def _database_copy(directory: Path, method: str) -> tuple[str, Path]:
    """Write a consistent copy of the database into `directory`; (method used, file)."""
    vendor = _vendor()
    if vendor == "sqlite":
        if connection.in_atomic_block:
            # The backup API would wait forever for the lock this connection's own transaction holds.
            raise BackupError("An SQLite backup must run outside a transaction.")
        target = directory / "db.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "sqlite-backup-api", target
    if vendor != "postgresql":
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    if method in {"auto", "pg_dump"} and shutil.which("pg_dump"):
        target = directory / "db.pgdump"
        _run([shutil.which("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--file", str(target)])
        return "pg_dump", target
    if method == "pg_dump":
        raise BackupError("pg_dump is not on PATH; install the PostgreSQL client or use --method dumpdata.")
    target = directory / "db.json"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with open(target, "w", encoding="utf-8") as handle:
            call_command("dumpdata", "--all", "--indent=0", stdout=handle, verbosity=0)
    return "dumpdata", target


def _referenced_files() -> set[str]:

    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, FileField):
                values = model._default_manager.exclude(**{model_field.name: ""}).values_list(
                    model_field.name, flat=True
                )
                names.update(value for value in values if value)
    return names


def backup(out: Path, *, method: str = "auto") -> BackupResult:
    """Write the archive to `out` (through a temporary file, renamed when complete)."""
    out = Path(out)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="cx-backup-", dir=out.parent) as work:
        work_dir = Path(work)
        used, database_file = _database_copy(work_dir, method)
        applied = _applied_migrations()
        referenced = _referenced_files()
        entries: dict[str, dict] = {}
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            name = f"database/{database_file.name}"
            entries[name] = {"sha256": _sha256(database_file), "size": database_file.stat().st_size}
            archive.add(database_file, arcname=name)
            media_files = (
                sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
            )
            for path in media_files:
                relative = path.relative_to(media_root).as_posix()
                name = f"media/{relative}"
                try:
                    entries[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                    archive.add(path, arcname=name)
                except FileNotFoundError:  # deleted while we copied
                    entries.pop(name, None)
            stored = {name.removeprefix("media/") for name in entries if name.startswith("media/")}
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "versions": {
                    "clusterxchange": clusterxchange.__version__,
                    "django": django.get_version(),
                    "python": platform.python_version(),
                    "database": _server_version(),
                },
                "database": {"vendor": _vendor(), "method": used, "file": f"database/{database_file.name}"},
                "migrations": applied,
                "files": entries,
                "missing_files": sorted(referenced - stored),
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, BytesIO(data))
        os.replace(partial, out)
    total = sum(entry["size"] for entry in entries.values())
    return BackupResult(out, used, len(entries), total, manifest["missing_files"])


def _server_version() -> str:
    if _vendor() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    connection.ensure_connection()
    return f"PostgreSQL {connection.pg_version}"


# Restore ---------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    method: str
    files: int
    created_at: str
    migrations_behind: list[str]


def read_archive(path: Path, into: Path) -> dict:
    """Extract `path` into `into` and verify it; the manifest, or BackupError saying what is wrong."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}).") from error
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} has no manifest: it is not a clusterxchange backup or it is truncated.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as error:
        raise BackupError(f"The manifest of {path} is not valid JSON.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r} (expected {FORMAT}).")
    for name, entry in manifest["files"].items():
        member = into / name
        if not member.is_file():
            raise BackupError(f"The archive lacks {name}, listed in its manifest.")
        if member.stat().st_size != entry["size"] or _sha256(member) != entry["sha256"]:
            raise BackupError(f"{name} in the archive does not match its checksum: the archive is corrupt.")
    listed = set(manifest["files"]) | {MANIFEST}
    extra = [p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()]
    unlisted = sorted(set(extra) - listed)
    if unlisted:
        raise BackupError(f"The archive holds files its manifest does not list: {', '.join(unlisted[:5])}.")
    return manifest


def _check_compatible(manifest: dict, into: Path) -> list[str]:
    """Refuse what this installation cannot restore; the migrations the archive lacks (to migrate)."""
    database = manifest["database"]
    if database["method"] != "dumpdata" and database["vendor"] != _vendor():
        raise BackupError(
            f"The archive holds a {database['vendor']} database; this installation uses {_vendor()}."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in archived - set(known))
    if unknown:
        raise BackupError(
            "The archive was made by a newer version (migrations unknown here: "
            + ", ".join(unknown[:5])
            + "). Install that version, then restore."
        )
    behind = sorted(f"{app}.{name}" for app, name in set(known) - archived)
    if database["method"] == "dumpdata":
        current = {(app, name) for app, names in _applied_migrations().items() for name in names}
        if current != archived:
            raise BackupError(
                "A dumpdata archive restores only into a database at the same migration state; "
                "migrate this database to the archive's state first."
            )
    if database["vendor"] == "sqlite" and database["method"] == "sqlite-backup-api":
        check = sqlite3.connect(into / database["file"])
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
            rows = check.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The archived SQLite database is unreadable ({error}).") from error
        finally:
            check.close()
        if result != "ok":
            raise BackupError(f"The archived SQLite database fails its integrity check: {result}")
        if set(rows) != archived:
            raise BackupError("The archived database's migrations differ from its manifest.")
    return behind


def restore(path: Path) -> RestoreResult:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".cx-restore-", dir=media_root.parent) as work:
        work_dir = Path(work)
        manifest = read_archive(path, work_dir)
        behind = _check_compatible(manifest, work_dir)
        database = manifest["database"]
        _replace_database(database["method"], work_dir / database["file"])
        files = _swap_media(work_dir / "media", media_root)
    cache.clear()  # what was cached (counts, rate limits) describes the replaced database
    return RestoreResult(database["method"], files, manifest["created_at"], behind)


def _replace_database(method: str, file: Path) -> None:
    if method == "sqlite-backup-api":
        source = sqlite3.connect(file)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if method == "pg_dump":
        for tool in ("pg_restore", "psql"):
            if not shutil.which(tool):
                raise BackupError(f"{tool} is not on PATH; install the PostgreSQL client to restore.")
        script = _run([shutil.which("pg_restore"), "--no-owner", "--no-acl", "--file=-", str(file)]).stdout
        connection.close()
        preamble = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
        _run(
            [shutil.which("psql"), "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1"],
            input=preamble + script,
        )
        return
    # dumpdata: empty every table and load the archive, in one transaction.
    with transaction.atomic():
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(
                no_style(), tables, reset_sequences=True, allow_cascade=True
            ):
                cursor.execute(statement)
        call_command("loaddata", str(file), verbosity=0, stdout=StringIO())


def _swap_media(source: Path, media_root: Path) -> int:
    source.mkdir(exist_ok=True)
    count = sum(1 for p in source.rglob("*") if p.is_file())
    old = media_root.with_name(f".{media_root.name}.replaced-{timezone.now():%Y%m%d%H%M%S}")
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(source, media_root)
    if old.exists():
        shutil.rmtree(old)
    return count
