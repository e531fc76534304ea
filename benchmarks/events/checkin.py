"""Check-in at 2,000 participants: how long staff wait for an answer (target: under 100 ms).

    PYTHONPATH=src:. python -m benchmarks.events.checkin [--participants 2000] [--samples 200]

Builds a B2B event with that many validated participants (a person, an organisation each) in a
fresh SQLite database, then measures, over `samples` different participants, p50 / p95 / max of:
- a badge scan: the check-in page's POST of a badge code, answered for htmx (signature checked,
  registration read by the id in the code, arrival written, result and counts rendered);
- a check-in found by name: the POST of the "Check in" button;
- a search by name: the page's htmx GET of the results for a last name;
- the live counts (htmx refresh);
and beside them, the naive ways: finding a badge's holder by signing every registration's code
until one matches (a code without the registration's id), and searching by loading every
participant and comparing names in Python. Prints a Markdown table.
"""

import argparse
import logging
import random
import sys
import time
from datetime import date

from benchmarks.django_setup import measure, setup_django

FIRST = ["Anna", "Ben", "Clara", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Katja", "Luca"]
LAST = ["Müller", "Schmidt", "Dubois", "Martin", "García", "Rossi", "Novak", "Kowalski", "Jensen", "Silva"]
LAST += ["Costa", "Weber", "Moreau", "Laurent", "Bianchi", "Horvat", "Nagy", "Popescu", "Virtanen", "Walsh"]


def _setup() -> None:
    setup_django(
        "checkin",
        quiet=logging.WARNING,
        defaults={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    )


def build(participants: int, seed: int = 7):
    from django.utils.text import slugify

    from clusterxchange.accounts.models import User
    from clusterxchange.directory.models import Organisation, Person
    from clusterxchange.events.domain import organising
    from clusterxchange.events.models import Registration
    from clusterxchange.programmes.models import Programme, ProgrammeRole

    rng = random.Random(seed)
    programme = Programme.objects.create(
        slug="bench", name="Bench", acronym="BENCH", start_date=date(2020, 1, 1), end_date=date(2040, 1, 1)
    )
    organiser = User.objects.create_user(email="organiser@bench.example", password="x" * 20)
    ProgrammeRole.objects.create(programme=programme, user=organiser)
    cluster = Organisation.objects.create(
        name="Bench cluster", slug="bench-cluster", org_type="cluster", country="DE"
    )
    today = date.today()
    event = organising.create_event(
        organiser,
        programme,
        {
            "kind": "b2b",
            "title": "Bench check-in day",
            "host_cluster": cluster,
            "city": "Dresden",
            "country": "DE",
            "start_date": today,
            "end_date": today,
            "time_zone": "Europe/Berlin",
            "published": True,
            "validation": "automatic",
        },
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Company {n:04d} GmbH", slug=slugify(f"company-{n:04d}"), org_type="sme", country="DE"
            )
            for n in range(participants)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(first_name=rng.choice(FIRST), last_name=f"{rng.choice(LAST)}-{n:04d}", organisation=org)
            for n, org in enumerate(organisations)
        ]
    )
    registrations = Registration.objects.bulk_create(
        [
            Registration(event=event, organisation=org, person=person, status="validated")
            for org, person in zip(organisations, people, strict=True)
        ]
    )
    return event, organiser, registrations


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args(argv)
    _setup()
    from django.core import signing
    from django.test import Client
    from django.urls import reverse

    from clusterxchange.events import badges
    from clusterxchange.events.models import Registration

    started = time.perf_counter()
    event, organiser, registrations = build(args.participants)
    built = time.perf_counter() - started
    rng = random.Random(11)
    sample = rng.sample(registrations, k=min(args.samples * 2, len(registrations)))
    scanned, clicked = sample[: len(sample) // 2], sample[len(sample) // 2 :]
    codes = {r.pk: badges.badge_token(r) for r in scanned}
    client = Client()
    client.force_login(organiser)
    htmx = {"HTTP_HX_REQUEST": "true"}
    page = reverse("events:checkin", args=[event.slug])
    client.get(page)  # warm the templates and the URL configuration

    def scan(registration):
        response = client.post(
            reverse("events:checkin_code", args=[event.slug]), {"code": codes[registration.pk]}, **htmx
        )
        assert b'data-outcome="done"' in response.content, response.content[:300]

    def click(registration):
        response = client.post(reverse("events:checkin_person", args=[event.slug, registration.pk]), **htmx)
        assert b'data-outcome="done"' in response.content, response.content[:300]

    last_names = [r.person.last_name for r in rng.sample(registrations, k=args.samples)]

    def search(name):
        response = client.get(page, {"q": name}, HTTP_HX_TARGET="checkin-found", **htmx)
        assert name.encode() in response.content

    def counts(_):
        client.get(reverse("events:checkin_counts", args=[event.slug]), **htmx)

    # The naive ways, for comparison (read-only: they find, they do not write).
    def naive_scan(registration):
        code = codes[registration.pk].split(".", 1)[1]  # as if the code held no usable id
        signer = signing.Signer(salt=f"clusterxchange.events.badge.{event.pk}")
        for candidate in Registration.objects.filter(event=event).only("pk", "event_id"):
            if signer.sign(f"{event.pk}.{candidate.pk}").split(".", 1)[1] == code:
                return candidate
        raise AssertionError("not found")

    def naive_search(name):
        wanted = name.lower()
        found = [
            r
            for r in Registration.objects.filter(event=event).select_related("person", "organisation")
            if wanted in f"{r.person.first_name} {r.person.last_name} {r.organisation.name}".lower()
        ]
        assert found

    rows = [
        ("badge scan (page POST, htmx answer)", measure(scan, scanned)),
        (
            "badge holder, naive: sign every registration's code until one matches",
            measure(naive_scan, scanned[:20]),
        ),
        ("check-in found by name (page POST)", measure(click, clicked)),
        ("search by last name (page, htmx results)", measure(search, last_names)),
        ("search, naive: load every participant, compare in Python", measure(naive_search, last_names[:50])),
        ("live counts (htmx refresh)", measure(counts, range(args.samples))),
    ]
    checked = Registration.objects.filter(event=event, checked_in_at__isnull=False).count()
    print(
        f"\n{args.participants} participants (built in {built:.1f} s); {checked} checked in during the run\n"
    )
    print("| operation | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, (p50, p95, worst) in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
