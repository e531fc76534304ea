"""Importing an event's participants from a file of 2,000 rows: what the request does (read the file,
map its columns, check each row) and what the background task does (every row through the domain
actions in one transaction, with its progress).

    PYTHONPATH=src:. python -m benchmarks.events.imports [--rows 2000]

Builds, in a fresh SQLite database (a temporary folder; set DATABASE_URL for PostgreSQL), a B2B event
with automatic validation and `--rows` organisations in the directory, each with a person whose email
the file names; the file (CSV) registers each of them with a role and a participant type, every row
valid (the worst case: every row is imported). The task runs inline (the immediate task backend)
and its emails go to Django's in-memory outbox. Prints a Markdown table: wall time, SQL queries, and
the progress the page could read while the task ran.
"""

import argparse
import logging
import os
import sys
from datetime import date

from benchmarks.django_setup import setup_django, with_queries


def _setup() -> None:
    setup_django(
        "imports",
        quiet=logging.WARNING,
        defaults={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        settings={"TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    )


def build(rows: int):
    """The event and its organiser."""
    from clusterxchange.accounts.models import User
    from clusterxchange.directory.models import Organisation, Person
    from clusterxchange.events import questions
    from clusterxchange.events.domain import organising
    from clusterxchange.programmes.models import Programme, ProgrammeRole

    programme = Programme.objects.create(
        slug="bench", name="Bench", acronym="BENCH", start_date=date(2020, 1, 1), end_date=date(2040, 1, 1)
    )
    organiser = User.objects.create_user(email="organiser@bench.example", password="x" * 20)
    ProgrammeRole.objects.create(programme=programme, user=organiser)
    cluster = Organisation.objects.create(
        name="Bench cluster", slug="bench-cluster", org_type="cluster", country="DE"
    )
    event = organising.create_event(
        organiser,
        programme,
        {
            "kind": "b2b",
            "title": "Bench import day",
            "host_cluster": cluster,
            "city": "Dresden",
            "country": "DE",
            "start_date": date(2031, 6, 20),
            "end_date": date(2031, 6, 20),
            "time_zone": "Europe/Berlin",
            "published": True,
            "validation": "automatic",
        },
    )
    for name in ("Buyer", "Supplier"):
        questions.add_participant_type(organiser, event, name)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Company {n:04d} GmbH", slug=f"company-{n:04d}", org_type="sme", country="DE")
        for n in range(rows)
    )
    Person.objects.bulk_create(
        Person(
            first_name="Ann", last_name=f"Person {n:04d}", email=f"person{n}@bench.example", organisation=org
        )
        for n, org in enumerate(organisations)
    )
    return organiser, event


def file_of(rows: int) -> tuple[str, bytes]:
    lines = ["Company Name,E-mail,Taking part as,Participation type"]
    lines += [
        f"Company {n:04d} GmbH,person{n}@bench.example,{('delegate', 'local')[n % 2]},{('Buyer', 'Supplier')[n % 2]}"
        for n in range(rows)
    ]
    return "participants.csv", "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    _setup()
    from clusterxchange.core import jobs
    from clusterxchange.core.tabular import read_table
    from clusterxchange.events import imports
    from clusterxchange.events.models import EventImport, Registration

    organiser, event = build(args.rows)
    name, content = file_of(args.rows)

    def request_part():
        table = read_table(name, content)
        targets = imports.targets_for(event, imports.PARTICIPANTS)
        mapped = imports.map_columns(table, targets, imports.guess_mapping(targets, table.headers))
        return mapped, imports.check(organiser, event, imports.PARTICIPANTS, mapped)

    (mapped, report), check_s, check_q = with_queries(request_part)
    assert report.ok, report.errors[:3]

    seen = []  # the progress the page would read, each time the task reports it
    report_progress = jobs.report

    def watched(job, done):
        report_progress(job, done)
        seen.append(EventImport.objects.get(pk=job.pk).progress)

    jobs.report = watched
    (_report, job), import_s, import_q = with_queries(
        lambda: imports.start_import(organiser, event, imports.PARTICIPANTS, mapped)
    )
    jobs.report = report_progress
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", args.rows), (job.status, job.created, job.errors[:3])
    registered = Registration.objects.filter(event=event, status="validated").count()

    print(f"{args.rows} rows, {registered} participants registered and validated")
    print()
    print("| step | wall time | SQL queries | per row |")
    print("|---|---|---|---|")
    print(
        f"| request: read, map and check the file | {check_s:.2f} s | {check_q} | {check_s / args.rows * 1000:.1f} ms |"
    )
    print(
        f"| background task: import every row (one transaction) | {import_s:.2f} s | {import_q} "
        f"| {import_s / args.rows * 1000:.1f} ms |"
    )
    print(
        f"\nprogress read while the task ran: {len(seen)} updates, {seen[:3]} … {seen[-3:]}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
