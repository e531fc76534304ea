"""Concrete tables for placed meetings.

Exhibitors host every meeting at their own table.  Other meetings take a shared table; walking
through time, each meeting first tries the table one of its participants sat at in their previous
meeting, so people change tables as rarely as possible.
"""

from __future__ import annotations

from .compiled import CompiledInstance
from .model import Identifier, Placement


def owner_tables(compiled: CompiledInstance) -> dict[int, Identifier]:
    """Participant index -> the table it owns."""
    instance = compiled.instance
    index = {participant_id: number for number, participant_id in enumerate(compiled.participant_ids)}
    owned: dict[int, Identifier] = {}
    for table in instance.tables:
        if table.owner is not None:
            owned[index[table.owner]] = table.id
    for number, participant in enumerate(instance.participants):
        if participant.own_table is not None:
            owned[number] = participant.own_table
    return owned


def assign_tables(
    compiled: CompiledInstance, positions: list[int], reasons: dict[int, str] | None = None
) -> list[Placement]:
    """One placement per meeting (input order); ``positions[m] < 0`` leaves the meeting unscheduled."""
    owned = owner_tables(compiled)
    shared = [t.id for t in compiled.instance.tables if t.id not in set(owned.values())]
    last_table: dict[int, Identifier] = {}
    tables: list[Identifier | None] = [None] * compiled.n_meetings
    by_position: dict[int, list[int]] = {}
    for meeting, position in enumerate(positions):
        if position >= 0:
            by_position.setdefault(position, []).append(meeting)
    for position in sorted(by_position):
        meetings = by_position[position]
        taken: set[Identifier] = set()
        waiting = []
        for meeting in meetings:
            hosts = [owned[p] for p in compiled.pairs[meeting] if p in owned]
            if hosts:
                choice = next((t for t in hosts if t not in taken), hosts[0])
                tables[meeting] = choice
                taken.add(choice)
            else:
                waiting.append(meeting)
        free = [t for t in shared if t not in taken]
        free_set = set(free)
        unplaced = []
        for meeting in waiting:
            preferred = [last_table[p] for p in compiled.pairs[meeting] if p in last_table]
            choice = next((t for t in preferred if t in free_set), None)
            if choice is None:
                unplaced.append(meeting)
            else:
                tables[meeting] = choice
                free_set.discard(choice)
        remaining = iter(t for t in free if t in free_set)
        for meeting in unplaced:
            tables[meeting] = next(remaining, None)
        for meeting in meetings:
            for participant in compiled.pairs[meeting]:
                if tables[meeting] is not None:
                    last_table[participant] = tables[meeting]
    placements = []
    for meeting, original in enumerate(compiled.instance.meetings):
        position = positions[meeting]
        reason = (reasons or {}).get(meeting)
        if position < 0:
            placements.append(Placement(original.id, None, None, reason))
        else:
            placements.append(Placement(original.id, compiled.slot_ids[position], tables[meeting], reason))
    return placements
