"""Plain dataclasses describing a B2B meeting event and a schedule for it.

Identifiers of participants, tables and meetings are JSON scalars (``int`` or ``str``) kept exactly
as given, so that a ``.dzn`` instance keeps its 1-based numbers all the way to the output.
Slots are identified by integers, listed in time order inside sessions inside days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Identifier = int | str


@dataclass(frozen=True)
class Session:
    """A block of consecutive slots (e.g. a morning); meetings may be restricted to a session name."""

    name: str
    slots: tuple[int, ...]


@dataclass(frozen=True)
class Day:
    name: str
    sessions: tuple[Session, ...]

    @property
    def slots(self) -> tuple[int, ...]:
        return tuple(slot for session in self.sessions for slot in session.slots)


@dataclass(frozen=True)
class Table:
    id: Identifier
    owner: Identifier | None = None


@dataclass(frozen=True)
class Participant:
    id: Identifier
    unavailable: frozenset[int] = frozenset()
    max_meetings: int | None = None
    own_table: Identifier | None = None


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between two participants.

    ``after`` lists meetings that must take place strictly before this one; ``locked`` keeps a
    published meeting at its ``fixed_slot`` (re-scheduling never moves it).
    """

    id: Identifier
    participants: tuple[Identifier, Identifier]
    priority: int = 1
    session: str | None = None
    fixed_slot: int | None = None
    locked: bool = False
    after: tuple[Identifier, ...] = ()
    must_meet: bool = False


@dataclass(frozen=True)
class Instance:
    days: tuple[Day, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    name: str = ""

    @property
    def slots(self) -> tuple[int, ...]:
        return tuple(slot for day in self.days for slot in day.slots)

    def participant(self, participant_id: Identifier) -> Participant:
        for participant in self.participants:
            if participant.id == participant_id:
                return participant
        raise KeyError(participant_id)


@dataclass(frozen=True)
class Placement:
    """Where one meeting ended up; ``slot`` and ``table`` are ``None`` for an unscheduled meeting,
    whose ``reason`` the modes give as a :class:`~.errors.Reason` (a ``str`` with a kind and ids)."""

    meeting: Identifier
    slot: int | None
    table: Identifier | None = None
    reason: str | None = None


@dataclass
class Schedule:
    """A solver answer: one placement per input meeting, in input order, plus solver figures."""

    placements: list[Placement]
    status: str = "unknown"
    objective: int | None = None
    lower_bound: int | None = None
    proven: bool = False
    mode: str = "exact"
    fairness: int | None = None
    placed_upper_bound: int | None = None
    moved: int | None = None
    explanation: list[str] = field(default_factory=list)
    wall_time: float = 0.0

    @property
    def placed(self) -> int:
        return sum(1 for placement in self.placements if placement.slot is not None)
