"""Plain-language reasons why no complete schedule can exist.

These are cheap counting arguments (Hall-type conditions per participant and per session,
precedence chains, fixed-slot clashes).  They catch most real mistakes in event data before any
search starts; what they cannot see is left to the solver's conflict analysis.
"""

from __future__ import annotations

from collections import defaultdict

from .compiled import CompiledInstance


def _name(compiled: CompiledInstance, meeting: int) -> str:
    a, b = compiled.pairs[meeting]
    return (
        f"meeting {compiled.instance.meetings[meeting].id} "
        f"(participants {compiled.participant_ids[a]} and {compiled.participant_ids[b]})"
    )


def explain_infeasibility(compiled: CompiledInstance, require_all: bool = True) -> list[str]:
    """Return reasons that make a complete schedule impossible; an empty list means none found."""
    reasons: list[str] = []
    for meeting, slots in enumerate(compiled.allowed):
        if not slots:
            reasons.append(
                f"{_name(compiled, meeting)} has no slot where both participants are available"
                + _restriction(compiled, meeting)
            )
    if not require_all:
        return reasons
    reasons += _participant_overload(compiled)
    reasons += _capacity_overload(compiled)
    reasons += _fixed_clashes(compiled)
    reasons += _precedence_problems(compiled)
    return reasons


def _restriction(compiled: CompiledInstance, meeting: int) -> str:
    original = compiled.instance.meetings[meeting]
    parts = []
    if original.session is not None:
        parts.append(f"in session {original.session!r}")
    if original.fixed_slot is not None:
        parts.append(f"at its fixed slot {original.fixed_slot}")
    return f" ({', '.join(parts)})" if parts else ""


def _participant_overload(compiled: CompiledInstance) -> list[str]:
    reasons = []
    for participant, meetings in enumerate(compiled.meetings_of):
        person = compiled.participant_ids[participant]
        limit = compiled.max_meetings[participant]
        if limit is not None and len(meetings) > limit:
            reasons.append(f"participant {person} has {len(meetings)} meetings but accepts at most {limit}")
        usable = set().union(*(compiled.allowed[m] for m in meetings)) if meetings else set()
        if len(meetings) > len(usable):
            reasons.append(
                f"participant {person} has {len(meetings)} meetings but only {len(usable)} available slots"
            )
            continue
        by_domain: dict[frozenset[int], int] = defaultdict(int)
        for meeting in meetings:
            by_domain[frozenset(compiled.allowed[meeting])] += 1
        for domain, count in by_domain.items():
            if count > len(domain) and len(domain) < len(usable):
                reasons.append(
                    f"participant {person} has {count} meetings that all need the same "
                    f"{len(domain)} slots ({_slot_list(compiled, domain)})"
                )
    return reasons


def _slot_list(compiled: CompiledInstance, slots: frozenset[int]) -> str:
    labels = [str(compiled.slot_ids[slot]) for slot in sorted(slots)]
    return ", ".join(labels[:8]) + (", ..." if len(labels) > 8 else "")


def _capacity_overload(compiled: CompiledInstance) -> list[str]:
    reasons = []
    tables = compiled.capacity_per_slot()
    total_capacity = tables * compiled.n_slots
    if compiled.n_meetings > total_capacity:
        reasons.append(
            f"{compiled.n_meetings} meetings but only {compiled.n_slots} slots x {tables} tables = "
            f"{total_capacity} places"
        )
    by_domain: dict[frozenset[int], int] = defaultdict(int)
    for slots in compiled.allowed:
        if len(slots) < compiled.n_slots:
            by_domain[frozenset(slots)] += 1
    for domain, count in by_domain.items():
        if domain and count > len(domain) * tables:
            reasons.append(
                f"{count} meetings can only use the {len(domain)} slots {_slot_list(compiled, domain)}, "
                f"which hold at most {len(domain) * tables} meetings at {tables} tables"
            )
    needing_free = sum(compiled.needs_free_table)
    if needing_free > compiled.free_tables * compiled.n_slots:
        reasons.append(
            f"{needing_free} meetings need a shared table but {compiled.free_tables} shared tables x "
            f"{compiled.n_slots} slots hold only {compiled.free_tables * compiled.n_slots}"
        )
    return reasons


def _fixed_clashes(compiled: CompiledInstance) -> list[str]:
    reasons = []
    fixed_at: dict[tuple[int, int], int] = {}
    per_slot: dict[int, int] = defaultdict(int)
    for meeting, slots in enumerate(compiled.allowed):
        if compiled.instance.meetings[meeting].fixed_slot is None or len(slots) != 1:
            continue
        slot = slots[0]
        per_slot[slot] += 1
        for participant in compiled.pairs[meeting]:
            if (participant, slot) in fixed_at:
                reasons.append(
                    f"{_name(compiled, fixed_at[participant, slot])} and {_name(compiled, meeting)} are both "
                    f"fixed at slot {compiled.slot_ids[slot]}"
                )
            fixed_at[participant, slot] = meeting
    for slot, count in per_slot.items():
        if count > compiled.capacity_per_slot():
            reasons.append(
                f"{count} meetings are fixed at slot {compiled.slot_ids[slot]} but there are only "
                f"{compiled.capacity_per_slot()} tables"
            )
    return reasons


def _precedence_problems(compiled: CompiledInstance) -> list[str]:
    """Detect precedence cycles and chains that cannot fit between their earliest and latest slots."""
    earliest = [min(slots) if slots else 0 for slots in compiled.allowed]
    state = [0] * compiled.n_meetings
    order: list[int] = []

    def visit(start: int) -> list[int] | None:
        stack = [(start, iter(compiled.predecessors[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                order.append(node)
            elif state[child] == 1:
                return path[path.index(child) :]
            elif state[child] == 0:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(compiled.predecessors[child])))
        return None

    for meeting in range(compiled.n_meetings):
        if state[meeting] == 0:
            cycle = visit(meeting)
            if cycle:
                names = ", ".join(str(compiled.instance.meetings[m].id) for m in cycle)
                return [f"meetings {names} must each come before the next one in a cycle"]
    for meeting in order:
        for before in compiled.predecessors[meeting]:
            earliest[meeting] = max(earliest[meeting], earliest[before] + 1)
        if compiled.allowed[meeting] and earliest[meeting] > max(compiled.allowed[meeting]):
            return [
                f"{_name(compiled, meeting)} must come after a chain of meetings that ends too late: its "
                f"latest possible slot is {compiled.slot_ids[max(compiled.allowed[meeting])]}"
            ]
    return []
