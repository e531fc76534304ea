"""Validation of an :class:`Instance` and its translation to dense indices for the solvers.

Solvers work on integers ``0..n-1`` for slots, participants and meetings; this module is the one
place that maps identifiers to indices and checks that every reference in the instance is known.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .deadline import Deadline
from .errors import InputError
from .model import Identifier, Instance


@dataclass
class CompiledInstance:
    instance: Instance
    slot_ids: list[int]
    day_of_slot: list[int]
    participant_ids: list[Identifier]
    pairs: list[tuple[int, int]]
    allowed: list[list[int]]
    predecessors: list[list[int]]
    meetings_of: list[list[int]]
    max_meetings: list[int | None]
    needs_free_table: list[bool]
    free_tables: int
    priorities: list[int]
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    """Derived data computed once per instance by the solvers (successor lists, matching use)."""

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    @property
    def n_meetings(self) -> int:
        return len(self.pairs)

    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    def narrowed(self, allowed: list[list[int]]) -> CompiledInstance:
        """The same event with each meeting's positions cut down to ``allowed`` (a subset that
        every valid schedule respects, e.g. ``diagnosis.tightened_domains``), and a fresh cache."""
        return dataclasses.replace(self, allowed=allowed, cache={})

    def capacity_per_slot(self) -> int:
        """How many meetings can run at once: every table, counted once."""
        return len(self.instance.tables)


def _unique(values: list[Identifier], field: str) -> dict[Identifier, int]:
    index: dict[Identifier, int] = {}
    for position, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InputError(f"{field}[{position}]: id must be an integer or a string, got {value!r}")
        if value in index:
            raise InputError(f"{field}[{position}]: duplicate id {value!r}")
        index[value] = position
    return index


def compile_instance(instance: Instance, deadline: Deadline | None = None) -> CompiledInstance:
    """Check every cross-reference and build the index form; raise :class:`InputError` if wrong
    (and ``TimeLimitReached`` if ``deadline`` passes meanwhile: a huge event may take a while)."""
    slot_ids = list(instance.slots)
    if not slot_ids:
        raise InputError("days: the event has no time slots (slots must not be zero)")
    if not instance.tables:
        raise InputError("tables: the event has no tables (tables must not be zero)")
    slot_index = _unique(slot_ids, "slots")
    day_of_slot = [day_number for day_number, day in enumerate(instance.days) for _ in day.slots]
    session_slots: dict[str, set[int]] = {}
    for day in instance.days:
        for session in day.sessions:
            session_slots.setdefault(session.name, set()).update(slot_index[s] for s in session.slots)

    participant_ids = [p.id for p in instance.participants]
    participant_index = _unique(participant_ids, "participants")
    table_index = _unique([t.id for t in instance.tables], "tables")
    meeting_index = _unique([m.id for m in instance.meetings], "meetings")

    owners: set[int] = set()
    for number, table in enumerate(instance.tables):
        if table.owner is not None:
            if table.owner not in participant_index:
                raise InputError(f"tables[{number}].owner: unknown participant {table.owner!r}")
            owners.add(participant_index[table.owner])
    unavailable: list[set[int]] = []
    max_meetings: list[int | None] = []
    for number, participant in enumerate(instance.participants):
        if participant.own_table is not None:
            if participant.own_table not in table_index:
                raise InputError(f"participants[{number}].own_table: unknown table {participant.own_table!r}")
            owners.add(number)
        for slot in participant.unavailable:
            if slot not in slot_index:
                raise InputError(f"participants[{number}].unavailable: unknown slot {slot!r}")
        if participant.max_meetings is not None and participant.max_meetings < 0:
            raise InputError(f"participants[{number}].max_meetings must not be negative")
        unavailable.append({slot_index[s] for s in participant.unavailable})
        max_meetings.append(participant.max_meetings)

    pairs: list[tuple[int, int]] = []
    allowed: list[list[int]] = []
    predecessors: list[list[int]] = []
    meetings_of: list[list[int]] = [[] for _ in participant_ids]
    needs_free_table: list[bool] = []
    for number, meeting in enumerate(instance.meetings):
        if deadline is not None and number % 4096 == 0:
            deadline.check("reading the event")
        where = f"meetings[{number}]"
        if len(meeting.participants) != 2:
            raise InputError(f"{where}.participants must name exactly two participants")
        first, second = meeting.participants
        for participant in (first, second):
            if participant not in participant_index:
                raise InputError(f"{where}.participants: unknown participant {participant!r}")
        if first == second:
            raise InputError(f"{where}.participants: participant {first!r} cannot meet itself")
        a, b = participant_index[first], participant_index[second]
        pairs.append((a, b))
        meetings_of[a].append(number)
        meetings_of[b].append(number)
        if meeting.session is not None and meeting.session not in session_slots:
            raise InputError(f"{where}.session: unknown session {meeting.session!r}")
        candidates = set(range(len(slot_ids))) if meeting.session is None else session_slots[meeting.session]
        if meeting.fixed_slot is not None:
            if meeting.fixed_slot not in slot_index:
                raise InputError(
                    f"{where}.fixed_slot: meeting {meeting.id!r} is fixed at slot {meeting.fixed_slot!r}, "
                    "which does not exist"
                )
            candidates = candidates & {slot_index[meeting.fixed_slot]}
        if meeting.locked and meeting.fixed_slot is None:
            raise InputError(f"{where}: a locked meeting needs its fixed_slot")
        if meeting.priority < 0:
            raise InputError(f"{where}.priority must not be negative")
        allowed.append(sorted(candidates - unavailable[a] - unavailable[b]))
        before = []
        for other in meeting.after:
            if other not in meeting_index or other == meeting.id:
                raise InputError(f"{where}.after: {other!r} is not another meeting")
            before.append(meeting_index[other])
        predecessors.append(before)
        needs_free_table.append(a not in owners and b not in owners)

    owned_tables = _owned(instance)
    return CompiledInstance(
        instance=instance,
        slot_ids=slot_ids,
        day_of_slot=day_of_slot,
        participant_ids=participant_ids,
        pairs=pairs,
        allowed=allowed,
        predecessors=predecessors,
        meetings_of=meetings_of,
        max_meetings=max_meetings,
        needs_free_table=needs_free_table,
        free_tables=sum(
            1 for table in instance.tables if table.owner is None and table.id not in owned_tables
        ),
        priorities=[meeting.priority for meeting in instance.meetings],
    )


def _owned(instance: Instance) -> set[Identifier]:
    return {p.own_table for p in instance.participants if p.own_table is not None}
