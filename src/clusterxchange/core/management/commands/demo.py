from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusterxchange.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the database (SQLite by default), load the demo data and serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--port", default=8000, type=int, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop; do not serve.")

    def handle(self, *args, host, port, no_serve, verbosity, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo(stdout=self.stdout if verbosity > 1 else None)
        self.stdout.write(self.style.SUCCESS("Demo data ready:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {count:>6}  {name}")
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {url}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in summary.logins:
            self.stdout.write(f"  {role:<50} {email}")
        self.stdout.write("")
        if no_serve:
            return
        self.stdout.write("Serving until Ctrl-C.")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
