"""Small hand-made instances shared by the scheduling tests."""

from __future__ import annotations

import itertools

from clusterxchange.engines.scheduling.model import Day, Instance, Meeting, Participant, Session, Table
from clusterxchange.engines.scheduling.verifier import count_breaks


def one_day(n_slots: int, morning: int | None = None) -> tuple[Day, ...]:
    morning = n_slots if morning is None else morning
    sessions = [Session("AM", tuple(range(1, morning + 1)))]
    if morning < n_slots:
        sessions.append(Session("PM", tuple(range(morning + 1, n_slots + 1))))
    return (Day("day 1", tuple(sessions)),)


def make_instance(
    n_slots: int,
    n_tables: int,
    pairs: list[tuple[int, int]],
    n_participants: int | None = None,
    unavailable: dict[int, set[int]] | None = None,
    meeting_options: dict[int, dict] | None = None,
    days: tuple[Day, ...] | None = None,
) -> Instance:
    people = n_participants or max(max(pair) for pair in pairs)
    participants = tuple(
        Participant(id=p, unavailable=frozenset((unavailable or {}).get(p, set())))
        for p in range(1, people + 1)
    )
    meetings = tuple(
        Meeting(id=number, participants=pair, **(meeting_options or {}).get(number, {}))
        for number, pair in enumerate(pairs, start=1)
    )
    return Instance(
        days=days or one_day(n_slots),
        tables=tuple(Table(id=t) for t in range(1, n_tables + 1)),
        participants=participants,
        meetings=meetings,
        name="test",
    )


def brute_force_breaks(instance: Instance, fairness: int | None) -> int | None:
    """Fewest total breaks over every complete schedule (tables ignored beyond capacity)."""
    slots = list(instance.slots)
    position = {slot: i for i, slot in enumerate(slots)}
    day_of = [d for d, day in enumerate(instance.days) for _ in day.slots]
    sessions = {s.name: set(s.slots) for day in instance.days for s in day.sessions}
    people = {p.id: p for p in instance.participants}
    choices = []
    for meeting in instance.meetings:
        options = [
            s
            for s in slots
            if all(s not in people[p].unavailable for p in meeting.participants)
            and (meeting.session is None or s in sessions[meeting.session])
            and (meeting.fixed_slot is None or s == meeting.fixed_slot)
        ]
        choices.append(options)
    ids = [m.id for m in instance.meetings]
    best = None
    for assignment in itertools.product(*choices):
        by_slot: dict[int, int] = {}
        busy: dict[object, list[int]] = {}
        valid = True
        for meeting, slot in zip(instance.meetings, assignment, strict=True):
            by_slot[slot] = by_slot.get(slot, 0) + 1
            for p in meeting.participants:
                busy.setdefault(p, []).append(position[slot])
            slot_of = dict(zip(ids, assignment, strict=True))
            if any(position[slot_of[b]] >= position[slot] for b in meeting.after):
                valid = False
        if not valid or max(by_slot.values()) > len(instance.tables):
            continue
        if any(len(set(v)) != len(v) for v in busy.values()):
            continue
        counts = [count_breaks(sorted(v), day_of) for v in busy.values()]
        if fairness is not None and counts and max(counts) - min(counts) > fairness:
            continue
        total = sum(counts)
        best = total if best is None else min(best, total)
    return best
