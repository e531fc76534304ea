"""Outgoing email that survives a mail server outage.

`send_after_commit` stores one `OutgoingEmail` per recipient in the caller's transaction (a change
that is rolled back sends nothing) and, once committed, hands them to the task workers
(`core.tasks.deliver_emails`, one task per `DELIVERY_CHUNK` emails, each over one SMTP connection):
the page that published a 2,000-participant agenda does not wait for the mail server. An email the
mail server refused is retried after the delays of `EMAIL_RETRY_DELAYS` by the periodic job
`deliver-emails` (core/tasks.py), and marked failed with the reason after the last one; the same job
sends an email whose task could not be queued (its first attempt is due at once).

Each email is sent while its row is locked, and marked sent in the same transaction, so two workers
never send the same email. A worker killed after the server accepted an email but before the commit
sends it again later: delivery is at least once, as with any SMTP client.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from clusterxchange.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

DELIVERY_CHUNK = 200  # emails per delivery task (one SMTP connection each)


def send_after_commit(
    messages: list[tuple[str, str, str, list[str]]], programme_id: int | None = None, *, reply_to: str = ""
) -> list[OutgoingEmail]:
    """Queue (subject, body, from, recipients) messages, one email per recipient, and hand them to the
    task workers once the caller's transaction is committed. `programme_id` is the programme they are
    sent for (None for an account's own emails): its coordinators see the ones that finally fail.
    `reply_to` is where the recipients' answers go, if not to the sender's address."""
    emails = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            programme_id=programme_id,
            recipient=recipient,
            subject=subject[:300],
            body=body,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            reply_to=reply_to,
            next_attempt_at=timezone.now(),
        )
        for subject, body, from_email, recipients in messages
        for recipient in recipients
    )
    if emails:
        ids = [email.pk for email in emails]
        transaction.on_commit(lambda: deliver_in_background(ids))
    return emails


def deliver_in_background(ids: list[int]) -> None:
    """Queue the delivery of the emails `ids` as background tasks, `DELIVERY_CHUNK` per task. Should
    the task queue refuse, the emails stay queued and the periodic job `deliver-emails` sends them."""
    from clusterxchange.core.tasks import deliver_emails  # noqa: PLC0415 — cycle: the task calls this module back

    for start in range(0, len(ids), DELIVERY_CHUNK):
        chunk = ids[start : start + DELIVERY_CHUNK]
        try:
            deliver_emails.enqueue(chunk)
        except Exception:  # the queue's database refused: the periodic job picks the emails up
            logger.exception(
                "Could not queue the delivery of %d emails; deliver-emails will send them", len(chunk)
            )


@dataclass(frozen=True)
class OptOut:
    """Who asked for no more non-essential mail of a kind, and the unsubscribe line each such email
    carries. Registered by the app that keeps the choices (messaging, in its AppConfig.ready): core
    knows no app."""

    blocked: Callable[[set[str], str], set[str]]  # (addresses, kind) -> the addresses to leave out
    footer: Callable[[str, str], str]  # (address, kind) -> the line to add, in the active language


_opt_out: list[OptOut] = []


def register_opt_out(opt_out: OptOut) -> None:
    _opt_out[:] = [opt_out]


def send_in_languages(
    recipients: Iterable[tuple[str, str]],
    render: Callable[[], tuple[str, str]],
    kind: str = "",
    programme_id: int | None = None,
) -> int:
    """Queue one email per (address, language), its subject and body rendered by `render()` in that
    language (`core.texts.later` keeps the parts translatable until then); returns the count.

    A non-essential email names its `kind` (e.g. "reminders"): the people who unsubscribed from it or
    whose address bounced are left out, and each email carries its own unsubscribe link (`OptOut`).
    `programme_id`: the programme the emails are sent for (`send_after_commit`)."""
    by_language: dict[str, set[str]] = defaultdict(set)
    for address, language in recipients:
        if address:
            by_language[language].add(address)
    opt_out = _opt_out[0] if kind and _opt_out else None
    if opt_out is not None:
        blocked = opt_out.blocked({a for addresses in by_language.values() for a in addresses}, kind)
        by_language = {language: addresses - blocked for language, addresses in by_language.items()}
    messages = []
    for language, addresses in sorted(by_language.items()):
        if not addresses:
            continue
        with translation.override(language):
            subject, body = render()
            if opt_out is None:
                messages.append((str(subject), str(body), settings.DEFAULT_FROM_EMAIL, sorted(addresses)))
                continue
            for address in sorted(addresses):
                footer = opt_out.footer(address, kind)
                text = f"{body}\n\n-- \n{footer}\n" if footer else str(body)
                messages.append((str(subject), text, settings.DEFAULT_FROM_EMAIL, [address]))
    send_after_commit(messages, programme_id)
    return sum(len(addresses) for addresses in by_language.values())


def send_personal_in_languages(
    emails: Iterable[tuple[str, str, Callable[[], tuple[str, str]]]], programme_id: int | None = None
) -> int:
    """Queue one email of its own per (address, language, render) (e.g. a personal link), rendered in
    that language, for the programme `programme_id` (`send_after_commit`); all are sent over one
    connection after the commit. Returns the count."""
    messages = []
    for address, language, render in emails:
        if not address:
            continue
        with translation.override(language):
            subject, body = render()
        messages.append((str(subject), str(body), settings.DEFAULT_FROM_EMAIL, [address]))
    send_after_commit(messages, programme_id)
    return len(messages)


def deliver(ids: list[int]) -> int:
    """Try to send the queued emails among `ids` (one connection); returns how many were sent."""
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for email_id in ids:
            sent += _deliver_one(email_id, connection)
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that never opened or already broke
            logger.debug("Closing the mail connection failed", exc_info=True)
    return sent


def deliver_due(now=None, limit: int = 500) -> int:
    """Retry the emails whose next attempt is due (the periodic job)."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver(due) if due else 0


def _deliver_one(email_id: int, connection) -> int:
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return 0  # sent or being sent by another worker, or finally failed
        email.attempts += 1
        try:
            EmailMessage(
                email.subject,
                email.body,
                email.from_email,
                [email.recipient],
                connection=connection,
                reply_to=[email.reply_to] if email.reply_to else None,
            ).send()
        except Exception as error:
            _record_failure(email, error)
            return 0
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "next_attempt_at", "attempts", "last_error"])
        return 1


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    delays = settings.EMAIL_RETRY_DELAYS
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts > len(delays):
        email.status = OutgoingEmail.Status.FAILED
        email.next_attempt_at = None
        logger.error(
            "Email to %s finally failed after %d attempts (%s): %s",
            email.recipient,
            email.attempts,
            email.subject,
            email.last_error,
        )
    else:
        email.next_attempt_at = timezone.now() + timedelta(seconds=delays[email.attempts - 1])
        logger.warning(
            "Email to %s not sent (attempt %d, next at %s): %s",
            email.recipient,
            email.attempts,
            email.next_attempt_at.isoformat(timespec="seconds"),
            email.last_error,
        )
    email.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
