"""Joining at scale: finding one's organisation (name, VAT number, website), the duplicate check of a
registration, the next-steps page and the page of requests to decide, with many organisations.

    PYTHONPATH=src:. python -m benchmarks.directory.joining [--organisations 100000] [--runs 20]

Builds `--organisations` organisations (bulk_create, search document and website domain filled as
Organisation.save would) in 10 partner clusters, a fresh account with a pending request and a cluster
manager, in a fresh SQLite database (a temporary folder; set DATABASE_URL for PostgreSQL, where the
directory's trigram index answers the name search). Prints the median time and SQL queries of each.
"""

import argparse
import os
import statistics
import sys
import time

from benchmarks.directory.api_page import COUNTRIES, _setup

WORDS = ["sensor", "robot", "cloud", "laser", "battery", "textile", "food", "water", "photon", "cyber"]


def build(organisations: int) -> dict:
    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.joining import domain as joining
    from clusterxchange.programmes.models import PartnerCluster, Programme

    clusters = Organisation.objects.bulk_create(
        Organisation(name=f"Cluster {i}", slug=f"cluster-{i}", org_type="cluster", country=COUNTRIES[i])
        for i in range(10)
    )
    batch = []
    for i in range(organisations - 10):
        name = f"{WORDS[i % 10].title()} {WORDS[(i // 10) % 10]} works {i}"
        batch.append(
            Organisation(
                name=name,
                slug=f"company-{i}",
                org_type="sme",
                country=COUNTRIES[i % 10],
                city="Town",
                website=f"https://www.company{i}.example/",
                website_domain=f"company{i}.example",
                vat_number=f"DE{100000000 + i}",
                search_document=f"{name.lower()} town",
            )
        )
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    members = Organisation.objects.bulk_create(batch) if batch else []
    first = Organisation.objects.get(slug="company-0")
    ClusterMembership.objects.bulk_create(
        ClusterMembership(cluster=clusters[i % 10], member_id=pk)
        for i, pk in enumerate(Organisation.objects.filter(org_type="sme").values_list("pk", flat=True))
    )
    del members
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    for cluster in clusters:
        PartnerCluster.objects.create(programme=programme, cluster=cluster)
    newcomer = User.objects.create_user(email="new@bench.example", password="x")  # noqa: S106 - bench
    manager = User.objects.create_user(email="manager@bench.example", password="x")  # noqa: S106
    Membership.objects.create(user=manager, organisation=clusters[0], role="manager")
    joining.ask_to_join(newcomer, first, "Hello")
    return {"newcomer": newcomer, "manager": manager, "cluster": clusters[0]}


def timed(runs: int, call) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(queries)


def measure(world: dict, runs: int, organisations: int):
    from django.test import Client

    from clusterxchange.joining import domain as joining

    last = organisations - 11
    newcomer, manager = Client(), Client()
    newcomer.force_login(world["newcomer"])
    manager.force_login(world["manager"])

    def page(client, url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    from django.db.models import Q

    from clusterxchange.directory.models import Organisation

    def naive(text):
        """Baseline: what a search box without the indexed lookups would do (a scan of every row)."""
        return lambda: list(
            Organisation.objects.filter(
                Q(name__icontains=text) | Q(website__icontains=text) | Q(vat_number__icontains=text)
            )[:20]
        )

    cases = [
        ("baseline: name, website or VAT icontains, a VAT number", naive(f"DE{100000000 + last}")),
        ("baseline: name, website or VAT icontains, a website", naive(f"company{last}.example")),
        ("find: two words of a name", lambda: list(joining.find_organisations(f"laser cloud works {last}"))),
        ("find: VAT number", lambda: list(joining.find_organisations(f"DE {100000000 + last}"))),
        ("find: website", lambda: list(joining.find_organisations(f"www.company{last}.example"))),
        (
            "duplicate check (similar names, domain)",
            lambda: joining.similar_organisations(
                f"Laser Cloud Works {last} GmbH", "DE", f"https://company{last}.example"
            ),
        ),
        ("page: find (newcomer)", page(newcomer, f"/welcome/find/?q=laser+cloud+works+{last}")),
        ("page: next steps (newcomer)", page(newcomer, "/welcome/")),
        ("page: requests to decide (manager)", page(manager, "/welcome/requests/")),
    ]
    return [(label, *timed(runs, call)) for label, call in cases]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    world = build(args.organisations)
    print(
        f"{args.organisations} organisations on {connection.vendor}, median of {args.runs} runs, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print("| operation | median ms | SQL queries |")
    print("|---|---|---|")
    for label, ms, queries in measure(world, args.runs, args.organisations):
        print(f"| {label} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main(sys.argv[1:])
