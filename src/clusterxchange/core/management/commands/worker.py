from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from clusterxchange.core.workers import HeartbeatWorker


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue (django-tasks-db's worker) with a heartbeat: "
        "`clusterxchange check` watches it, and tasks of a worker that died are marked failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Queues, comma-separated ('*': all).")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default="", help="Unique in the pool (default: random).")

    def handle(self, *args, queue_name, batch, interval, max_tasks, worker_id, **options):
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
