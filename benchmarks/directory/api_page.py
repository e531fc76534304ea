"""The directory API page of 100 organisations and the directory CSV export, per role: time and SQL queries.

    PYTHONPATH=src:. python -m benchmarks.directory.api_page [--organisations 1000] [--runs 30]

Builds `--organisations` organisations in 10 clusters (bulk_create) in a fresh SQLite database (a
temporary folder; set DATABASE_URL for PostgreSQL), then requests through the real URLs, as the
public, a member of one organisation, a cluster manager and a coordinator:
`GET /api/organisations?page_size=100` and `GET /directory/?export=csv` (every organisation). Prints
the median time and the number of SQL queries of each; the query count must not depend on the number
of rows (field-level disclosure adds no query per row). Run it on the code before and after a change
to compare them side by side.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal

from benchmarks.django_setup import setup_django


def _setup() -> None:
    setup_django("directory")


COUNTRIES = ["DE", "FR", "ES", "PL", "LT", "BG", "IT", "AT", "NL", "BE"]


def build(organisations: int) -> dict:
    """Organisations in 10 clusters; a member, a manager and a coordinator. Returns the users by role."""
    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.programmes.models import Programme, ProgrammeRole

    clusters = Organisation.objects.bulk_create(
        Organisation(
            name=f"Cluster {i}", slug=f"cluster-{i}", org_type="cluster", country=COUNTRIES[i], city="City"
        )
        for i in range(10)
    )
    members = Organisation.objects.bulk_create(
        Organisation(
            name=f"Company {i}",
            slug=f"company-{i}",
            org_type="sme",
            country=COUNTRIES[i % 10],
            city="Town",
            email=f"info{i}@example.org",
            phone="+49 351 000000",
            vat_number=f"DE{100000000 + i}",
            staff_count=20 + i % 200,
            turnover_eur=Decimal(1_000_000 + i),
            balance_sheet_eur=Decimal(900_000 + i),
            is_sme=True,
        )
        for i in range(organisations - 10)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(cluster=clusters[i % 10], member=org) for i, org in enumerate(members)
    )
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    users = {"public": None}
    for role, org, kind in (("member", members[0], "member"), ("manager", clusters[0], "manager")):
        user = User.objects.create_user(email=f"{role}@bench.example", password="x")  # noqa: S106 - bench
        Membership.objects.create(user=user, organisation=org, role=kind)
        users[role] = user
    coordinator = User.objects.create_user(email="coordinator@bench.example", password="x")  # noqa: S106
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    users["coordinator"] = coordinator
    return users


def measure(users: dict, runs: int) -> list[tuple[str, str, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for label, url in (
            ("API page of 100", "/api/organisations?page_size=100"),
            ("CSV export (all)", "/directory/?export=csv"),
        ):
            client.get(url)  # warm up (caches, first compilation of the templates)
            times = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
            rows.append((label, role, statistics.median(times) * 1000, len(queries), size))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    _setup()
    users = build(args.organisations)
    print(f"{args.organisations} organisations, median of {args.runs} runs, load {os.getloadavg()[0]:.1f}")
    print("| request | role | median ms | SQL queries | bytes |")
    print("|---|---|---|---|---|")
    for label, role, ms, queries, size in measure(users, args.runs):
        print(f"| {label} | {role} | {ms:.1f} | {queries} | {size:,} |")


if __name__ == "__main__":
    main(sys.argv[1:])
