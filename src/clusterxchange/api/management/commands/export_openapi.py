import json
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterxchange.api.schema import COMMITTED_SCHEMA, current_schema


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema to the committed file (or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(COMMITTED_SCHEMA))

    def handle(self, *args, output, **options):
        Path(output).write_text(json.dumps(current_schema(), indent=2, sort_keys=True) + "\n")
        self.stdout.write(f"Wrote {output}")
