"""Looking a person up by email address, whatever its case, in the three tables that grow with use:
accounts (`accounts.User`: every "add by address" form, allauth's emails, each email's unsubscribe
line), invitations (`accounts.Invitation`) and the recipients of group messages
(`messaging.MessageRecipient`: up to 5,000 per message), the last two searched by the privacy
export and erasure. Prints each query's plan and its time.

    PYTHONPATH=src python -m benchmarks.privacy.bench_address_lookups [--rows 20000] [--repeat 30]
    DATABASE_URL=postgres://… (an empty database of your own) for PostgreSQL.
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.django_setup import measure, setup_django


def fill(rows: int) -> None:
    from datetime import date

    from django.utils import timezone

    from clusterxchange.accounts.models import Invitation, User
    from clusterxchange.messaging.models import GroupMessage, MessageRecipient
    from clusterxchange.programmes.models import Programme

    MessageRecipient.objects.all().delete()
    GroupMessage.objects.all().delete()
    Invitation.objects.all().delete()
    User.objects.all().delete()
    Programme.objects.filter(slug="bench").delete()
    programme = Programme.objects.create(
        name="Bench", acronym="BENCH", slug="bench", start_date=date(2026, 1, 1), end_date=date(2028, 1, 1)
    )
    # Addresses as people type them (mixed case), as imports and older rows may hold them.
    User.objects.bulk_create(
        User(email=f"Person.{n}@Example{n % 50}.org", first_name="P", last_name=str(n)) for n in range(rows)
    )
    expires = timezone.now() + timedelta(days=30)
    Invitation.objects.bulk_create(
        Invitation(
            email=f"Guest.{n}@Example{n % 50}.org",
            role_kind="coordinator",
            programme=programme,
            expires_at=expires,
            accepted_at=timezone.now(),
        )
        for n in range(rows)
    )
    per_message = 5000
    messages = GroupMessage.objects.bulk_create(
        GroupMessage(programme=programme, audience="all", audience_label="All", subject="News", body="…")
        for _ in range(max(1, rows // per_message))
    )
    MessageRecipient.objects.bulk_create(
        MessageRecipient(
            message=messages[n % len(messages)], address=f"guest.{n}@example{n % 50}.org", language="en"
        )
        for n in range(rows)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django("address-lookups")
    from django.db import connection

    from clusterxchange.accounts.domain import account_for
    from clusterxchange.privacy import subjects

    fill(args.rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("accounts_user", "accounts_invitation", "messaging_messagerecipient"):
                cursor.execute(f"ANALYZE {table}")
    person = SimpleNamespace(email="Guest.4242@example42.org", user_id=None)
    addresses = subjects.addresses_of(person) | {"someone@else.example"}
    queries = {
        "account by address (account_for)": lambda: account_for("person.4242@EXAMPLE42.org"),
        "invitations to a person (privacy)": lambda: list(subjects.invitations_of(person)),
        "message recipients (privacy)": lambda: list(subjects.message_recipients_of(person, addresses)),
    }
    print(f"{connection.vendor}, {args.rows} accounts, invitations and message recipients each")
    for label, query in queries.items():
        found = query()
        print(f"\n{label}: {plan_of_last_select(query)}")
        p50, p95, top = measure(lambda _item, query=query: query(), range(args.repeat))
        count = 1 if not isinstance(found, list) else len(found)
        print(f"  found {count}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {top:.2f} ms")


def plan_of_last_select(query) -> str:
    """The plan of the last SELECT `query()` runs."""
    from django.db import connection

    seen = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        query()
    sql, params = seen[-1]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return " | ".join(str(row[-1]) for row in rows)


if __name__ == "__main__":
    main()
