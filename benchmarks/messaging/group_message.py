"""A message to 2,000 recipients: rendered, queued and delivered through a real SMTP server on loopback,
beside the naive way (one `send_mail` per recipient, synchronously, in the request).

    PYTHONPATH=src:. python -m benchmarks.messaging.group_message [--recipients 2000]

Builds an event with `--recipients` validated participants (a third each in English, German and
French) in a fresh SQLite database (a temporary folder; set DATABASE_URL for PostgreSQL) and starts an
aiosmtpd server on a free loopback port. Then:

- **group message** (messaging/): `send_message` (what the page does: count, check, record), then the
  background task's work, `deliver_message`: batches of `GROUP_MESSAGE_BATCH` rendered in each
  recipient's language and queued (one `OutgoingEmail` and one `MessageRecipient` per person, one
  transaction per batch); each batch's commit queues a delivery task (`core.tasks.deliver_emails`, one
  SMTP connection each), which the benchmark then runs, timed apart as "SMTP delivery".
- **baseline**: for each recipient, render the same text and call Django's `send_mail` (a new SMTP
  connection each, nothing recorded, nothing retried), as a view doing it in the request would.

Both must deliver every email exactly once (checked against the server's inbox).
"""

import argparse
import logging
import os
import socket
import sys
import time
from collections import Counter

from benchmarks.django_setup import setup_django


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = free_port()


def _setup() -> None:
    setup_django(
        "messaging",
        quiet=logging.WARNING,
        settings={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(PORT),
            "TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",  # the task is run here, timed
        },
    )


class Inbox:
    def __init__(self) -> None:
        self.to: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.to.extend(envelope.rcpt_tos)
        return "250 OK"


def build(recipients: int):
    from datetime import date

    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import Organisation
    from clusterxchange.events.models import Event, Registration
    from clusterxchange.programmes.models import Programme, ProgrammeRole

    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    cluster = Organisation.objects.create(
        name="Bench cluster", slug="bench-cluster", org_type="cluster", country="DE"
    )
    company = Organisation.objects.create(
        name="Bench company", slug="bench-company", org_type="sme", country="DE"
    )
    coordinator = User.objects.create_user(email="coordinator@bench.example", password="x")  # noqa: S106 - bench
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    Membership.objects.create(user=coordinator, organisation=cluster, role="manager")
    event = Event.objects.create(
        programme=programme,
        kind="b2b",
        title="Bench Day",
        slug="bench-day",
        host_cluster=cluster,
        city="Dresden",
        country="DE",
        start_date=date(2027, 6, 1),
        end_date=date(2027, 6, 1),
        published=True,
    )
    users = User.objects.bulk_create(
        User(
            email=f"p{i:05}@bench.example",
            first_name="Person",
            last_name=str(i),
            language=("", "de", "fr")[i % 3],
        )
        for i in range(recipients)
    )
    Registration.objects.bulk_create(
        Registration(event=event, user=user, organisation=company, status="validated") for user in users
    )
    return coordinator, event, users


SUBJECT = "Silicon Saxony Day: your agenda, {name}"
BODY = "Dear {name},\n\nthe agenda of {event} is online: {agenda_link}\n\nSee you in Dresden!\n"


def run_group_message(coordinator, event) -> dict:
    from django_tasks import task_backends

    from clusterxchange.core.tasks import deliver_emails
    from clusterxchange.messaging import domain

    backend = task_backends["default"]
    backend.clear()
    start = time.perf_counter()
    message = domain.send_message(coordinator, f"event_participants:{event.pk}", SUBJECT, BODY)
    request = time.perf_counter() - start
    start = time.perf_counter()
    queued = domain.deliver_message(message.pk)
    task = time.perf_counter() - start
    # Each batch's commit queued a delivery task (core.mail); a worker runs them: here, timed.
    start = time.perf_counter()
    for result in [r for r in backend.results if r.task.func is deliver_emails.func]:
        deliver_emails.call(*result.args)
    delivering = time.perf_counter() - start
    return {
        "request": request,
        "queue": task,
        "deliver": delivering,
        "total": request + task + delivering,
        "queued": queued,
    }


def run_baseline(coordinator, event, users) -> dict:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    from clusterxchange.accounts.language import preferred_language
    from clusterxchange.messaging import domain, groups

    audience = groups.resolve(coordinator, f"event_participants:{event.pk}")
    start = time.perf_counter()
    for user in users:
        with translation.override(preferred_language(user)):
            subject, body = domain.render(coordinator, audience, user, SUBJECT, BODY)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return {"total": time.perf_counter() - start}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=2000)
    args = parser.parse_args(argv)
    _setup()
    from aiosmtpd.controller import Controller
    from django.urls import reverse

    from clusterxchange.core.models import OutgoingEmail

    reverse("home")  # load the URLconf (every app's views) once, outside the timings
    coordinator, event, users = build(args.recipients)
    addresses = {user.email for user in users}
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=PORT)
    controller.start()
    try:
        ours = run_group_message(coordinator, event)
        ours_received = Counter(a for a in inbox.to if a in addresses)
        inbox.to.clear()
        base = run_baseline(coordinator, event, users)
        base_received = Counter(a for a in inbox.to if a in addresses)
    finally:
        controller.stop()
    sent = OutgoingEmail.objects.filter(status="sent").count()
    n = args.recipients
    print(f"{n} recipients, SMTP on loopback (aiosmtpd), database {os.environ.get('DATABASE_URL', 'SQLite')}")
    print()
    print(
        "| way | request (s) | render + queue (s) | SMTP delivery (s) | total (s) | delivered once | lost |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| group message (task, batches of 200) | {ours['request']:.2f} | {ours['queue']:.2f} | "
        f"{ours['deliver']:.2f} | {ours['total']:.2f} | {sum(1 for c in ours_received.values() if c == 1)} | "
        f"{len(addresses - set(ours_received))} |"
    )
    print(
        f"| baseline: send_mail per recipient in the request | {base['total']:.2f} | — | — | {base['total']:.2f} | "
        f"{sum(1 for c in base_received.values() if c == 1)} | {len(addresses - set(base_received))} |"
    )
    ok = (
        set(ours_received) == addresses
        and set(ours_received.values()) == {1}
        and sent >= n
        and ours["queue"] < 30
    )
    print()
    print("OK" if ok else "FAILED: lost, duplicated or too slow")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
