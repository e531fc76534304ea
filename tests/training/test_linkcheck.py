"""Link checking against a local http.server started by the test: alive, 404, timeout, and the
background task that marks dead links without ever waiting longer than its timeout."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from clusterxchange.training.linkcheck import check_url
from clusterxchange.training.models import TrainingEntry
from clusterxchange.training.tasks import check_links


class Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body: bool):
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/head-refused" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/file")
            self.end_headers()
            return
        status = 404 if self.path == "/missing" else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        if with_body:
            self.wfile.write(b"<html>course</html>")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_local(settings):
    settings.TRAINING_LINKCHECK_ALLOW_PRIVATE = True


def test_alive(local_server, allow_local):
    result = check_url(f"{local_server}/ok", timeout=2)
    assert (result.ok, result.status, result.error) == (True, 200, "")


def test_404_is_dead(local_server, allow_local):
    result = check_url(f"{local_server}/missing", timeout=2)
    assert (result.ok, result.status, result.error) == (False, 404, "HTTP 404")


def test_timeout_is_dead_and_does_not_hang(local_server, allow_local):
    started = time.monotonic()
    result = check_url(f"{local_server}/slow", timeout=0.5)
    assert time.monotonic() - started < 2
    assert not result.ok
    assert result.error == "no answer within 0.5 s"


def test_head_refused_falls_back_to_get(local_server, allow_local):
    assert check_url(f"{local_server}/head-refused", timeout=2).ok


def test_redirect_to_another_scheme_is_dead(local_server, allow_local):
    result = check_url(f"{local_server}/to-ftp", timeout=2)
    assert not result.ok
    assert "non-http" in result.error


def test_refused_connection_is_dead(allow_local):
    import socket

    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check_url(f"http://127.0.0.1:{port}/", timeout=1)
    assert not result.ok and result.error


def test_local_addresses_are_refused_unless_allowed(local_server, settings):
    settings.TRAINING_LINKCHECK_ALLOW_PRIVATE = False
    result = check_url(f"{local_server}/ok", timeout=2)
    assert not result.ok
    assert "private or local address" in result.error


def test_non_http_is_never_fetched():
    assert check_url("file:///etc/passwd").error == "not an http(s) address"


def test_the_task_marks_dead_links(tw, local_server, allow_local):
    tw.entry.link = f"{local_server}/ok"
    tw.entry.save()
    tw.pending_entry.link = f"{local_server}/missing"
    tw.pending_entry.save()
    result = check_links.enqueue([tw.entry.pk, tw.pending_entry.pk], timeout=2)
    assert result.return_value == {"ok": 1, "dead": 1}
    tw.entry.refresh_from_db()
    tw.pending_entry.refresh_from_db()
    assert (tw.entry.link_status, tw.entry.link_checked_at is not None) == ("ok", True)
    assert (tw.pending_entry.link_status, tw.pending_entry.link_error) == ("dead", "HTTP 404")


def test_the_coordinator_queues_the_check_from_the_page(tw, local_server, allow_local, settings):
    """In production the page only queues the task (database backend); the immediate test backend
    runs it at once, which lets the test see the result."""
    tw.entry.link = f"{local_server}/missing"
    tw.entry.save()
    response = tw.client("coordinator").post(reverse("training:check_links"), follow=True)
    assert "being checked in the background" in response.content.decode()
    entry = TrainingEntry.objects.get(pk=tw.entry.pk)
    assert entry.link_status == "dead"
    moderation = tw.client("coordinator").get(reverse("training:moderation")).content.decode()
    assert "HTTP 404" in moderation
    catalogue = tw.client("anonymous").get(reverse("training:catalogue")).content.decode()
    assert "dead link" in catalogue


def test_with_the_database_backend_the_page_only_queues(tw, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    response = tw.client("coordinator").post(reverse("training:check_links"))
    assert response.status_code == 302
    assert time.monotonic() - started < 2
    assert DBTaskResult.objects.filter(task_path__endswith="check_links").count() == 1
    tw.entry.refresh_from_db()
    assert tw.entry.link_status == "unchecked"


def test_the_scheduled_command_checks_published_links(tw, local_server, allow_local):
    from io import StringIO

    from django.core.management import call_command

    tw.entry.link = f"{local_server}/ok"
    tw.entry.save()
    tw.pending_entry.link = f"{local_server}/missing"
    tw.pending_entry.save()
    out = StringIO()
    call_command("check_training_links", timeout=2, stdout=out)
    assert "Queued a link check of 1 entries" in out.getvalue()
    tw.entry.refresh_from_db()
    tw.pending_entry.refresh_from_db()
    assert (tw.entry.link_status, tw.pending_entry.link_status) == ("ok", "unchecked")
