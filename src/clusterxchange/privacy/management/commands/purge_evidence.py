"""Delete exchange evidence whose retention period is over (dry run unless --apply)."""

from django.core.management.base import BaseCommand

from clusterxchange.privacy.retention import purge_evidence, retention_days


class Command(BaseCommand):
    help = "Delete exchange evidence files whose retention period is over (lists them unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Delete the files (default: only list them)."
        )

    def handle(self, *args, apply: bool = False, **options):
        paid, unpaid = retention_days()
        self.stdout.write(f"Retention: {paid} days after payment, {unpaid} days after closing unpaid.")
        result = purge_evidence(apply=apply)
        for reference, kind, name, size in result.items:
            self.stdout.write(f"  {reference}  {kind:<13} {size:>9} B  {name}")
        if apply:
            self.stdout.write(f"Deleted {result.deleted} of {result.due} files ({result.bytes} bytes).")
        else:
            self.stdout.write(f"{result.due} files are due. Dry run: nothing was deleted; add --apply.")
