"""The members and roles pages and the memberships API at scale: time and SQL queries, beside baselines.

    PYTHONPATH=src:. python -m benchmarks.accounts.members [--organisations 100000] [--members 10000] [--runs 10]

Builds (bulk_create) `--organisations` organisations in 10 partner clusters of one programme, and
`--members` accounts that are all people of partner cluster 0 (its members page is the largest
there is: every account, and a tenth of the organisations as its member organisations), each with a
person record of the cluster, in a fresh SQLite database (a temporary folder; set DATABASE_URL for
PostgreSQL). Then requests through the real URLs, as the coordinator, the cluster's manager and one of
its members: the cluster's members page (first page, a search, a page deep in the list), the
programme's members page, the index, and the memberships API (a page of 100 of the cluster, and of
everything the user may see). Baselines, side by side: the same members page with every member on one
page (the naive unpaginated list), and the Django admin's list of users and its search (where
memberships were looked at before the members pages: 100 a page, superuser).
"""

import argparse
import logging
import os
import statistics
import sys
import time
from unittest import mock

from benchmarks.django_setup import setup_django


def _setup() -> None:
    setup_django("members", quiet=logging.WARNING)


COUNTRIES = ["DE", "FR", "ES", "PL", "LT", "BG", "IT", "AT", "NL", "BE"]
BATCH = 5000


def build(organisations: int, members: int) -> dict:
    """The world described in the module's docstring; returns the users by role."""
    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.core.models import AuditEntry
    from clusterxchange.directory.models import ClusterMembership, Organisation, Person
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

    clusters = Organisation.objects.bulk_create(
        Organisation(name=f"Cluster {i}", slug=f"cluster-{i}", org_type="cluster", country=COUNTRIES[i])
        for i in range(10)
    )
    companies = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Company {i:06d}", slug=f"company-{i}", org_type="sme", country=COUNTRIES[i % 10]
            )
            for i in range(organisations - 10)
        ),
        batch_size=BATCH,
    )
    ClusterMembership.objects.bulk_create(
        (ClusterMembership(cluster=clusters[i % 10], member=org) for i, org in enumerate(companies)),
        batch_size=BATCH,
    )
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    PartnerCluster.objects.bulk_create(
        PartnerCluster(programme=programme, cluster=cluster) for cluster in clusters
    )
    people = User.objects.bulk_create(
        (
            User(
                email=f"person{i:05d}@bench.example",
                first_name=f"First{i:05d}",
                last_name=f"Last{i:05d}",
                password="!",  # noqa: S106 - an unusable password
            )
            for i in range(members)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(user=user, organisation=clusters[0], role="manager" if i < 10 else "member")
            for i, user in enumerate(people)
        ),
        batch_size=BATCH,
    )
    # Person records: most linked to their account, some without one (the "to link" list).
    Person.objects.bulk_create(
        (
            Person(
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                organisation=clusters[0],
                user=user if i % 10 else None,
            )
            for i, user in enumerate(people)
        ),
        batch_size=BATCH,
    )
    coordinator = User.objects.create_user(email="coordinator@bench.example")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    # The history of the cluster's roles (shown to its managers and the coordinator): each member given
    # their role, as an invitation or an approved request to join records it.
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=coordinator,
                action="accounts.role.assign",
                object_type="directory.organisation",
                object_id=str(clusters[0].pk),
                object_repr=clusters[0].name,
                to_state="manager" if i < 10 else "member",
                subject=user,
            )
            for i, user in enumerate(people)
        ),
        batch_size=BATCH,
    )
    superuser = User.objects.create_superuser(email="root@bench.example")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: the planner's statistics
    return {
        "coordinator": coordinator,
        "manager": people[0],
        "member": people[members // 2],
        "superuser": superuser,
        "cluster": clusters[0],
    }


def _time(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm up (caches, first compilation of the templates)
    assert response.status_code == 200, (url, response.status_code)
    times, sql = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries))
    return statistics.median(times) * 1000, statistics.median(sql) * 1000, len(queries), len(response.content)


def measure(world: dict, runs: int) -> list[tuple[str, str, float, float, int, int]]:
    from django.test import Client

    from clusterxchange.accounts import views
    from clusterxchange.core import pagination

    cluster = world["cluster"].slug
    page = f"/accounts/members/organisations/{cluster}/"
    middle = max(1, world["members"] // 50)
    requests = [
        ("cluster members page, page 1", page, ("coordinator", "manager", "member")),
        ("… search by name", page + "?q=Last04242", ("coordinator", "manager")),
        (f"… page {middle} of the members", page + f"?page={middle}", ("manager",)),
        ("programme members page", "/accounts/members/programmes/bench/", ("coordinator", "manager")),
        ("members and roles index", "/accounts/members/", ("coordinator", "manager")),
        (
            "API: 100 memberships of the cluster",
            f"/api/memberships?organisation={cluster}&page_size=100",
            ("coordinator", "manager", "member"),
        ),
        ("API: 100 of all visible memberships", "/api/memberships?page_size=100", ("coordinator",)),
    ]
    rows = []
    clients = {}
    for role in ("coordinator", "manager", "member", "superuser"):
        clients[role] = Client()
        clients[role].force_login(world[role])
    for label, url, roles in requests:
        for role in roles:
            rows.append((label, role, *_time(clients[role], url, runs)))
    # Baselines: every member on one page (the naive list), and the admin's users of the cluster.
    with mock.patch.object(
        views,
        "paginate",
        lambda request, queryset, **kwargs: pagination.paginate(request, queryset, per_page=10**6),
    ):
        rows.append(
            (
                "baseline: every member on one page",
                "manager",
                *_time(clients["manager"], page, max(3, runs // 3)),
            )
        )
    admin_url = "/admin/accounts/user/"
    rows.append(
        (
            "baseline: admin user list (every account)",
            "superuser",
            *_time(clients["superuser"], admin_url, runs),
        )
    )
    admin_search = "/admin/accounts/user/?q=Last04242"
    rows.append(
        ("baseline: admin user search", "superuser", *_time(clients["superuser"], admin_search, runs))
    )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    started = time.perf_counter()
    world = build(args.organisations, args.members)
    world["members"] = args.members
    built = time.perf_counter() - started
    print(
        f"{args.organisations:,} organisations, {args.members:,} members, {connection.vendor}, "
        f"built in {built:.0f} s, median of {args.runs} runs, load {os.getloadavg()[0]:.1f}"
    )
    print("| request | role | median ms | of which SQL ms | SQL queries | bytes |")
    print("|---|---|---|---|---|---|")
    for label, role, ms, sql_ms, queries, size in measure(world, args.runs):
        print(f"| {label} | {role} | {ms:.1f} | {sql_ms:.1f} | {queries} | {size:,} |")


if __name__ == "__main__":
    main(sys.argv[1:])
