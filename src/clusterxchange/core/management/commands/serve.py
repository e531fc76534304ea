import argparse
import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production). Settings come from the environment."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)),
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "1")))
        # Longer than the proxy's idle keep-alive (nginx upstream: 60 s), or a request sent on a
        # connection that gunicorn is closing at that moment fails with "connection reset".
        parser.add_argument("--keep-alive", type=int, default=int(os.environ.get("GUNICORN_KEEPALIVE", "75")))

        parser.add_argument(
            "--preload-matching",
            action=argparse.BooleanOptionalAction,
            default=os.environ.get("PRELOAD_MATCHING_INDEX", "1") == "1",
            help="Load the app and build the directory's matching index once in the master process, "
            "shared by the workers (default: on; PRELOAD_MATCHING_INDEX=0 turns it off).",
        )

    def handle(self, *args, bind, workers, threads, keep_alive, preload_matching, **options):
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn is not installed in this environment.")
        # No gunicorn access log: core.logs.RequestLogMiddleware writes one line per request already
        # (with request id, user and duration, in JSON when LOG_FORMAT=json).
        arguments = [
            gunicorn,
            "clusterxchange.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--keep-alive",
            str(keep_alive),
        ]
        if preload_matching:
            arguments.append("--preload")
            os.environ["CLUSTERXCHANGE_PRELOAD_MATCHING"] = "1"
        os.execv(gunicorn, arguments)  # noqa: S606  # replaces this process with gunicorn, fixed arguments  # nosec B606
