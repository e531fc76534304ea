from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue (django-tasks db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args, queue_name, batch, **options):
        call_command("db_worker", queue_name=queue_name, batch=batch)
