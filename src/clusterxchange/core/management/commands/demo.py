import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusterxchange.core.demo import DEMO_PASSWORD, load_demo

# The demo runs offline: the weekly check of the training catalogue's external links stays off.
DEMO_JOBS_OFF = "check-training-links"


def start_worker() -> subprocess.Popen:
    """A task worker beside the demo's web server (scheduling, imports, reports, periodic jobs),
    logging to the data folder; the demo stops it when it stops."""
    log = (settings.DATA_DIR / "worker.log").open("a")
    env = {**os.environ, "PERIODIC_JOBS_OFF": os.environ.get("PERIODIC_JOBS_OFF", DEMO_JOBS_OFF)}
    return subprocess.Popen(  # noqa: S603 - the project's own command, argument list, no shell  # nosec B603
        [sys.executable, "-m", "clusterxchange", "worker", "--worker-id", f"demo-{os.getpid()}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def exit_on_terminate(signum, frame) -> None:
    """SIGTERM (a supervisor, `kill`) ends the demo like Ctrl-C, so its worker is stopped too."""
    raise SystemExit(0)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()


class Command(BaseCommand):
    help = (
        "Create the database (SQLite by default), load the demo data and serve the site with a task "
        "worker beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--port", default=8000, type=int, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop; do not serve.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve without the background task worker (run `clusterxchange worker` yourself).",
        )

    def handle(self, *args, host, port, no_serve, no_worker, verbosity, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"http://{host}:{port}/"
        if "SITE_URL" not in os.environ:
            # The links of the demo's emails (invitations, unsubscribe, notifications), sent here and
            # by the worker, open the site served, not the default port.
            os.environ["SITE_URL"] = settings.SITE_URL = url.rstrip("/")
        self.stdout.write(f"Database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        # As a deployment does: the demo's organisations get their city's centre as they are loaded
        # (the first time, seconds; later runs find the index in the data folder).
        call_command("build_city_index", verbosity=0)
        summary = load_demo(stdout=self.stdout if verbosity > 1 else None)
        self.stdout.write(self.style.SUCCESS("Demo data ready:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {count:>6}  {name}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {url}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in summary.logins:
            self.stdout.write(f"  {role:<50} {email}")
        self.stdout.write("")
        if no_serve:
            return
        worker = None
        if no_worker:
            self.stdout.write(
                "No task worker: scheduling and imports wait until `clusterxchange worker` runs."
            )
        else:
            worker = start_worker()
            signal.signal(signal.SIGTERM, exit_on_terminate)
            self.stdout.write(
                f"Background tasks: a worker runs beside the site (pid {worker.pid}, "
                f"log {settings.DATA_DIR / 'worker.log'})."
            )
        self.stdout.write("Serving until Ctrl-C.")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                stop_worker(worker)
