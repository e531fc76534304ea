"""Reader for the MiniZinc data format of Bofill et al. (JAIR 74, 2022).

Everything in the file is 1-based and kept so: participants are the integers ``1..nBusiness``,
meetings ``1..nMeetings`` and slots ``1..nTotalSlots``.  Slots ``1..nMorningSlots`` form the
session ``"AM"``, the rest the session ``"PM"`` of one day.  ``nTables`` anonymous tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from .model import Day, Instance, Meeting, Participant, Session, Table

MORNING = "AM"
AFTERNOON = "PM"
SESSION_CODES = {1: MORNING, 2: AFTERNOON, 3: None}
REQUIRED_SCALARS = ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots")
_ASSIGNMENT = re.compile(r"([A-Za-z_]\w*)\s*=\s*([^;]*);")


def read_dzn(path: str | Path) -> Instance:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read file ({error})") from error
    return parse_dzn(text, name=path.stem)


def parse_dzn(text: str, name: str = "") -> Instance:
    fields = _assignments(text)
    scalars = {key: _scalar(fields, key) for key in REQUIRED_SCALARS}
    n_participants, n_meetings = scalars["nBusiness"], scalars["nMeetings"]
    n_tables, n_slots, n_morning = scalars["nTables"], scalars["nTotalSlots"], scalars["nMorningSlots"]
    for key in ("nBusiness", "nTables", "nTotalSlots"):
        if scalars[key] <= 0:
            _fail(fields, key, f"{key} must be positive, got {scalars[key]}")
    if not 0 <= n_morning <= n_slots:
        _fail(fields, "nMorningSlots", f"nMorningSlots must be between 0 and nTotalSlots ({n_slots})")

    rows = _requested(fields, n_meetings, n_participants)
    forbidden = _optional_sets(fields, "forbidden", n_participants, {0})
    fixed = _optional_ints(fields, "fixed", n_meetings)
    precedences = _optional_sets(fields, "precedences", n_meetings, set())

    sessions = [Session(MORNING, tuple(range(1, n_morning + 1)))]
    if n_morning < n_slots:
        sessions.append(Session(AFTERNOON, tuple(range(n_morning + 1, n_slots + 1))))
    sessions = [session for session in sessions if session.slots]
    day = Day("day 1", tuple(sessions))

    participants = []
    for index, slots in enumerate(forbidden, start=1):
        bad = sorted(slot for slot in slots if not 1 <= slot <= n_slots)
        if bad:
            _fail(fields, "forbidden", f"forbidden[{index}] has slot {bad[0]} outside 1..{n_slots}")
        participants.append(Participant(id=index, unavailable=frozenset(slots)))

    meetings = []
    for index, (first, second, code) in enumerate(rows, start=1):
        slot = fixed[index - 1] or None
        if slot is not None and not 1 <= slot <= n_slots:
            _fail(fields, "fixed", f"fixed[{index}] = {slot} is outside 1..{n_slots}")
        before = sorted(precedences[index - 1])
        for other in before:
            if not 1 <= other <= n_meetings or other == index:
                _fail(
                    fields,
                    "precedences",
                    f"precedences[{index}] names meeting {other}, not a valid other meeting",
                )
        meetings.append(
            Meeting(
                id=index,
                participants=(first, second),
                session=SESSION_CODES[code],
                fixed_slot=slot,
                after=tuple(before),
            )
        )
    tables = tuple(Table(id=number) for number in range(1, n_tables + 1))
    return Instance(
        days=(day,), tables=tables, participants=tuple(participants), meetings=tuple(meetings), name=name
    )


def _assignments(text: str) -> dict[str, tuple[str, int]]:
    """Map each assigned name to its raw value and the line where the assignment starts."""
    without_comments = re.sub(r"%[^\n]*", "", text)
    fields: dict[str, tuple[str, int]] = {}
    for match in _ASSIGNMENT.finditer(without_comments):
        line = without_comments.count("\n", 0, match.start(2)) + 1
        fields[match.group(1)] = (match.group(2), line)
    leftover = _ASSIGNMENT.sub("", without_comments).strip()
    if leftover:
        line = without_comments.find(leftover[:20])
        line_number = without_comments.count("\n", 0, max(line, 0)) + 1
        raise InputError(f"line {line_number}: cannot parse {leftover[:40]!r} (expected 'name = value;')")
    return fields


def _fail(fields: dict[str, tuple[str, int]], key: str, message: str) -> None:
    line = fields[key][1] if key in fields else None
    prefix = f"line {line}: " if line else ""
    raise InputError(f"{prefix}{message}")


def _scalar(fields: dict[str, tuple[str, int]], key: str) -> int:
    if key not in fields:
        raise InputError(f"missing field {key!r}")
    raw, line = fields[key]
    try:
        return int(raw.strip())
    except ValueError:
        raise InputError(f"line {line}: {key} must be an integer, got {raw.strip()[:30]!r}") from None


def _integers(raw: str, key: str, line: int) -> list[int]:
    try:
        return [int(token) for token in re.findall(r"[^\s,]+", raw)]
    except ValueError:
        raise InputError(f"line {line}: {key} holds a value that is not an integer") from None


def _requested(
    fields: dict[str, tuple[str, int]], n_meetings: int, n_participants: int
) -> list[tuple[int, int, int]]:
    if "requested" not in fields:
        raise InputError("missing field 'requested'")
    raw, line = fields["requested"]
    body = raw.strip()
    if not (body.startswith("[|") and body.endswith("|]")):
        raise InputError(f"line {line}: requested must be a 2-d array '[| p1, p2, s | ... |]'")
    inner_start = raw.index("[|") + 2
    rows = []
    offset = inner_start
    for piece in raw[inner_start : raw.rindex("|]")].split("|"):
        if piece.strip():
            rows.append((piece, line + raw.count("\n", 0, offset + len(piece) - len(piece.lstrip()))))
        offset += len(piece) + 1
    if len(rows) != n_meetings:
        raise InputError(f"line {line}: requested has {len(rows)} rows but nMeetings = {n_meetings}")
    result = []
    for number, (row, row_line) in enumerate(rows, start=1):
        line = row_line
        values = _integers(row, "requested", line)
        if len(values) != 3:
            raise InputError(f"line {line}: requested row {number} must hold 3 integers, got {len(values)}")
        first, second, code = values
        for participant in (first, second):
            if not 1 <= participant <= n_participants:
                raise InputError(
                    f"line {line}: requested row {number} names participant {participant}, "
                    f"unknown (nBusiness = {n_participants})"
                )
        if first == second:
            raise InputError(
                f"line {line}: requested row {number} is a meeting of participant {first} with itself"
            )
        if code not in SESSION_CODES:
            raise InputError(
                f"line {line}: requested row {number} has session code {code}; expected 1, 2 or 3"
            )
        result.append((first, second, code))
    return result


def _optional_sets(
    fields: dict[str, tuple[str, int]], key: str, length: int, padding: set[int]
) -> list[set[int]]:
    if key not in fields:
        return [set() for _ in range(length)]
    raw, line = fields[key]
    body = raw.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise InputError(f"line {line}: {key} must be an array of sets '[{{...}}, ...]'")
    sets = re.findall(r"\{([^}]*)\}", body)
    if len(sets) != length:
        raise InputError(f"line {line}: {key} has {len(sets)} sets but {length} are expected")
    return [_set_values(content, key, line) - padding for content in sets]


def _set_values(content: str, key: str, line: int) -> set[int]:
    values: set[int] = set()
    for token in (part.strip() for part in content.split(",")):
        if not token:
            continue
        if ".." in token:
            low, high = (_integers(part, key, line)[0] for part in token.split("..", 1))
            values.update(range(low, high + 1))
        else:
            values.update(_integers(token, key, line))
    return values


def _optional_ints(fields: dict[str, tuple[str, int]], key: str, length: int) -> list[int]:
    if key not in fields:
        return [0] * length
    raw, line = fields[key]
    body = raw.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise InputError(f"line {line}: {key} must be an array '[...]'")
    values = _integers(body[1:-1], key, line)
    if len(values) != length:
        raise InputError(f"line {line}: {key} has {len(values)} values but {length} are expected")
    return values
