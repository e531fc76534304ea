"""Events at scale: a B2B session of 2,000 participants and 15,000 accepted requests.

    PYTHONPATH=src:. python -m benchmarks.events.scale [--participants 2000] [--meetings 15000]

Builds the event in a fresh SQLite database (in a temporary folder), then measures: building the
engine instance from the database, solving (the engine's public API), writing the placements
back, publishing, a participant's agenda page (p50/p95 over 50 participants), the organiser's
CSV export, and the same for the demo-sized session of 120 participants. Prints a Markdown table.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from datetime import time as clock

from benchmarks.django_setup import setup_django


def _setup() -> None:
    setup_django(
        "events",
        defaults={
            "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        },
    )
    from django.urls import reverse

    reverse("home")  # load the URL configuration once, outside the measurements


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def build_event(participants: int, meetings: int, seed: int, suffix: str):
    from django.utils.text import slugify

    from clusterxchange.accounts.models import Membership, User
    from clusterxchange.directory.models import Organisation
    from clusterxchange.events.domain import organising, timetable
    from clusterxchange.events.models import Meeting, MeetingRequest, Registration
    from clusterxchange.programmes.models import Programme, ProgrammeRole

    rng = random.Random(seed)
    programme, _ = Programme.objects.get_or_create(
        slug="bench",
        defaults={
            "name": "Bench",
            "acronym": "BENCH",
            "start_date": date(2020, 1, 1),
            "end_date": date(2040, 1, 1),
        },
    )
    organiser, _ = User.objects.get_or_create(email="organiser@bench.example")
    ProgrammeRole.objects.get_or_create(programme=programme, user=organiser)
    cluster = Organisation.objects.create(
        name=f"Bench cluster {suffix}", slug=f"bench-cluster-{suffix}", org_type="cluster", country="DE"
    )
    event = organising.create_event(
        organiser,
        programme,
        {
            "kind": "b2b",
            "title": f"Bench {suffix}",
            "host_cluster": cluster,
            "city": "Dresden",
            "country": "DE",
            "start_date": date(2035, 6, 20),
            "end_date": date(2035, 6, 21),
            "time_zone": "Europe/Berlin",
            "published": True,
            "meeting_cap": 30,
        },
    )
    for day in (date(2035, 6, 20), date(2035, 6, 21)):
        for name, start, end in (("Morning", clock(9), clock(13)), ("Afternoon", clock(14), clock(18))):
            timetable.add_session(
                organiser,
                event,
                {"name": name, "date": day, "start_time": start, "end_time": end, "slot_minutes": 30},
            )
    slots = 32
    timetable.set_table_count(organiser, event, max(2, int(meetings / slots * 1.25) + 1))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Company {suffix} {i}",
                slug=slugify(f"company-{suffix}-{i}"),
                org_type="sme",
                country=rng.choice(["DE", "FR", "ES", "PL", "LT", "BG"]),
            )
            for i in range(participants)
        ]
    )
    registrations = Registration.objects.bulk_create(
        [
            Registration(event=event, organisation=org, status="validated", profile="bench")
            for org in organisations
        ]
    )
    users = User.objects.bulk_create([User(email=f"p{i}-{suffix}@bench.example") for i in range(50)])
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=organisations[i]) for i, u in enumerate(users)]
    )
    for i, user in enumerate(users):
        Registration.objects.filter(pk=registrations[i].pk).update(user=user)
    pairs: set[tuple[int, int]] = set()
    load = [0] * participants
    while len(pairs) < meetings:
        a, b = rng.randrange(participants), rng.randrange(participants)
        if a == b or load[a] >= 24 or load[b] >= 24:
            continue
        pair = (min(a, b), max(a, b))
        if pair in pairs:
            continue
        pairs.add(pair)
        load[a] += 1
        load[b] += 1
    requests = MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                event=event, requester=registrations[a], recipient=registrations[b], status="accepted"
            )
            for a, b in pairs
        ],
        batch_size=2000,
    )
    Meeting.objects.bulk_create(
        [
            Meeting(event=event, request=r, first_id=r.requester_id, second_id=r.recipient_id)
            for r in requests
        ],
        batch_size=2000,
    )
    return event, organiser, users


def measure(participants: int, meetings: int, seed: int, suffix: str) -> dict:
    from django.test import Client
    from django.urls import reverse

    from clusterxchange.events import scheduling
    from clusterxchange.events.domain import timetable

    (event, organiser, users), setup = _timed(build_event, participants, meetings, seed, suffix)
    figures = {"setup": setup}
    built, figures["build instance"] = _timed(scheduling.build_instance, event)
    try:
        schedule, figures["solve"] = _timed(scheduling.solve, built)
    except (AttributeError, ImportError) as exc:
        figures["solve"] = f"engine not available ({exc})"
        return figures
    (placed, _moved), figures["write placements"] = _timed(
        scheduling.apply_schedule, event, built, schedule.placements
    )
    figures["placed"] = f"{placed} of {len(built.instance.meetings)}"
    _, figures["publish"] = _timed(timetable.publish_agenda, organiser, event, True)
    client = Client()
    times = []
    for user in users:
        client.force_login(user)
        started = time.perf_counter()
        response = client.get(reverse("events:agenda", args=[event.slug]))
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    figures["agenda page p50 / p95"] = (
        f"{statistics.median(times) * 1000:.0f} / {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms"
    )
    client.force_login(organiser)
    _, figures["CSV export of all meetings"] = _timed(
        client.get, reverse("events:grid", args=[event.slug]) + "?export=csv"
    )
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    _setup()
    small = measure(120, 230, args.seed, "demo")
    large = measure(args.participants, args.meetings, args.seed, "large")
    print(
        f"| measure | 120 participants, 230 meetings | {args.participants:,} participants, {args.meetings:,} meetings |"
    )
    print("|---|---|---|")
    for key in large:

        def show(value):
            return f"{value:.2f} s" if isinstance(value, float) else str(value)

        print(f"| {key} | {show(small.get(key, ''))} | {show(large[key])} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
