"""Replace the database and the uploaded files by those of a backup archive, once verified."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterxchange.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive: verifies it completely first (format, checksums, migrations, "
        "database), then replaces the database and the media folder. Stop the app servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", "--noinput", dest="yes", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not yes:
            answer = input(f"Replace this installation's database and files by {archive}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing was restored.")
        try:
            result = restore(archive)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(
            f"Restored the backup of {result.created_at}: database by {result.method}, {result.files} files."
        )
        if result.migrations_behind:
            self.stdout.write(
                f"The archive lacks {len(result.migrations_behind)} migrations of this version: "
                "run `clusterxchange migrate` now."
            )
