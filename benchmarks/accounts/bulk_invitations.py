"""Invitations from a file: checking a file of 2,000 rows, and creating and sending them through a
real SMTP server on loopback, each beside its baseline.

    PYTHONPATH=src:. python -m benchmarks.accounts.bulk_invitations [--rows 2000] [--users 10000]

Builds, in a fresh SQLite database (a temporary folder; set DATABASE_URL for PostgreSQL), a programme
with a partner cluster of 200 member organisations, `--users` accounts with memberships (1,000 of them
in the target organisation) and 2,000 open invitations elsewhere; then, for a file of `--rows` new
addresses (CSV, every row valid: the worst case, every check runs):

- check: `accounts.invitations.check_file` as the page calls it (one query per check for the whole
  file) against the baseline that asks the database once per row (`batched=False`);
- send: `invite_file` (all invitations in one transaction) and the background task (run inline:
  the immediate task backend), whose chunks of 200 go out over one SMTP connection each, against the
  baseline of inviting the same number of people one by one with `invite` (per-row checks, one
  transaction and one SMTP connection per email).

Prints a Markdown table: wall time and SQL queries of each, and the emails the server received.
"""

import argparse
import logging
import os
import socket
import sys

from benchmarks.django_setup import setup_django, with_queries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


def _setup(port: int) -> None:
    setup_django(
        "invitations",
        quiet=logging.WARNING,
        settings={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "INVITATIONS_PER_HOUR": "1000000",
            "INVITATIONS_PER_DAY": "1000000",
        },
    )


def build(users: int):
    """The world: returns (coordinator, target organisation)."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from clusterxchange.accounts.models import Invitation, Membership, User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

    cluster = Organisation.objects.create(name="Cluster", slug="cluster", org_type="cluster", country="DE")
    members = Organisation.objects.bulk_create(
        Organisation(name=f"Company {i}", slug=f"company-{i}", org_type="sme", country="DE")
        for i in range(200)
    )
    ClusterMembership.objects.bulk_create(ClusterMembership(cluster=cluster, member=org) for org in members)
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    PartnerCluster.objects.create(programme=programme, cluster=cluster, is_coordinator=True)
    coordinator = User.objects.create_user(email="coordinator@bench.example", password="x")  # noqa: S106 - bench
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    people = User.objects.bulk_create(
        User(email=f"user{i}@bench.example", password=UNUSABLE_PASSWORD_PREFIX) for i in range(users)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=members[0] if i < 1000 else members[1 + i % 199])
        for i, user in enumerate(people)
    )
    from django.utils import timezone

    Invitation.objects.bulk_create(
        Invitation(
            email=f"open{i}@bench.example",
            role_kind="organisation-member",
            organisation=members[1 + i % 199],
            invited_by=coordinator,
            expires_at=timezone.now() + timezone.timedelta(days=14),
        )
        for i in range(2000)
    )
    return coordinator, members[0]


def warm_up() -> None:
    """Load the URL patterns of every language once (a running worker has them already)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("invitations:accept", kwargs={"token": "x"})


def file_of(rows: int, prefix: str) -> tuple[str, bytes]:
    lines = ["email,first_name,last_name,role,language"]
    lines += [
        f"{prefix}{i}@new.example,First{i},Last{i},member,{('en', 'de', 'fr')[i % 3]}" for i in range(rows)
    ]
    return "invitations.csv", "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _setup(port)
        from clusterxchange.accounts import invitations
        from clusterxchange.accounts.models import Invitation, InvitationBatch
        from clusterxchange.core.models import OutgoingEmail
        from clusterxchange.core.tabular import read_table

        coordinator, target = build(args.users)
        warm_up()
        name, content = file_of(args.rows, "file")
        table = read_table(name, content)
        check = {"role_kind": "organisation-member", "language": "en"}
        (report, _rows), batched_s, batched_q = with_queries(
            lambda: invitations.check_file(coordinator, table, target, **check)
        )
        assert report.ok, report.errors[:3]
        (slow, _rows), per_row_s, per_row_q = with_queries(
            lambda: invitations.check_file(coordinator, table, target, batched=False, **check)
        )
        assert slow.errors == report.errors

        batch, file_s, file_q = with_queries(
            lambda: invitations.invite_file(coordinator, table, target, **check)
        )
        batch = InvitationBatch.objects.get(pk=batch.pk)
        assert (batch.status, batch.done) == ("done", args.rows), (batch.status, batch.done)
        received_file = inbox.count

        def one_by_one():
            for i in range(args.rows):
                invitations.invite(
                    coordinator,
                    email=f"single{i}@new.example",
                    role_kind="organisation-member",
                    target=target,
                    language=("en", "de", "fr")[i % 3],
                )

        _none, single_s, single_q = with_queries(one_by_one)
        received_single = inbox.count - received_file
        unsent = OutgoingEmail.objects.exclude(status="sent").count()
    finally:
        controller.stop()

    print(
        f"{args.rows} rows, {args.users} accounts, {Invitation.objects.count() - 2 * args.rows} other invitations"
    )
    print()
    print("| measure | this code | baseline | |")
    print("|---|---|---|---|")
    print(
        f"| check a file of {args.rows} rows (page's dry run) | {batched_s:.2f} s, {batched_q} queries "
        f"| {per_row_s:.2f} s, {per_row_q} queries (one per row and check) | target: seconds |"
    )
    print(
        f"| create and send {args.rows} (file + task, loopback SMTP) | {file_s:.2f} s, {file_q} queries, "
        f"{received_file} emails received ({args.rows / file_s:.0f}/s) "
        f"| {single_s:.2f} s, {single_q} queries, {received_single} emails received "
        f"({args.rows / single_s:.0f}/s; one by one) | |"
    )
    print(f"\nemails not sent: {unsent}; load average {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
