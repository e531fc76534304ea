"""How the erasure finds a person's emails in the mail queue (`core.OutgoingEmail`): the query plan
and the time of finding and erasing them among N queued/sent emails.

    PYTHONPATH=src python -m benchmarks.privacy.bench_erasure_emails [--emails 5000] [--repeat 20]
    DATABASE_URL=postgres://… (an empty database of your own) for PostgreSQL.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.django_setup import measure, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django("erasure-emails")
    from django.db import connection, transaction

    from clusterxchange.core.models import OutgoingEmail
    from clusterxchange.privacy import domain, subjects

    OutgoingEmail.objects.all().delete()
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            recipient=f"Person.{n}@Example{n % 50}.org",
            subject="Your registration",
            body="Hello\n" * 20,
            from_email="noreply@example.org",
            status="sent" if n % 10 else "queued",
        )
        for n in range(args.emails)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_outgoingemail")
    addresses = {"person.4242@example42.org", "someone@else.example"}
    query = subjects.emails_to(addresses)
    print(f"{connection.vendor}, {args.emails} emails; plan of the erasure's search:")
    print(query.explain())
    found = query.count()

    def erase(_item) -> None:
        with transaction.atomic():
            domain._erase_emails(subjects.emails_to(addresses))
            transaction.set_rollback(True)

    p50, p95, top = measure(lambda _item: subjects.emails_to(addresses).count(), range(args.repeat))
    print(f"find ({found} found): p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {top:.2f} ms")
    p50, p95, top = measure(erase, range(args.repeat))
    print(f"find and erase: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {top:.2f} ms")


if __name__ == "__main__":
    main()
