"""Variants of the real instances following the families of Bofill et al., JAIR 74 (2022).

The paper's variants are not published; these are built here from each base instance with a
seeded random generator, without any solver (so they may be feasible or not, as in the paper):

- ``forbidden10`` / ``forbidden20``: every participant loses about 10 % / 20 % of the slots
  (random; a slot is skipped when it would leave the meetings of that participant or of a
  partner without distinct slots, i.e. break Hall's condition: such variants are trivially
  infeasible and say nothing about the search);
- ``fixed20`` / ``fixed40``: the 10 % forbidden slots, and 20 % / 40 % of the meetings fixed at
  a random slot where both participants are available, not already taken by a fixed meeting of
  either of them, with a free table (so the input is never contradictory) and, again, where
  both participants' meetings can still get distinct slots (other participants' fixed meetings
  are not propagated, so a variant may still be infeasible, and be explained as such);
- ``prec15`` / ``prec25``: 15 % / 25 % of the meetings must come after another meeting of one
  of their participants (the earlier one in a random order of all meetings, so no cycle).

Six families x 20 instances = 120 variants.
"""

from __future__ import annotations

import dataclasses
import random
import zlib
from collections.abc import Callable

from clusterxchange.engines.scheduling.hall import unit_matching_violator
from clusterxchange.engines.scheduling.model import Instance, Meeting

FAMILIES = ("fixed20", "fixed40", "forbidden10", "forbidden20", "prec15", "prec25")


def _rng(instance: Instance, family: str) -> random.Random:
    return random.Random(zlib.crc32(f"{instance.name}/{family}".encode()))  # nosec B311


class _Domains:
    """Each meeting's possible slots as participants lose slots and meetings get fixed."""

    def __init__(self, instance: Instance) -> None:
        sessions = {s.name: set(s.slots) for day in instance.days for s in day.sessions}
        self.slots = list(instance.slots)
        self.away = {p.id: set(p.unavailable) for p in instance.participants}
        self.meetings = list(instance.meetings)
        self.fixed: dict[int, int] = {}
        self.session = [
            sessions.get(m.session, set(self.slots)) if m.session else set(self.slots) for m in self.meetings
        ]
        self.of: dict[object, list[int]] = {}
        for index, meeting in enumerate(self.meetings):
            for person in meeting.participants:
                self.of.setdefault(person, []).append(index)

    def domain(self, index: int) -> list[int]:
        if index in self.fixed:
            return [self.fixed[index]]
        people = self.meetings[index].participants
        return [
            t for t in self.slots if t in self.session[index] and all(t not in self.away[p] for p in people)
        ]

    def matchable(self, people: set) -> bool:
        return all(
            unit_matching_violator([self.domain(m) for m in self.of.get(person, [])]) is None
            for person in people
        )


def with_forbidden_slots(instance: Instance, share: float, rng: random.Random) -> Instance:
    domains = _Domains(instance)
    wanted = round(share * len(domains.slots))
    for person in instance.participants:
        partners = {p for m in domains.of.get(person.id, []) for p in domains.meetings[m].participants}
        added = 0
        for slot in rng.sample(domains.slots, len(domains.slots)):
            if added >= wanted:
                break
            if slot in domains.away[person.id]:
                continue
            domains.away[person.id].add(slot)
            if domains.matchable(partners | {person.id}):
                added += 1
            else:
                domains.away[person.id].discard(slot)
    people = tuple(
        dataclasses.replace(p, unavailable=frozenset(domains.away[p.id])) for p in instance.participants
    )
    return dataclasses.replace(instance, participants=people)


def with_fixed_meetings(instance: Instance, share: float, rng: random.Random) -> Instance:
    domains = _Domains(instance)
    per_slot: dict[int, int] = {}
    for index in rng.sample(range(len(domains.meetings)), round(share * len(domains.meetings))):
        people = set(domains.meetings[index].participants)
        busy = {domains.fixed[m] for p in people for m in domains.of[p] if m in domains.fixed}
        options = [
            t for t in domains.domain(index) if t not in busy and per_slot.get(t, 0) < len(instance.tables)
        ]
        for slot in rng.sample(options, len(options)):
            domains.fixed[index] = slot
            if domains.matchable(people):
                per_slot[slot] = per_slot.get(slot, 0) + 1
                break
            del domains.fixed[index]
    meetings = tuple(
        dataclasses.replace(m, fixed_slot=domains.fixed[i]) if i in domains.fixed else m
        for i, m in enumerate(instance.meetings)
    )
    return dataclasses.replace(instance, meetings=meetings)


def with_precedences(instance: Instance, share: float, rng: random.Random) -> Instance:
    meetings = list(instance.meetings)
    rank = {m.id: r for r, m in enumerate(rng.sample(meetings, len(meetings)))}
    of_participant: dict[object, list[Meeting]] = {}
    for meeting in meetings:
        for person in meeting.participants:
            of_participant.setdefault(person, []).append(meeting)
    updated = list(meetings)
    for index in rng.sample(range(len(meetings)), round(share * len(meetings))):
        meeting = meetings[index]
        earlier = sorted(
            {
                other.id
                for person in meeting.participants
                for other in of_participant[person]
                if rank[other.id] < rank[meeting.id]
            },
            key=str,
        )
        if earlier:
            updated[index] = dataclasses.replace(meeting, after=(rng.choice(earlier),))
    return dataclasses.replace(instance, meetings=tuple(updated))


BUILDERS: dict[str, Callable[[Instance, random.Random], Instance]] = {
    "fixed20": lambda i, r: with_fixed_meetings(with_forbidden_slots(i, 0.10, r), 0.20, r),
    "fixed40": lambda i, r: with_fixed_meetings(with_forbidden_slots(i, 0.10, r), 0.40, r),
    "forbidden10": lambda i, r: with_forbidden_slots(i, 0.10, r),
    "forbidden20": lambda i, r: with_forbidden_slots(i, 0.20, r),
    "prec15": lambda i, r: with_precedences(i, 0.15, r),
    "prec25": lambda i, r: with_precedences(i, 0.25, r),
}


def variant(instance: Instance, family: str) -> Instance:
    """The ``family`` variant of ``instance`` (same seed, same variant, on every machine)."""
    built = BUILDERS[family](instance, _rng(instance, family))
    return dataclasses.replace(built, name=f"{instance.name}/{family}")
