from django.core.management.base import BaseCommand

from clusterxchange.training.models import TrainingEntry
from clusterxchange.training.tasks import check_links


class Command(BaseCommand):
    help = (
        "Queue a check of every published catalogue link now (the task workers also do it weekly); the "
        "worker (`clusterxchange worker`) runs it and marks dead links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=5.0, help="Seconds to wait for each site.")

    def handle(self, *args, timeout, **options):
        ids = list(TrainingEntry.objects.published().values_list("pk", flat=True))
        result = check_links.enqueue(ids, timeout=timeout)
        self.stdout.write(f"Queued a link check of {len(ids)} entries (task {result.id}).")
