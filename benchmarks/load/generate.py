"""The load test's data set: 100,000 organisations, 10,000 exchanges, a scheduled 2,000-participant
B2B event, and the logins the locust users take (sessions, an API token).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cx_load SECRET_KEY=… \
    PYTHONPATH=src:. python -m benchmarks.load.generate [--organisations 100000] [--exchanges 10000]

Written with bulk_create (organisation texts from benchmarks/matching's generator, the event from
benchmarks/events' generator, scheduled with the real scheduler and published). Idempotent: a
second run only writes fresh sessions into `$CLUSTERXCHANGE_DATA_DIR/load-users.json`.
"""

import argparse
import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

COUNTRIES = ["DE", "FR", "ES", "PL", "LT", "BG", "IT", "AT", "NL", "BE", "PT", "CZ", "SE", "FI"]
TYPES = {"sme", "scaling_up", "large_company", "research", "public_authority", "training_provider"}
CITIES = ["Dresden", "Nice", "Bilbao", "Warsaw", "Vilnius", "Sofia", "Munich", "Lyon", "Porto", "Graz"]
PARTNERS = [
    ("Silicon Saxony", "DE"),
    ("Pole SCS", "FR"),
    ("GAIA", "ES"),
    ("Mazovia Cluster ICT", "PL"),
    ("Business Hive Vilnius", "LT"),
    ("Cluster DTI", "BG"),
]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterxchange.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)


def organisations(count: int, seed: int) -> list:
    from benchmarks.matching.generate import generate
    from django.utils.text import slugify

    from clusterxchange.directory.models import Organisation
    from clusterxchange.directory.sme import is_sme

    rng = random.Random(seed)
    profiles, _pairs = generate(count, seed, with_pairs=False)
    seen: set[tuple[str, str]] = set()
    rows = []
    for number, profile in enumerate(profiles):
        country = profile["country"] if profile["country"] in COUNTRIES else rng.choice(COUNTRIES)
        name = profile["name"]
        if (name.lower(), country) in seen:
            name = f"{name} {number}"
        seen.add((name.lower(), country))
        city = rng.choice(CITIES)
        keywords = ", ".join(profile["keywords"])
        staff = rng.choice([4, 12, 40, 120, 300, 1200])
        organisation = Organisation(
            name=name,
            slug=slugify(f"{name}-{country}-{number}")[:220],
            org_type=profile["type"] if profile["type"] in TYPES else "sme",
            country=country,
            city=city,
            description=profile["description"],
            keywords=keywords,
            staff_count=staff,
            is_sme=is_sme(staff, None, None),
        )
        organisation.search_document = " ".join(
            part for part in (name, city, keywords, profile["description"]) if part
        ).lower()
        rows.append(organisation)
    return Organisation.objects.bulk_create(rows, batch_size=2000)


def build(organisation_count: int, exchange_count: int, participants: int, meetings: int, seed: int) -> dict:
    from benchmarks.events.scale import build_event
    from django.db import transaction

    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.events import scheduling
    from clusterxchange.events.domain import timetable
    from clusterxchange.exchanges.models import Exchange
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

    rng = random.Random(seed)
    figures = {}
    started = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Load programme",
            acronym="LOAD",
            slug="load",
            start_date=date(2024, 1, 1),
            end_date=date(2030, 1, 1),
        )
        clusters = [
            Organisation.objects.create(
                name=name, slug=f"load-{country.lower()}", org_type="cluster", country=country
            )
            for name, country in PARTNERS
        ]
        partners = [
            PartnerCluster.objects.create(programme=programme, cluster=cluster, is_coordinator=i == 0)
            for i, cluster in enumerate(clusters)
        ]
        coordinator = User.objects.create_user(email="coordinator@load.example", password=None)
        ProgrammeRole.objects.create(programme=programme, user=coordinator)
        for i, cluster in enumerate(clusters):
            manager = User.objects.create_user(email=f"manager{i}@load.example", password=None)
            Membership.objects.create(user=manager, organisation=cluster, role="manager")
        members = organisations(organisation_count, seed)
        partner_of = {}
        memberships = []
        for organisation in members:
            index = rng.randrange(len(clusters))
            partner_of[organisation.pk] = partners[index]
            memberships.append(ClusterMembership(cluster=clusters[index], member=organisation))
        ClusterMembership.objects.bulk_create(memberships, batch_size=5000)
        figures["organisations"] = time.perf_counter() - started

        states = ["submitted", "validated", "matched", "agreement_signed", "in_progress", "paid", "certified"]
        exchanges = []
        for _ in range(exchange_count):
            visitor, host = rng.sample(members, 2)
            start = date(2025, 1, 6) + timedelta(days=rng.randrange(600))
            exchanges.append(
                Exchange(
                    programme=programme,
                    state=rng.choice(states),
                    visitor_organisation=visitor,
                    visitor_partner=partner_of[visitor.pk],
                    host_organisation=host,
                    host_partner=partner_of[host.pk],
                    motivation="Learn how the host runs its pilot line and meet its customers.",
                    start_date=start,
                    end_date=start + timedelta(days=rng.choice([3, 4, 5, 8, 12])),
                )
            )
        Exchange.objects.bulk_create(exchanges, batch_size=2000)
        figures["exchanges"] = time.perf_counter() - started - figures["organisations"]

    mark = time.perf_counter()
    event, organiser, _users = build_event(participants, meetings, seed, "load")
    built = scheduling.build_instance(event)
    schedule = scheduling.solve(built)
    placed, _moved = scheduling.apply_schedule(event, built, schedule.placements)
    timetable.publish_agenda(organiser, event, True)
    figures["event"] = time.perf_counter() - mark
    figures["placed"] = f"{placed} of {len(built.instance.meetings)}"
    return figures


def sessions(data_dir: Path) -> Path:
    """A logged-in session per locust user (no login form: allauth's rate limits would refuse 50
    logins a minute from one address), and an API token."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from clusterxchange.accounts.models import ApiToken, User
    from clusterxchange.directory.models import Organisation
    from clusterxchange.events.models import Event, Registration

    def session_of(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(7 * 24 * 3600)
        store.create()
        return store.session_key

    event = Event.objects.get(slug__startswith="bench-load")
    participants = [
        r.user for r in Registration.objects.filter(event=event, user__isnull=False).select_related("user")
    ]
    managers = list(User.objects.filter(email__startswith="manager", email__endswith="@load.example"))
    _token, token = ApiToken.issue(participants[0], "load test")
    slugs = list(
        Organisation.objects.exclude(org_type="cluster").order_by("?").values_list("slug", flat=True)[:2000]
    )
    users = {
        "event": event.slug,
        "events": list(Event.objects.values_list("slug", flat=True)),
        "participants": [session_of(user) for user in participants],
        "managers": [session_of(user) for user in managers],
        "token": token,
        "organisations": slugs,
    }
    path = data_dir / "load-users.json"
    path.write_text(json.dumps(users))
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    setup()
    from django.conf import settings

    from clusterxchange.programmes.models import Programme

    if not Programme.objects.filter(slug="load").exists():
        figures = build(args.organisations, args.exchanges, args.participants, args.meetings, args.seed)
        for name, value in figures.items():
            print(f"{name:<14} {value:.1f} s" if isinstance(value, float) else f"{name:<14} {value}")
    else:
        print("The load data set exists; writing fresh sessions only.")
    print("users:", sessions(Path(settings.DATA_DIR)))
    analyze()


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum does on a live database some time after a
    bulk load. Without them PostgreSQL guessed 4 rows for a search that matches 8,819 and sorted
    them all instead of walking the name index (35 ms instead of 0.5 ms per search page)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
