"""Independent checker for schedules.

It shares no code with the solvers on purpose: it re-reads the :class:`Instance` directly, checks
every rule and recomputes every metric from the placements alone, so a solver bug cannot hide
behind a helper that the checker also uses.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Identifier, Instance, Placement


@dataclass
class VerificationReport:
    violations: list[str] = field(default_factory=list)
    breaks: dict[Identifier, int] = field(default_factory=dict)
    placed: int = 0
    weighted_placed: int = 0
    table_changes: int = 0
    moved: int | None = None

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def total_breaks(self) -> int:
        return sum(self.breaks.values())

    @property
    def fairness_gap(self) -> int:
        """Largest difference between the break counts of two participants who have meetings."""
        counts = list(self.breaks.values())
        return max(counts) - min(counts) if counts else 0


def count_breaks(busy_positions: list[int], day_of_position: list[int]) -> int:
    """Number of maximal idle runs between two meetings on the same day (positions sorted)."""
    total = 0
    for earlier, later in itertools.pairwise(busy_positions):
        if later > earlier + 1 and day_of_position[earlier] == day_of_position[later]:
            total += 1
    return total


def verify(
    instance: Instance,
    placements: list[Placement],
    *,
    require_all: bool = True,
    fairness: int | None = None,
    previous: dict[Identifier, int] | None = None,
) -> VerificationReport:
    """Check ``placements`` (one per meeting, input order) against every rule of ``instance``."""
    report = VerificationReport()
    problems = report.violations
    if len(placements) != len(instance.meetings):
        problems.append(f"{len(placements)} placements for {len(instance.meetings)} meetings")
        return report

    positions: dict[int, int] = {}
    day_of_position: list[int] = []
    session_of_slot: dict[int, str] = {}
    for day_number, day in enumerate(instance.days):
        for session in day.sessions:
            for slot in session.slots:
                positions[slot] = len(day_of_position)
                day_of_position.append(day_number)
                session_of_slot[slot] = session.name
    participants = {p.id: p for p in instance.participants}
    tables = {t.id: t for t in instance.tables}
    owner_table: dict[Identifier, Identifier] = {}
    for table in instance.tables:
        if table.owner is not None:
            owner_table[table.owner] = table.id
    for participant in instance.participants:
        if participant.own_table is not None:
            owner_table[participant.id] = participant.own_table
    owned_tables = set(owner_table.values())
    slot_of: dict[Identifier, int | None] = {}
    busy: dict[Identifier, dict[int, Identifier]] = defaultdict(dict)
    table_use: dict[tuple[int, Identifier], Identifier] = {}

    for meeting, placement in zip(instance.meetings, placements, strict=True):
        name = f"meeting {meeting.id}"
        if placement.meeting != meeting.id:
            problems.append(f"placement for {placement.meeting!r} where {name} was expected")
            continue
        slot_of[meeting.id] = placement.slot
        if placement.slot is None:
            if require_all:
                problems.append(f"{name} is not scheduled")
            if meeting.locked or meeting.fixed_slot is not None:
                problems.append(f"{name} is fixed or locked but not scheduled")
            continue
        slot = placement.slot
        if slot not in positions:
            problems.append(f"{name} is at unknown slot {slot}")
            continue
        report.placed += 1
        report.weighted_placed += meeting.priority
        if meeting.session is not None and session_of_slot[slot] != meeting.session:
            problems.append(f"{name} must be in session {meeting.session!r} but is at slot {slot}")
        if meeting.fixed_slot is not None and slot != meeting.fixed_slot:
            problems.append(f"{name} is fixed at slot {meeting.fixed_slot} but placed at {slot}")
        for person in meeting.participants:
            if person not in participants:
                problems.append(f"{name} names unknown participant {person!r}")
                continue
            if slot in participants[person].unavailable:
                problems.append(f"{name} is at slot {slot} when participant {person} is unavailable")
            if slot in busy[person]:
                problems.append(
                    f"participant {person} has meetings {busy[person][slot]} and {meeting.id} at slot {slot}"
                )
            busy[person][slot] = meeting.id
        table = placement.table
        if table is None:
            problems.append(f"{name} has no table")
        elif table not in tables:
            problems.append(f"{name} is at unknown table {table!r}")
        else:
            if (slot, table) in table_use:
                problems.append(
                    f"table {table} holds meetings {table_use[slot, table]} and {meeting.id} at slot {slot}"
                )
            table_use[slot, table] = meeting.id
            hosts = [owner_table[p] for p in meeting.participants if p in owner_table]
            if hosts and table not in hosts:
                problems.append(f"{name} involves an exhibitor but is not at the exhibitor's table")
            if not hosts and table in owned_tables:
                problems.append(f"{name} uses table {table}, which belongs to an exhibitor")

    for meeting in instance.meetings:
        slot = slot_of.get(meeting.id)
        if slot is None or slot not in positions:
            continue
        for earlier in meeting.after:
            earlier_slot = slot_of.get(earlier)
            if earlier_slot is None:
                if require_all:
                    problems.append(
                        f"meeting {meeting.id} needs meeting {earlier} before it, which is unscheduled"
                    )
            elif earlier_slot in positions and positions[earlier_slot] >= positions[slot]:
                problems.append(f"meeting {earlier} must come before meeting {meeting.id}")

    for participant in instance.participants:
        agenda = busy.get(participant.id, {})
        if participant.max_meetings is not None and len(agenda) > participant.max_meetings:
            problems.append(
                f"participant {participant.id} has {len(agenda)} meetings, more than the maximum {participant.max_meetings}"
            )
        if agenda:
            report.breaks[participant.id] = count_breaks(
                sorted(positions[s] for s in agenda), day_of_position
            )

    if fairness is not None and report.fairness_gap > fairness:
        problems.append(
            f"break counts differ by {report.fairness_gap}, more than the fairness bound {fairness}"
        )

    report.table_changes = _table_changes(instance, placements, positions)
    if previous is not None:
        report.moved = sum(
            1
            for placement in placements
            if placement.meeting in previous and previous[placement.meeting] != placement.slot
        )
    return report


def _table_changes(instance: Instance, placements: list[Placement], positions: dict[int, int]) -> int:
    """Count, per participant, consecutive meetings (in time) held at different tables."""
    seen: dict[Identifier, list[tuple[int, Identifier]]] = defaultdict(list)
    for meeting, placement in zip(instance.meetings, placements, strict=True):
        if placement.slot in positions and placement.table is not None:
            for person in meeting.participants:
                seen[person].append((positions[placement.slot], placement.table))
    changes = 0
    for visits in seen.values():
        visits.sort(key=lambda visit: visit[0])
        changes += sum(1 for a, b in itertools.pairwise(visits) if a[1] != b[1])
    return changes
