"""What "Waiting for you" costs: the list of what waits for a coordinator, a partner cluster's manager
and a visitor, the home page (which loads its box after itself) and the box's fragment, for programmes
with many open exchanges, beside session 12's figures (the box computed inside the home page).

    PYTHONPATH=src:. python -m benchmarks.exchanges.waiting [--exchanges 100 1000] [--runs 20]

Builds, in a fresh SQLite database (set DATABASE_URL for PostgreSQL), 10 partner clusters with 20
members each and the given numbers of exchanges spread over every state (a third of them open to the
coordinator's step), then times each operation (median of --runs) and counts its SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta

from benchmarks.django_setup import setup_django, with_queries

STATES = [
    "draft",
    "submitted",
    "validated",
    "matched",
    "agreement_signed",
    "in_progress",
    "report_submitted",
    "report_validated",
    "paid",
    "certified",
    "cancelled",
]


def build(exchanges: int) -> dict:
    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.exchanges.models import Exchange
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

    countries = ["DE", "FR", "ES", "PL", "LT", "BG", "IT", "AT", "NL", "BE"]
    clusters = Organisation.objects.bulk_create(
        Organisation(name=f"Cluster {i}", slug=f"cluster-{i}", org_type="cluster", country=countries[i])
        for i in range(10)
    )
    members = Organisation.objects.bulk_create(
        Organisation(name=f"Company {i}", slug=f"company-{i}", org_type="sme", country=countries[i % 10])
        for i in range(200)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(cluster=clusters[i % 10], member=org) for i, org in enumerate(members)
    )
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date=date(2026, 1, 1), end_date=date(2028, 12, 31)
    )
    partners = PartnerCluster.objects.bulk_create(
        PartnerCluster(programme=programme, cluster=cluster) for cluster in clusters
    )
    today = date.today()
    Exchange.objects.bulk_create(
        Exchange(
            reference=f"CX-B{i:07d}",
            programme=programme,
            visitor_organisation=members[i % 200],
            visitor_partner=partners[i % 10],
            host_organisation=members[(i + 7) % 200] if STATES[i % 11] not in STATES[:3] else None,
            host_partner=partners[(i + 7) % 10] if STATES[i % 11] not in STATES[:3] else None,
            motivation="Learn",
            start_date=today + timedelta(days=(i % 60) - 30),
            end_date=today + timedelta(days=(i % 60) - 26),
            state=STATES[i % 11],
        )
        for i in range(exchanges)
    )
    users = {}
    for role, organisation, kind in (("visitor", members[0], "member"), ("manager", clusters[0], "manager")):
        user = User.objects.create_user(email=f"{role}@bench.example", password="x")  # noqa: S106 - bench
        Membership.objects.create(user=user, organisation=organisation, role=kind)
        users[role] = user
    coordinator = User.objects.create_user(email="coordinator@bench.example", password="x")  # noqa: S106
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    users["coordinator"] = coordinator
    return users


def timed(action, runs: int) -> tuple[float, int]:
    """Median milliseconds of `action` over `runs` runs (after one to warm up) and its SQL queries."""
    action()
    times, queries = [], 0
    for _ in range(runs):
        _, seconds, queries = with_queries(action)
        times.append(seconds)
    return statistics.median(times) * 1000, queries


def rows_for(users: dict, runs: int):
    from django.test import Client
    from django.urls import reverse

    from clusterxchange.waiting.gathering import waiting_for

    for role, user in users.items():
        groups = waiting_for(user)
        ms, queries = timed(lambda u=user: waiting_for(u), runs)
        yield f"waiting list ({sum(g.count for g in groups)} things)", role, ms, queries
    client = Client()
    client.force_login(users["coordinator"])

    def get(url: str):
        return lambda: client.get(url).status_code == 200 or sys.exit(f"{url} failed")

    home, box = get(reverse("home")), get(reverse("waiting_box"))
    yield "home page (the box loaded after it)", "coordinator", *timed(home, runs)
    yield "the box, fetched by the home page", "coordinator", *timed(box, runs)
    # What a reader of session 12's home page waited for, measured in the same run (the same load).
    yield "home page and box one after the other", "coordinator", *timed(lambda: home() and box(), runs)


# Session 12 (docs/benchmarks.md, "Waiting for you"), the box computed inside the home page, SQLite:
# (exchanges, operation) -> (median ms, SQL queries).
SESSION_12 = {
    (100, "home page (the box loaded after it)"): "60.5 ms, 28 queries (45.3 ms, 19 without the box)",
    (300, "home page (the box loaded after it)"): "99.4 ms, 28 queries (37.8 ms, 19 without the box)",
    (1000, "home page (the box loaded after it)"): "197.3 ms, 28 queries (38.2 ms, 19 without the box)",
    (100, "home page and box one after the other"): "60.5 ms, 28 queries (the page with the box)",
    (300, "home page and box one after the other"): "99.4 ms, 28 queries (the page with the box)",
    (1000, "home page and box one after the other"): "197.3 ms, 28 queries (the page with the box)",
    (1000, "waiting list (coordinator)"): "143.1 ms, 9 queries",
    (1000, "waiting list (manager)"): "39.0 ms, 9 queries",
    (1000, "waiting list (visitor)"): "13.1 ms, 5 queries",
    (100, "waiting list (coordinator)"): "23.9 ms, 9 queries",
    (300, "waiting list (coordinator)"): "53.4 ms, 9 queries",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exchanges", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    setup_django("waiting")
    from django.db import transaction

    print(f"median of {args.runs} runs, load {os.getloadavg()[0]:.1f}")
    print("| exchanges | operation | role | median ms | SQL queries | session 12 |")
    print("|---|---|---|---|---|---|")
    for count in args.exchanges:
        with transaction.atomic():
            users = build(count)
            for label, role, ms, queries in rows_for(users, args.runs):
                before = SESSION_12.get((count, label)) or SESSION_12.get(
                    (count, f"{label.split(' (')[0]} ({role})"), ""
                )
                print(f"| {count:,} | {label} | {role} | {ms:.1f} | {queries} | {before} |")
            transaction.set_rollback(True)


if __name__ == "__main__":
    started = time.perf_counter()
    main(sys.argv[1:])
    print(f"({time.perf_counter() - started:.0f} s)")
