"""Generator of realistic synthetic B2B events (seeded, reproducible).

Distributions (documented in docs/scheduler.md):
- days: 1 day for up to 1,000 participants, 2 up to 5,000, else 3; each day a morning and an
  afternoon session of 8 slots (30-minute meetings).
- 20 % of participants are exhibitors with their own table (stand).
- meetings: about 5.73 per participant (IMEX America: ~86,000 meetings for ~15,000 attendees).
  The requester is drawn uniformly; the requested participant by popularity, Zipf-like with
  exponent 0.9 over a random ranking, so a few participants receive far more requests than they
  have slots.  No self-meetings, no duplicate pairs.
- availability: 70 % fully available, 20 % miss one random session, 10 % (multi-day events)
  attend a single day.
- 30 % of participants cap their meetings at 8 to 16.
- priorities: 60 % priority 1, 30 % priority 2, 10 % priority 3; 5 % are mutual "must meet".
- 5 % of meetings are restricted to morning sessions.
- shared tables: enough for 110 % of the average load of the non-exhibitor meetings per slot.
"""

from __future__ import annotations

import math
import random

from clusterxchange.engines.scheduling.model import Day, Instance, Meeting, Participant, Session, Table

SLOTS_PER_SESSION = 8
MEETINGS_PER_PARTICIPANT = 86_000 / 15_000


def days_for(participants: int) -> int:
    if participants <= 1_000:
        return 1
    return 2 if participants <= 5_000 else 3


def generate_event(participants: int, seed: int = 1) -> Instance:
    rng = random.Random(seed)
    n_days = days_for(participants)
    days = []
    slot = 1
    for day in range(n_days):
        sessions = []
        for name in ("AM", "PM"):
            sessions.append(Session(name, tuple(range(slot, slot + SLOTS_PER_SESSION))))
            slot += SLOTS_PER_SESSION
        days.append(Day(f"day {day + 1}", tuple(sessions)))
    sessions_all = [s for d in days for s in d.sessions]

    ids = list(range(1, participants + 1))
    exhibitors = set(rng.sample(ids, participants // 5))
    people = []
    for pid in ids:
        roll = rng.random()
        unavailable: set[int] = set()
        if roll < 0.2:
            unavailable = set(rng.choice(sessions_all).slots)
        elif roll < 0.3 and n_days > 1:
            keep = rng.randrange(n_days)
            unavailable = {s for d, day in enumerate(days) if d != keep for s in day.slots}
        cap = rng.randint(8, 16) if rng.random() < 0.3 else None
        people.append(
            Participant(
                id=pid,
                unavailable=frozenset(unavailable),
                max_meetings=cap,
                own_table=f"stand-{pid}" if pid in exhibitors else None,
            )
        )

    ranking = ids[:]
    rng.shuffle(ranking)
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(participants)]
    target_count = round(MEETINGS_PER_PARTICIPANT * participants)
    pairs: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < target_count:
        batch = rng.choices(ranking, weights=weights, k=min(10_000, 2 * (target_count - len(meetings))))
        for requested in batch:
            requester = rng.choice(ids)
            key = (min(requester, requested), max(requester, requested))
            if requester == requested or key in pairs:
                continue
            pairs.add(key)
            roll = rng.random()
            priority = 1 if roll < 0.6 else (2 if roll < 0.9 else 3)
            meetings.append(
                Meeting(
                    id=len(meetings) + 1,
                    participants=(requester, requested),
                    priority=priority,
                    must_meet=rng.random() < 0.05,
                    session="AM" if rng.random() < 0.05 else None,
                )
            )
            if len(meetings) == target_count:
                break
    n_slots = slot - 1
    shared_meetings = sum(1 for m in meetings if not (set(m.participants) & exhibitors))
    shared = math.ceil(1.1 * shared_meetings / n_slots)
    tables = [Table(f"stand-{pid}", owner=pid) for pid in sorted(exhibitors)]
    tables += [Table(f"T{number}") for number in range(1, shared + 1)]
    return Instance(
        days=tuple(days),
        tables=tuple(tables),
        participants=tuple(people),
        meetings=tuple(meetings),
        name=f"synthetic-{participants}",
    )
