"""Reminders to guests (registered for an event without an account, with an email on their person
record): in their language, with the unsubscribe line that group messages give them, signed for their
address; opening it stops the next reminders. Sent through a real SMTP server on loopback."""

import email
import email.header
import html
from datetime import timedelta

import pytest
from django.utils import timezone

from clusterxchange.followup import reminders
from clusterxchange.messaging.models import AddressSuppression
from tests.messaging.test_guests import GUEST, register_guest
from tests.messaging.test_smtp import smtp_server

pytestmark = pytest.mark.django_db


def remind_through_smtp(capture, now=None) -> dict[str, str]:
    """Runs the booking reminder with a real SMTP server; returns each recipient's decoded text."""
    with smtp_server() as inbox, capture(execute=True):
        reminders.remind_few_requests(now=now)
    received = {}
    for content, to in inbox.received:
        message = email.message_from_bytes(content.encode())
        text = message.get_payload(decode=True).decode(message.get_content_charset())
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        received[to[0].lower()] = f"{subject}\n{text}"
    return received


def test_a_guest_reminder_has_the_unsubscribe_line_in_the_guests_language(
    world, ew, django_capture_on_commit_callbacks
):
    register_guest(world, ew, languages=("fr",))
    received = remind_through_smtp(django_capture_on_commit_callbacks)
    guest = received[GUEST.lower()]
    assert "Réservez vos rendez-vous" in guest  # French: the person record's language, not English
    line = next(line for line in guest.splitlines() if line.startswith("Pour ne plus recevoir de rappels"))
    link = line.split()[-1]
    assert link.startswith("http://") and "/fr/messages/unsubscribe/" in link
    assert world.users["owner"].email in received  # the participants with an account as before
    client = world.client("anonymous")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{path}", {"action": "unsubscribe"}).status_code == 302
    assert AddressSuppression.objects.get().address == GUEST.lower()
    later = timezone.now() + timedelta(days=ew.event.programme.booking_reminder_days)
    assert GUEST.lower() not in remind_through_smtp(django_capture_on_commit_callbacks, now=later)
    assert "Les recevoir à nouveau" in html.unescape(client.get(f"/{path}").content.decode())
