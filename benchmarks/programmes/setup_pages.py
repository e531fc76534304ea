"""The programme set-up pages with a large directory: time, SQL queries and page size, with a naive
partner choice (a <select> of every organisation) side by side as the baseline.

    PYTHONPATH=src:. python -m benchmarks.programmes.setup_pages [--organisations 100000] [--runs 15]

Builds `--organisations` organisations (one in fifty a cluster organisation; bulk_create) in a fresh
SQLite database (a temporary folder; set DATABASE_URL for PostgreSQL), a programme with two partners,
ten eligible countries with their lump sums, reporting periods and KPI targets, and its coordinator
(no staff status). Then requests through the real URLs as the coordinator: the step overview, the
partners step (plain, and with a search typed, with and without JavaScript), the cluster search that
htmx calls, the grant rules step (with the preview of the saved rules) and the live preview (POST).
The baseline renders what a naive form would: a ModelChoiceField of all organisations as a <select>.
Target: each set-up page under 200 ms.
"""

import argparse
import os
import statistics
import sys
import time

from benchmarks.django_setup import setup_django


def _setup() -> None:
    setup_django("setup")


COUNTRIES = ["DE", "FR", "ES", "PL", "LT", "BG", "IT", "AT", "NL", "BE"]
WORDS = [
    "Alpha",
    "Nordic",
    "Baltic",
    "Danube",
    "Alpine",
    "Atlantic",
    "Rhine",
    "Iberian",
    "Adriatic",
    "Carpathian",
]


def build(organisations: int):
    """The directory, the programme and its coordinator."""
    from decimal import Decimal

    from clusterxchange.accounts.models import User
    from clusterxchange.directory.models import Organisation
    from clusterxchange.programmes.models import (
        CountryCap,
        EligibleCountry,
        GrantRuleSet,
        KpiTarget,
        PartnerCluster,
        Programme,
        ProgrammeRole,
        ReportingPeriod,
    )

    batch = []
    for i in range(organisations):
        cluster = i % 50 == 0
        name = f"{WORDS[(i // 50 if cluster else i) % 10]} {'Cluster' if cluster else 'Company'} {i}"
        batch.append(
            Organisation(
                name=name,
                slug=f"org-{i}",
                org_type="cluster" if cluster else "sme",
                country=COUNTRIES[i % 10],
                city="City",
            )
        )
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    programme = Programme.objects.create(
        name="Bench", slug="bench", acronym="BENCH", start_date="2026-01-01", end_date="2027-12-31"
    )
    clusters = list(Organisation.objects.filter(org_type="cluster").order_by("pk")[:2])
    PartnerCluster.objects.create(programme=programme, cluster=clusters[0], is_coordinator=True)
    PartnerCluster.objects.create(programme=programme, cluster=clusters[1])
    rules = GrantRuleSet.objects.create(programme=programme)
    for code in COUNTRIES:
        EligibleCountry.objects.create(programme=programme, country=code)
        CountryCap.objects.create(rules=rules, country=code, amount_eur=Decimal(1000))
    for n in range(4):
        ReportingPeriod.objects.create(
            programme=programme,
            name=f"P{n + 1}",
            start_date=f"{2026 + n // 2}-{1 + 6 * (n % 2):02d}-01",
            end_date=f"{2026 + n // 2}-{6 + 6 * (n % 2):02d}-{30 if n % 2 == 0 else 31}",
        )
    KpiTarget.objects.create(programme=programme, code="exchanges", name="Exchanges", target=100)
    coordinator = User.objects.create_user(email="coordinator@bench.example", password="x")  # noqa: S106 - bench
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    return programme, coordinator


def measure(runs: int, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm up (templates, caches)
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            size = call()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries, size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    _setup()
    from django import forms
    from django.test import Client
    from django.urls import reverse

    from clusterxchange.directory.models import Organisation

    started = time.perf_counter()
    programme, coordinator = build(args.organisations)
    print(f"Built {Organisation.objects.count():,} organisations in {time.perf_counter() - started:.0f} s")
    client = Client()
    client.force_login(coordinator)
    slug = programme.slug

    def get(name, query=""):
        url = reverse(f"programmes:{name}", kwargs={"slug": slug}) + query

        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        return call

    preview_data = {
        "min_working_days": "3",
        "max_stay_months": "1",
        "full_rate_min_working_days": "5",
        "full_rate_min_distance_km": "200",
        "halving_factor": "0.5",
        "visit_once": "on",
        **{f"cap_{code}": "1100" for code in COUNTRIES},
        "example-visitor_country": "FR",
        "example-host_country": "DE",
        "example-start": "2026-06-15",
        "example-end": "2026-06-19",
        "example-distance_km": "600",
    }

    def preview():
        response = client.post(reverse("programmes:rules_preview", kwargs={"slug": slug}), preview_data)
        assert response.status_code == 200 and b"data-grant" in response.content
        return len(response.content)

    class NaivePartnerForm(forms.Form):
        cluster = forms.ModelChoiceField(queryset=Organisation.objects.all())

    def naive_select():
        return len(str(NaivePartnerForm()["cluster"]))

    class NaiveClusterForm(forms.Form):
        cluster = forms.ModelChoiceField(queryset=Organisation.objects.filter(org_type="cluster"))

    def naive_cluster_select():
        return len(str(NaiveClusterForm()["cluster"]))

    rows = [
        ("step overview", get("overview")),
        ("partners step", get("partners")),
        ("partners step, search typed (no JavaScript)", get("partners", "?q=nordic")),
        ("cluster search (htmx), 'nordic'", get("cluster_search", "?q=nordic")),
        ("cluster search (htmx), 'cluster 45'", get("cluster_search", "?q=cluster+45")),
        ("grant rules step with preview", get("rules")),
        ("live preview (POST)", preview),
        ("baseline: <select> of every organisation", naive_select),
        ("baseline: <select> of every cluster", naive_cluster_select),
    ]
    print(f"\n{args.organisations:,} organisations, median of {args.runs} runs, coordinator\n")
    print(f"| {'request':<46} | median ms | SQL queries | size kB |")
    print(f"|{'-' * 48}|-----------|-------------|---------|")
    for label, call in rows:
        # The naive <select> of 100,000 options takes seconds: measured twice, not --runs times.
        runs = 2 if label.startswith("baseline") else args.runs
        median, queries, size = measure(runs, call)
        print(f"| {label:<46} | {median:9.1f} | {queries:11d} | {size / 1024:7.1f} |")
    print(f"\nload average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
