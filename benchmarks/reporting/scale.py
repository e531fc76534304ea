"""Reporting at scale: dashboard and progress report of a programme with 10,000 exchanges and
50,000 B2B meetings.

    PYTHONPATH=src:. python -m benchmarks.reporting.scale [--exchanges 10000] [--meetings 50000] [--runs 5]

Builds the programme with bulk_create in a fresh SQLite database (a temporary folder; set
DATABASE_URL for PostgreSQL), then renders through the real views as the coordinator and as a
partner manager: the dashboard (whole programme, one period, one partner), a drill-down page,
a table export, the progress report page and its PDF. Prints the median time and the number of SQL
queries per page, side by side with a programme 100 times smaller built in the same run: the
same number of queries at both sizes means no query per record (no N+1).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from benchmarks.django_setup import setup_django


def _setup() -> None:
    setup_django("reporting")
    from django.urls import reverse

    reverse("home")


COUNTRIES = [
    "DE",
    "FR",
    "ES",
    "PL",
    "LT",
    "BG",
    "IT",
    "AT",
    "NL",
    "BE",
    "PT",
    "CZ",
    "SK",
    "HU",
    "RO",
    "SE",
    "FI",
    "DK",
    "IE",
    "GR",
]
PARTNER_COUNTRIES = ["DE", "FR", "ES", "PL", "LT", "BG"]
START, END = date(2022, 2, 1), date(2024, 7, 31)


def build(slug: str, exchanges: int, meetings: int, seed: int = 7):
    """A programme with `exchanges` exchanges and `meetings` B2B meetings (bulk_create throughout)."""
    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.core.models import Ecosystem
    from clusterxchange.directory.models import Organisation
    from clusterxchange.events.models import (
        Event,
        Meeting,
        MeetingFeedback,
        MeetingRequest,
        Registration,
        Session,
        Slot,
    )
    from clusterxchange.exchanges.models import Exchange
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole, ReportingPeriod
    from clusterxchange.reporting.demo import ensure_kpis

    rng = random.Random(seed)
    programme = Programme.objects.create(
        name=f"Bench {slug}", acronym=slug.upper(), slug=slug, start_date=START, end_date=END
    )
    clusters = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{slug} cluster {c}", slug=f"{slug}-cluster-{c.lower()}", country=c, org_type="cluster"
            )
            for c in PARTNER_COUNTRIES
        ]
    )
    partners = PartnerCluster.objects.bulk_create(
        [
            PartnerCluster(programme=programme, cluster=cluster, is_coordinator=i == 0)
            for i, cluster in enumerate(clusters)
        ]
    )
    periods = [
        ("P1", date(2022, 2, 1), date(2022, 9, 30)),
        ("P2", date(2022, 10, 1), date(2023, 3, 31)),
        ("P3", date(2023, 4, 1), date(2023, 9, 30)),
        ("P4", date(2023, 10, 1), date(2024, 7, 31)),
    ]
    ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(programme=programme, name=n, start_date=s, end_date=e) for n, s, e in periods]
    )
    ensure_kpis(programme)
    n_orgs = max(60, exchanges // 3)
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{slug} org {i}",
                slug=f"{slug}-org-{i}",
                country=rng.choice(COUNTRIES),
                org_type=rng.choice(["sme", "sme", "sme", "scaling_up", "research", "large_company"]),
                is_sme=rng.random() < 0.6,
            )
            for i in range(n_orgs)
        ],
        batch_size=2000,
    )
    ecosystems = list(Ecosystem.objects.all())
    through = Organisation.ecosystems.through
    through.objects.bulk_create(
        [through(organisation_id=org.pk, ecosystem_id=rng.choice(ecosystems).pk) for org in orgs],
        batch_size=5000,
    )
    days = (END - START).days
    states = [
        "validated",
        "matched",
        "agreement_signed",
        "in_progress",
        "report_submitted",
        "paid",
        "certified",
        "declined",
        "draft",
    ]
    rows = []
    for _ in range(exchanges):
        start = START + timedelta(days=rng.randrange(days))
        visitor, host = rng.sample(orgs, 2)
        rows.append(
            Exchange(
                programme=programme,
                state=rng.choice(states),
                visitor_organisation=visitor,
                visitor_partner=rng.choice(partners),
                host_organisation=host,
                host_partner=rng.choice(partners),
                motivation="bench",
                start_date=start,
                end_date=start + timedelta(days=4),
            )
        )
    Exchange.objects.bulk_create(rows, batch_size=2000)

    coordinator = User.objects.create_user(email=f"coordinator@{slug}.example", password="bench-password-1")  # noqa: S106 - a throwaway database
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    manager = User.objects.create_user(email=f"manager@{slug}.example", password="bench-password-1")  # noqa: S106 - a throwaway database
    Membership.objects.create(user=manager, organisation=clusters[1], role="manager")

    events = 20
    per_event = max(1, meetings // events)
    participants = max(10, min(400, per_event // 10))
    for index in range(events):
        end = START + timedelta(days=rng.randrange(days))
        event = Event.objects.create(
            programme=programme,
            kind="b2b",
            title=f"{slug} B2B {index}",
            slug=f"{slug}-b2b-{index}",
            host_cluster=rng.choice(clusters),
            city="City",
            country=rng.choice(COUNTRIES),
            start_date=end,
            end_date=end,
            published=True,
        )
        session = Session.objects.create(
            event=event, name="Day", date=end, start_time="09:00", end_time="18:00"
        )
        slots = Slot.objects.bulk_create(
            [
                Slot(
                    session=session,
                    starts_at=datetime(end.year, end.month, end.day, 9, tzinfo=UTC)
                    + timedelta(minutes=30 * s),
                    ends_at=datetime(end.year, end.month, end.day, 9, 30, tzinfo=UTC)
                    + timedelta(minutes=30 * s),
                )
                for s in range(18)
            ]
        )
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    organisation=rng.choice(orgs),
                    partner=rng.choice(partners),
                    status="validated",
                    role=rng.choice(["delegate", "local"]),
                )
                for _ in range(participants)
            ]
        )
        chosen: set[tuple[int, int]] = set()  # a request per ordered pair at most
        pairs = []
        while len(pairs) < per_event:
            first, second = rng.sample(range(len(registrations)), 2)
            if (first, second) not in chosen:
                chosen.add((first, second))
                pairs.append((registrations[first], registrations[second]))
        requests = MeetingRequest.objects.bulk_create(
            [MeetingRequest(event=event, requester=a, recipient=b, status="accepted") for a, b in pairs],
            batch_size=2000,
        )
        created = Meeting.objects.bulk_create(
            [
                Meeting(
                    event=event,
                    request=request,
                    first=a,
                    second=b,
                    slot=(slot := rng.choice(slots)),
                    published_slot=slot,
                )
                for request, (a, b) in zip(requests, pairs, strict=True)
            ],
            batch_size=2000,
        )
        MeetingFeedback.objects.bulk_create(
            [
                MeetingFeedback(meeting=m, registration=m.first, took_place=rng.random() < 0.8)
                for m in created
                if rng.random() < 0.7
            ],
            batch_size=2000,
        )
    for index, kind in enumerate(["mission"] * 8 + ["study_visit"] * 3):
        end = START + timedelta(days=rng.randrange(days + 200))
        Event.objects.create(
            programme=programme,
            kind=kind,
            title=f"{slug} {kind} {index}",
            slug=f"{slug}-{kind}-{index}",
            host_cluster=rng.choice(clusters),
            city="City",
            country=rng.choice(COUNTRIES),
            start_date=end - timedelta(days=2),
            end_date=end,
            published=True,
        )
    return programme, coordinator, manager, partners[1]


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    queries = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries = len(captured)
        status = response.status_code
    assert status == 200, (url, status)
    return statistics.median(times), statistics.median(cpu), queries


def pages(programme, partner) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    slug = programme.slug
    period = programme.periods.get(name="P3").pk
    return [
        ("coordinator", "dashboard, whole programme", reverse("reporting:dashboard", args=[slug])),
        (
            "coordinator",
            "dashboard, one period",
            reverse("reporting:dashboard", args=[slug]) + f"?period={period}",
        ),
        (
            "manager",
            "dashboard, partner manager",
            reverse("reporting:dashboard", args=[slug]) + f"?partner={partner.pk}",
        ),
        (
            "coordinator",
            "drill-down: exchanges of a period (page)",
            reverse("reporting:records", args=[slug, "exchanges"]) + f"?period={period}",
        ),
        (
            "coordinator",
            "export: KPIs by partner (XLSX)",
            reverse("reporting:export_table", args=[slug, "partners", "xlsx"]),
        ),
        (
            "coordinator",
            "progress report, one period (HTML)",
            reverse("reporting:report", args=[slug]) + f"?period={period}",
        ),
        (
            "coordinator",
            "progress report, one period (PDF)",
            reverse("reporting:report_pdf", args=[slug]) + f"?period={period}",
        ),
        ("coordinator", "API: KPI values per period", f"/api/reporting/{slug}/kpis/periods"),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    _setup()
    from django.test import Client

    from clusterxchange.events.models import Meeting
    from clusterxchange.exchanges.models import Exchange

    sizes = {}
    for slug, exchanges, meetings in (
        ("small", args.exchanges // 100, args.meetings // 100),
        ("large", args.exchanges, args.meetings),
    ):
        started = time.perf_counter()
        programme, coordinator, manager, partner = build(slug, exchanges, meetings)
        built = time.perf_counter() - started
        print(
            f"built {slug}: {Exchange.objects.filter(programme=programme).count()} exchanges, "
            f"{Meeting.objects.filter(event__programme=programme).count()} meetings in {built:.1f} s",
            file=sys.stderr,
        )
        clients = {"coordinator": Client(), "manager": Client()}
        clients["coordinator"].force_login(coordinator)
        clients["manager"].force_login(manager)
        results = []
        for role, label, url in pages(programme, partner):
            clients[role].get(url)  # warm-up (map shapes, templates)
            results.append((label, *measure(clients[role], url, args.runs)))
        sizes[slug] = results

    small, large = (
        f"{args.exchanges // 100:,} / {args.meetings // 100:,}",
        f"{args.exchanges:,} / {args.meetings:,}",
    )
    print(f"| page | {small}: wall | CPU | queries | {large}: wall | CPU | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (label, s_wall, s_cpu, s_q), (_l, l_wall, l_cpu, l_q) in zip(
        sizes["small"], sizes["large"], strict=True
    ):
        print(
            f"| {label} | {s_wall * 1000:.0f} ms | {s_cpu * 1000:.0f} ms | {s_q} "
            f"| {l_wall * 1000:.0f} ms | {l_cpu * 1000:.0f} ms | {l_q} |"
        )
    print(
        f"\nexchanges / B2B meetings; median of {args.runs} runs after one warm-up; CPU = time.process_time() "
        f"of the rendering process (SQLite runs in it); load: {os.getloadavg()[0]:.1f} (1-min average)"
    )


if __name__ == "__main__":
    main()
