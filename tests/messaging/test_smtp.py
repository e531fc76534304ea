"""A group message delivered through a real SMTP server on loopback: one envelope per recipient,
nobody sees another address, and an address the server refuses ends failed with the reason."""

from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from clusterxchange.messaging import domain
from clusterxchange.messaging.models import MessageRecipient
from tests.core.test_mail import free_port
from tests.messaging.conftest import participants

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self, refuse: str) -> None:
        self.received: list[tuple[str, list[str]]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.content.decode(), list(envelope.rcpt_tos)))
        return "250 OK"


@contextmanager
def smtp_server(refuse: str = ""):
    """A real SMTP server on loopback, and the settings that send to it (no retry: a refused address
    fails at once); yields its Inbox."""
    port = free_port()
    inbox = Inbox(refuse=refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            EMAIL_RETRY_DELAYS=[],
        ):
            yield inbox
    finally:
        controller.stop()


def test_delivered_one_by_one_through_smtp(world, mw, settings, django_capture_on_commit_callbacks):
    outsider = world.users["outsider"].email
    with smtp_server(refuse=outsider) as inbox, django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(world.users["coordinator"], participants(mw), "Hello {name}", "Body")
    mine = [(content, to) for content, to in inbox.received if "Hello " in content]
    assert [to for _content, to in mine] == [[world.users["owner"].email]]
    assert outsider not in mine[0][0]  # the other recipient's address appears nowhere
    states = dict(MessageRecipient.objects.filter(message=message).values_list("address", "email__status"))
    assert states == {world.users["owner"].email: "sent", outsider: "failed"}
    failed = MessageRecipient.objects.get(message=message, address=outsider).email
    assert "550" in failed.last_error and "mailbox unavailable" in failed.last_error
