"""Sending notification emails after the change that caused them is committed."""

import logging

from django.core.mail import send_mass_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def send_after_commit(messages: list[tuple[str, str, str, list[str]]]) -> None:
    """A mail server outage must not undo the change, but it must not pass unnoticed either."""

    def send() -> None:
        try:
            send_mass_mail(messages, fail_silently=False)
        except Exception:
            logger.exception("Could not send %d notification email(s): %s", len(messages), messages[0][0])

    if messages:
        transaction.on_commit(send)
