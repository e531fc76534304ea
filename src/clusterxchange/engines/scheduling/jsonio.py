"""JSON form of instances and schedules (the schema is documented in docs/scheduler.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Day, Identifier, Instance, Meeting, Participant, Placement, Schedule, Session, Table

SCHEDULE_STATUSES = ("optimal", "feasible", "infeasible", "unknown")


def read_json_file(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read file ({error})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: line {error.lineno}, column {error.colno}: invalid JSON ({error.msg})"
        ) from None


def read_instance_json(path: str | Path) -> Instance:
    return instance_from_dict(read_json_file(path), name=Path(path).stem)


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise InputError(f"{where}: missing field {key!r}")
    return data[key]


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _identifier(value: Any, where: str) -> Identifier:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(f"{where}: expected an integer or string id, got {value!r}")
    return value


def _integer(value: Any, where: str, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: expected an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise InputError(f"{where}: must be at least {minimum}, got {value}")
    return value


def _optional_integer(value: Any, where: str, minimum: int | None = None) -> int | None:
    return None if value is None else _integer(value, where, minimum)


def instance_from_dict(data: Any, name: str = "") -> Instance:
    data = _object(data, "instance")
    days = []
    for day_number, raw_day in enumerate(_list(_require(data, "days", "instance"), "days")):
        where = f"days[{day_number}]"
        raw_day = _object(raw_day, where)
        sessions = []
        for session_number, raw_session in enumerate(
            _list(_require(raw_day, "sessions", where), f"{where}.sessions")
        ):
            session_where = f"{where}.sessions[{session_number}]"
            raw_session = _object(raw_session, session_where)
            slots = tuple(
                _integer(slot, f"{session_where}.slots[{index}]")
                for index, slot in enumerate(
                    _list(_require(raw_session, "slots", session_where), f"{session_where}.slots")
                )
            )
            sessions.append(
                Session(name=str(raw_session.get("name", f"session {session_number + 1}")), slots=slots)
            )
        days.append(Day(name=str(raw_day.get("name", f"day {day_number + 1}")), sessions=tuple(sessions)))

    raw_tables = _require(data, "tables", "instance")
    if isinstance(raw_tables, int) and not isinstance(raw_tables, bool):
        if raw_tables <= 0:
            raise InputError(f"tables: the number of tables must be positive, got {raw_tables}")
        tables = tuple(Table(id=number) for number in range(1, raw_tables + 1))
    else:
        tables = tuple(
            Table(
                id=_identifier(
                    _require(_object(raw, f"tables[{n}]"), "id", f"tables[{n}]"), f"tables[{n}].id"
                ),
                owner=None if raw.get("owner") is None else _identifier(raw["owner"], f"tables[{n}].owner"),
            )
            for n, raw in enumerate(_list(raw_tables, "tables"))
        )

    participants = []
    for number, raw in enumerate(_list(_require(data, "participants", "instance"), "participants")):
        where = f"participants[{number}]"
        raw = _object(raw, where)
        unavailable = frozenset(
            _integer(slot, f"{where}.unavailable[{index}]")
            for index, slot in enumerate(_list(raw.get("unavailable", []), f"{where}.unavailable"))
        )
        participants.append(
            Participant(
                id=_identifier(_require(raw, "id", where), f"{where}.id"),
                unavailable=unavailable,
                max_meetings=_optional_integer(raw.get("max_meetings"), f"{where}.max_meetings", 0),
                own_table=None
                if raw.get("own_table") is None
                else _identifier(raw["own_table"], f"{where}.own_table"),
            )
        )

    meetings = []
    for number, raw in enumerate(_list(_require(data, "meetings", "instance"), "meetings")):
        where = f"meetings[{number}]"
        raw = _object(raw, where)
        pair = _list(_require(raw, "participants", where), f"{where}.participants")
        if len(pair) != 2:
            raise InputError(f"{where}.participants: expected exactly two participants, got {len(pair)}")
        session = raw.get("session")
        meetings.append(
            Meeting(
                id=_identifier(raw.get("id", number + 1), f"{where}.id"),
                participants=(
                    _identifier(pair[0], f"{where}.participants[0]"),
                    _identifier(pair[1], f"{where}.participants[1]"),
                ),
                priority=_integer(raw.get("priority", 1), f"{where}.priority", 0),
                must_meet=bool(raw.get("must_meet", False)),
                session=None if session is None else str(session),
                fixed_slot=_optional_integer(raw.get("fixed_slot"), f"{where}.fixed_slot"),
                locked=bool(raw.get("locked", False)),
                after=tuple(
                    _identifier(other, f"{where}.after[{index}]")
                    for index, other in enumerate(_list(raw.get("after", []), f"{where}.after"))
                ),
            )
        )
    return Instance(
        days=tuple(days),
        tables=tables,
        participants=tuple(participants),
        meetings=tuple(meetings),
        name=str(data.get("name", name)),
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    return {
        "name": instance.name,
        "days": [
            {"name": day.name, "sessions": [{"name": s.name, "slots": list(s.slots)} for s in day.sessions]}
            for day in instance.days
        ],
        "tables": [{"id": table.id, "owner": table.owner} for table in instance.tables],
        "participants": [
            {
                "id": p.id,
                "unavailable": sorted(p.unavailable),
                "max_meetings": p.max_meetings,
                "own_table": p.own_table,
            }
            for p in instance.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": list(m.participants),
                "priority": m.priority,
                "must_meet": m.must_meet,
                "session": m.session,
                "fixed_slot": m.fixed_slot,
                "locked": m.locked,
                "after": list(m.after),
            }
            for m in instance.meetings
        ],
    }


def write_instance_json(instance: Instance, path: str | Path) -> None:
    Path(path).write_text(json.dumps(instance_to_dict(instance), indent=1) + "\n", encoding="utf-8")


def schedule_to_dict(instance: Instance, schedule: Schedule) -> dict[str, Any]:
    meetings = []
    for meeting, placement in zip(instance.meetings, schedule.placements, strict=True):
        entry: dict[str, Any] = {
            "id": meeting.id,
            "participants": list(meeting.participants),
            "slot": placement.slot,
            "table": placement.table,
        }
        if placement.reason:
            entry["reason"] = placement.reason
        meetings.append(entry)
    return {
        "instance": instance.name,
        "status": schedule.status,
        "mode": schedule.mode,
        "fairness": schedule.fairness,
        "objective": schedule.objective,
        "lower_bound": schedule.lower_bound,
        "proven": schedule.proven,
        "placed": schedule.placed,
        "placed_upper_bound": schedule.placed_upper_bound,
        "moved": schedule.moved,
        "wall_time": round(schedule.wall_time, 3),
        "explanation": list(schedule.explanation),
        "meetings": meetings,
    }


def write_schedule_json(instance: Instance, schedule: Schedule, path: str | Path) -> None:
    Path(path).write_text(json.dumps(schedule_to_dict(instance, schedule), indent=1) + "\n", encoding="utf-8")


def placements_from_dict(instance: Instance, data: Any) -> list[Placement]:
    """Read the ``meetings`` of a schedule JSON back, matched to the instance by meeting id."""
    data = _object(data, "schedule")
    entries = _list(_require(data, "meetings", "schedule"), "schedule.meetings")
    by_id: dict[Identifier, Placement] = {}
    for number, raw in enumerate(entries):
        where = f"schedule.meetings[{number}]"
        raw = _object(raw, where)
        meeting_id = _identifier(_require(raw, "id", where), f"{where}.id")
        slot = _optional_integer(raw.get("slot"), f"{where}.slot")
        table = raw.get("table")
        if table is not None:
            table = _identifier(table, f"{where}.table")
        if meeting_id in by_id:
            raise InputError(f"{where}.id: meeting {meeting_id!r} appears twice")
        by_id[meeting_id] = Placement(meeting=meeting_id, slot=slot, table=table)
    known = {meeting.id for meeting in instance.meetings}
    unknown = [meeting_id for meeting_id in by_id if meeting_id not in known]
    if unknown:
        raise InputError(f"schedule.meetings: meeting {unknown[0]!r} is not in the instance")
    return [by_id.get(meeting.id, Placement(meeting=meeting.id, slot=None)) for meeting in instance.meetings]


def read_instance(path: str | Path) -> Instance:
    """Read an instance from ``.json`` or ``.dzn``, chosen by the file name."""
    from .dzn import read_dzn

    if str(path).endswith(".dzn"):
        return read_dzn(path)
    return read_instance_json(path)
