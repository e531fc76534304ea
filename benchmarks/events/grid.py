"""The organiser's meeting grid at 2,000 participants: how long the page takes (target: under 1 s).

    PYTHONPATH=src:. python -m benchmarks.events.grid [--participants 2000] [--samples 10]
        [--meetings-per-participant 2.5]

Builds a B2B event in a fresh SQLite database: `participants` validated participants, one table per
ten of them, two days of 14 slots, and about 2.5 meetings per participant placed on the grid (the
scheduler's output written directly, as `apply_schedule` does). Then measures through Django's test
client with the organiser's session, `samples` times each, p50 / p95 / max of:
- the grid page as served: one day, one page of 40 tables (`events.agendas.grid`);
- the same page in select-to-move mode (the free cells where the chosen meeting may go);
- moving a meeting (the POST of "Move here", its refusals checked, then the redirect's page);
- the page on the day, every slot begun: each meeting has its attendance form (held / no-show), as the
  organisers and the event staff see it;
and beside them the baseline: one day with every table on one page (what the grid rendered before
it was paged). Prints a Markdown table.
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta

from benchmarks.django_setup import measure
from benchmarks.events.checkin import _setup, build

SLOTS_PER_DAY = 14
MEETINGS_PER_PARTICIPANT = 2.5


def place_meetings(
    event, registrations, seed: int = 3, per_participant: float = MEETINGS_PER_PARTICIPANT
) -> int:
    """Meetings between random pairs, each placed where both parties and the table are free."""
    from clusterxchange.events.models import Meeting, MeetingRequest, Session, Slot

    organiser_tz = event.tz
    for day in (event.start_date, event.start_date + timedelta(days=1)):
        start = datetime.combine(day, datetime.min.time()).replace(hour=9)
        end = start + timedelta(minutes=30 * SLOTS_PER_DAY)
        Session.objects.create(
            event=event,
            name=f"Day {day}",
            date=day,
            start_time=start.time(),
            end_time=end.time(),
            slot_minutes=30,
        )
    for session in event.sessions.all():
        for number in range(SLOTS_PER_DAY):
            starts = datetime.combine(session.date, session.start_time, tzinfo=organiser_tz) + timedelta(
                minutes=30 * number
            )
            Slot.objects.create(session=session, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    slots = list(Slot.objects.filter(session__event=event).order_by("starts_at"))
    tables = list(event.tables.order_by("number"))
    rng = random.Random(seed)
    busy: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()
    met: set[frozenset] = set()
    pairs: list[tuple] = []
    wanted = int(len(registrations) * per_participant / 2)
    while len(pairs) < wanted:
        first, second = rng.sample(registrations, 2)
        slot = rng.choice(slots)
        table = rng.choice(tables)
        pair = frozenset((first.pk, second.pk))
        if (
            pair in met
            or (first.pk, slot.pk) in busy
            or (second.pk, slot.pk) in busy
            or (slot.pk, table.pk) in taken
        ):
            continue
        met.add(pair)
        busy |= {(first.pk, slot.pk), (second.pk, slot.pk)}
        taken.add((slot.pk, table.pk))
        pairs.append((first, second, slot, table))
    requests = MeetingRequest.objects.bulk_create(
        [MeetingRequest(event=event, requester=a, recipient=b, status="accepted") for a, b, _s, _t in pairs]
    )
    Meeting.objects.bulk_create(
        [
            Meeting(event=event, request=request, first=a, second=b, slot=slot, table=table)
            for request, (a, b, slot, table) in zip(requests, pairs, strict=True)
        ],
        batch_size=1000,
    )
    return len(pairs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument(
        "--meetings-per-participant",
        type=float,
        default=MEETINGS_PER_PARTICIPANT,
        help="5 fills about nine cells in ten of the grid (the busiest page)",
    )
    args = parser.parse_args(argv)
    _setup()
    from django.db.models import F
    from django.test import Client
    from django.urls import reverse

    from clusterxchange.events import agendas, on_behalf
    from clusterxchange.events.domain import timetable
    from clusterxchange.events.models import Event, Meeting, Session, Slot

    started = time.perf_counter()
    event, organiser, registrations = build(args.participants)
    # The event two days long, a month ahead (so every slot is free to move to).
    start = date.today() + timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(start_date=start, end_date=start + timedelta(days=1))
    event.refresh_from_db()
    timetable.set_table_count(organiser, event, args.participants // 10)
    meetings = place_meetings(event, registrations, per_participant=args.meetings_per_participant)
    built = time.perf_counter() - started
    client = Client()
    client.force_login(organiser)
    url = reverse("events:grid", args=[event.slug])
    client.get(url)  # warm the templates and the URL configuration
    sample = list(
        Meeting.objects.filter(
            event=event, table__number__lte=agendas.GRID_TABLES_PER_PAGE, slot__session__date=start
        )
        .select_related("slot", "table", "first", "second")
        .order_by("?")[: args.samples]
    )

    def page(_):
        response = client.get(url)
        assert response.status_code == 200 and b"meeting-grid" in response.content

    def move_mode(meeting):
        response = client.get(f"{url}?move={meeting.pk}")
        assert b"Move here" in response.content

    plan = agendas.grid(event, day=start)

    def move(meeting):
        targets = on_behalf.move_targets(meeting, plan.slots, plan.tables, plan.cells)
        slot_id, table_id = sorted(targets)[0]
        response = client.post(
            reverse("events:meeting_move", args=[event.slug, meeting.pk]),
            {"slot": slot_id, "table": table_id},
            follow=True,
        )
        assert b"moved to" in response.content, response.content[-2000:]
        plan.cells.pop((meeting.slot_id, meeting.table_id), None)
        plan.cells[(slot_id, table_id)] = meeting

    original = agendas.grid

    def whole_day(_):
        agendas.grid = lambda event, **kwargs: original(event, **{**kwargs, "per_page": 100_000})
        try:
            response = client.get(url)
        finally:
            agendas.grid = original
        assert response.status_code == 200

    rows = [
        (f"grid page: one day, {agendas.GRID_TABLES_PER_PAGE} tables", measure(page, range(args.samples))),
        ("grid page, select-to-move mode", measure(move_mode, sample)),
        ("move a meeting (POST, then the grid page)", measure(move, sample)),
        (f"baseline: one day, all {event.tables.count()} tables on one page", measure(whole_day, range(3))),
    ]
    # The same event two months earlier: on the day (and after) every slot has begun.
    shift = timedelta(days=60)
    Event.objects.filter(pk=event.pk).update(
        start_date=F("start_date") - shift, end_date=F("end_date") - shift
    )
    Session.objects.filter(event=event).update(date=F("date") - shift)
    Slot.objects.filter(session__event=event).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )

    def on_the_day(_):
        response = client.get(url)
        assert response.status_code == 200 and b'name="attendance"' in response.content

    rows.append(
        ("grid page on the day (an attendance form per meeting)", measure(on_the_day, range(args.samples)))
    )
    print(
        f"\n{args.participants} participants, {event.tables.count()} tables, {2 * SLOTS_PER_DAY} slots, "
        f"{meetings} meetings (built in {built:.1f} s)\n"
    )
    print("| operation | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, (p50, p95, worst) in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
