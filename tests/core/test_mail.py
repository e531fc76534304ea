"""Outgoing email: queued in the caller's transaction, sent after the commit, retried with growing
delays through a mail server outage (a real SMTP server on loopback), failed with the reason after
the last attempt, and never sent twice."""

import logging
import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from clusterxchange.core import mail as core_mail
from clusterxchange.core.mail import deliver, deliver_due, send_after_commit
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.operations import OK, WARNING, probe_mail
from clusterxchange.core.tasks import deliver_emails

pytestmark = pytest.mark.django_db

MESSAGE = ("Exchange CX-1 validated", "Body", "from@example.org", ["a@example.org", "b@example.org"])


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.content.decode(), list(envelope.rcpt_tos)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The SMTP backend pointed at a loopback port where no server listens yet."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = False
    return settings


def start_server(settings) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    return controller, inbox


def test_emails_leave_after_the_commit_one_per_recipient(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_after_commit([MESSAGE])
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(status="queued").count() == 2
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_after_commit([MESSAGE])
        transaction.set_rollback(True)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_an_outage_keeps_the_email_and_a_later_attempt_delivers_it_once(
    smtp, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        send_after_commit([MESSAGE])
    queued = list(OutgoingEmail.objects.order_by("recipient"))
    assert [(e.status, e.attempts) for e in queued] == [("queued", 1), ("queued", 1)]
    assert all(e.next_attempt_at > timezone.now() + timedelta(seconds=50) for e in queued)
    assert "ConnectionRefusedError" in queued[0].last_error
    assert "not sent (attempt 1" in caplog.text
    assert deliver_due() == 0  # not due yet

    controller, inbox = start_server(smtp)
    try:
        assert deliver_due(timezone.now() + timedelta(minutes=2)) == 2
        assert deliver_due(timezone.now() + timedelta(days=1)) == 0
        assert deliver([e.pk for e in queued]) == 0  # a second worker with the same ids
    finally:
        controller.stop()
    assert sorted(rcpt for _content, (rcpt,) in inbox.received) == ["a@example.org", "b@example.org"]
    assert "Subject: Exchange CX-1 validated" in inbox.received[0][0]
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_after_the_last_retry_the_email_has_failed_with_the_reason(
    smtp, caplog, django_capture_on_commit_callbacks
):
    smtp.EMAIL_RETRY_DELAYS = [60, 300]
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit([("Agenda", "Body", "", ["a@example.org"])])
    later = timezone.now()
    with caplog.at_level(logging.ERROR):
        for minutes in (2, 10):
            later += timedelta(minutes=minutes)
            deliver_due(later)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 3, None)
    assert "ConnectionRefusedError" in email.last_error
    assert "finally failed after 3 attempts (Agenda)" in caplog.text
    assert deliver_due(later + timedelta(days=1)) == 0
    probe = probe_mail()
    assert probe.status == WARNING
    assert probe.figures["failed_last_7_days"] == 1


def test_the_mail_probe_is_ok_when_everything_left(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit([MESSAGE])
    probe = probe_mail()
    assert probe.status == OK
    assert probe.figures["queued"] == 0


QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=QUEUE_ONLY)
def test_the_commit_hands_the_emails_to_the_task_workers_in_chunks(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Whoever queued the emails (a page publishing a big agenda) does not wait for the mail server:
    the commit queues delivery tasks of DELIVERY_CHUNK emails each; the worker's task sends them."""
    monkeypatch.setattr(core_mail, "DELIVERY_CHUNK", 2)
    backend = task_backends["default"]
    backend.clear()
    recipients = [f"p{i}@example.org" for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit([("Agenda", "Body", "", recipients)])
    assert mail.outbox == []
    tasks = [result for result in backend.results if result.task.func is deliver_emails.func]
    assert [len(result.args[0]) for result in tasks] == [2, 2, 1]
    for result in tasks:
        deliver_emails.call(*result.args)
    assert sorted(message.to[0] for message in mail.outbox) == recipients
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_emails_whose_task_could_not_be_queued_are_sent_by_the_periodic_job(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise RuntimeError("task queue unavailable")

    monkeypatch.setattr("clusterxchange.core.tasks.deliver_emails", SimpleNamespace(enqueue=refuse))
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        send_after_commit([MESSAGE])
    assert mail.outbox == []
    assert "deliver-emails will send them" in caplog.text
    assert deliver_due() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
