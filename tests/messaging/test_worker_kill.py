"""A worker killed while sending a group message: nobody gets it twice, nobody is lost.

Real processes: `clusterxchange worker` subprocesses on the PostgreSQL test database, delivering to a
real SMTP server on loopback. The test holds an uncommitted recipient row of the second batch in
another connection, so the worker blocks half-way through that batch (its emails inserted, not
committed); the test kills it there with SIGKILL. A second worker reaps the task, which starts it
again by itself (messaging/tasks.py), and it carries on after the first batch.
"""

import signal
from collections import Counter
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings

from clusterxchange.accounts.models import User
from clusterxchange.core.management.commands.demo import stop_worker
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.reference import load_reference_data
from clusterxchange.events.models import Registration
from clusterxchange.messaging import domain
from clusterxchange.messaging.models import GroupMessage, MessageRecipient
from tests.core.test_mail import free_port
from tests.core.test_worker_faults import DB_TASKS, STALE, Holder, blocked_writer
from tests.events.conftest import make_event
from tests.workers import spawn_worker, wait_for

pytestmark = [
    pytest.mark.real_clock,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, processes)"),
]

PEOPLE, BATCH = 60, 20


class Inbox:
    """The recipients of the group message's emails as the server received them (other emails the
    workers' periodic jobs send, such as booking reminders to the same participants, are not counted)."""

    def __init__(self) -> None:
        self.to: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        subject = message_from_bytes(envelope.content)["Subject"] or ""
        if subject.startswith("Kill test"):
            self.to.extend(envelope.rcpt_tos)
        return "250 OK"


@override_settings(TASKS=DB_TASKS, WORKER_STALE_SECONDS=STALE)
def test_killed_mid_batch_each_recipient_gets_the_message_exactly_once(tmp_path, request):
    load_reference_data()  # an earlier transactional test flushed the data migrations' rows
    world = request.getfixturevalue("world")
    event = make_event(world, title="Kill test day")
    users = User.objects.bulk_create(User(email=f"person{i:03}@kill.example") for i in range(PEOPLE))
    Registration.objects.bulk_create(
        Registration(event=event, user=user, organisation=world.org_a1, status="validated") for user in users
    )
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "GROUP_MESSAGE_BATCH": str(BATCH),
        "WORKER_STALE_SECONDS": str(STALE),
    }
    try:
        message = domain.send_message(
            world.users["coordinator"], f"event_participants:{event.pk}", "Kill test {name}", "Hello {name}"
        )
        in_second_batch = sorted(user.pk for user in users)[BATCH + 5]
        holder = Holder(
            lambda: MessageRecipient.objects.create(
                message=message, user_id=in_second_batch, address="x@x.example", language="en"
            )
        )
        first = spawn_worker(tmp_path, "first", **smtp)
        try:
            wait_for(lambda: blocked_writer("messaging_messagerecipient"), 120, "the worker to reach batch 2")
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            holder.release()
            stop_worker(first)
        wait_for(lambda: blocked_writer("messaging_messagerecipient") is None, 30, "the dead backend to go")
        # Only the first batch was committed: its rows and its emails, nothing of the second.
        assert MessageRecipient.objects.filter(message=message).count() == BATCH
        assert OutgoingEmail.objects.filter(subject__startswith="Kill test").count() == BATCH
        second = spawn_worker(tmp_path, "second", **smtp)
        try:
            done = wait_for(
                lambda: GroupMessage.objects.filter(pk=message.pk, status="sent").first(),
                120,
                "the restarted task",
            )
            wait_for(
                lambda: (
                    not OutgoingEmail.objects.filter(
                        subject__startswith="Kill test", status="queued"
                    ).exists()
                ),
                60,
                "the last deliveries",
            )
        finally:
            stop_worker(second)
    finally:
        controller.stop()
    assert done.attempts == 2 and done.queued == PEOPLE
    addresses = {user.email for user in users}
    assert MessageRecipient.objects.filter(message=message).count() == PEOPLE
    assert OutgoingEmail.objects.filter(subject__startswith="Kill test", status="sent").count() == PEOPLE
    received = Counter(address for address in inbox.to if address in addresses)
    assert set(received) == addresses and set(received.values()) == {1}  # each exactly once
