"""Write one archive with the database and the uploaded files (see core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterxchange.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one verified archive (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, type=Path, help="Archive to write, e.g. cx-2026-11-27.tar.gz"
        )
        parser.add_argument(
            "--method",
            choices=["auto", "pg_dump", "dumpdata"],
            default="auto",
            help="PostgreSQL only: pg_dump (default when on PATH) or Django's dumpdata.",
        )

    def handle(self, *args, out: Path, method: str, **options):
        if out.exists():
            raise CommandError(f"{out} exists; choose another name (a backup never overwrites one).")
        try:
            result = backup(out, method=method)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {result.path}: database by {result.method}, {result.files} files, {result.bytes} bytes."
        )
        if result.missing_files:
            self.stderr.write(
                f"Warning: {len(result.missing_files)} files referenced in the database were not found "
                f"in the media folder (listed in the manifest under missing_files)."
            )
