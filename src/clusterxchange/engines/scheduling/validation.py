"""Contradictions in what the organiser fixed, reported as bad input before any solving.

A meeting fixed at a slot where one of its participants is unavailable (or outside its
session), two fixed meetings of one participant at the same slot, more fixed meetings at a slot
than tables, a precedence cycle, or two fixed meetings in the wrong order for a precedence: none
of these is a scheduling question, so :func:`check_constraints` raises :class:`InputError`
naming every meeting involved, and nothing is solved (or written to the event).
A fixed slot that does not exist is already refused by ``compile_instance``.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .compiled import CompiledInstance, compile_instance
from .deadline import Deadline
from .errors import InputError, Reason
from .model import Instance


def meeting_label(compiled: CompiledInstance, meeting: int) -> str:
    a, b = compiled.pairs[meeting]
    return (
        f"meeting {compiled.instance.meetings[meeting].id} "
        f"(participants {compiled.participant_ids[a]} and {compiled.participant_ids[b]})"
    )


def precedence_order(predecessors: list[list[int]]) -> tuple[list[int] | None, list[int]]:
    """A cycle of meetings (each must come before the next) if there is one, else ``None``,
    and an order in which every meeting comes after its predecessors (complete only if acyclic)."""
    state = [0] * len(predecessors)
    order: list[int] = []
    for start in range(len(predecessors)):
        if state[start]:
            continue
        stack = [(start, iter(predecessors[start]))]
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
                return path[path.index(child) :], order
            elif state[child] == 0:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(predecessors[child])))
    return None, order


def cycle_reason(compiled: CompiledInstance, cycle: list[int]) -> Reason:
    ids = [compiled.instance.meetings[m].id for m in cycle]
    names = ", ".join(str(meeting) for meeting in ids)
    return Reason(f"meetings {names} must each come before the next one, in a cycle", "precedence_cycle", ids)


def constraint_problems(compiled: CompiledInstance) -> list[Reason]:
    problems = _fixed_at_forbidden_slots(compiled) + _fixed_clashes(compiled)
    cycle, _ = precedence_order(compiled.predecessors)
    if cycle:
        problems.append(cycle_reason(compiled, cycle))
    else:
        problems += _fixed_against_precedences(compiled)
    return problems


def check_constraints(compiled: CompiledInstance) -> None:
    problems = constraint_problems(compiled)
    if problems:
        raise InputError("contradictory constraints: " + "; ".join(problems), problems)


def _fixed(compiled: CompiledInstance) -> dict[int, int]:
    """Fixed meetings and the position of their fixed slot."""
    position = {slot: index for index, slot in enumerate(compiled.slot_ids)}
    return {
        number: position[meeting.fixed_slot]
        for number, meeting in enumerate(compiled.instance.meetings)
        if meeting.fixed_slot is not None
    }


def _fixed_at_forbidden_slots(compiled: CompiledInstance) -> list[Reason]:
    problems = []
    for meeting, slot in _fixed(compiled).items():
        original = compiled.instance.meetings[meeting]
        away = [
            compiled.participant_ids[p]
            for p in compiled.pairs[meeting]
            if original.fixed_slot in compiled.instance.participants[p].unavailable
        ]
        for person in away:
            problems.append(
                Reason(
                    f"{meeting_label(compiled, meeting)} is fixed at slot {original.fixed_slot}, "
                    f"where participant {person} is unavailable",
                    "fixed_unavailable",
                    [original.id],
                    [person],
                    [original.fixed_slot],
                )
            )
        if not away and slot not in compiled.allowed[meeting]:
            problems.append(
                Reason(
                    f"{meeting_label(compiled, meeting)} is fixed at slot {original.fixed_slot}, "
                    f"outside its session {original.session!r}",
                    "fixed_outside_session",
                    [original.id],
                    slots=[original.fixed_slot],
                    session=original.session,
                )
            )
    return problems


def _fixed_clashes(compiled: CompiledInstance) -> list[Reason]:
    problems = []
    fixed = _fixed(compiled)
    holder: dict[tuple[int, int], int] = {}
    per_slot: dict[int, list[int]] = defaultdict(list)
    for meeting, slot in fixed.items():
        per_slot[slot].append(meeting)
        for participant in compiled.pairs[meeting]:
            other = holder.setdefault((participant, slot), meeting)
            if other != meeting:
                problems.append(
                    Reason(
                        f"{meeting_label(compiled, other)} and {meeting_label(compiled, meeting)} are both "
                        f"fixed at slot {compiled.slot_ids[slot]}",
                        "fixed_clash",
                        [compiled.instance.meetings[other].id, compiled.instance.meetings[meeting].id],
                        [compiled.participant_ids[participant]],
                        [compiled.slot_ids[slot]],
                    )
                )
    tables = compiled.capacity_per_slot()
    for slot, meetings in sorted(per_slot.items()):
        shared = [m for m in meetings if compiled.needs_free_table[m]]
        if len(meetings) > tables:
            problems.append(
                Reason(
                    f"{len(meetings)} meetings are fixed at slot {compiled.slot_ids[slot]} but there are "
                    f"only {tables} tables: meetings {_ids(compiled, meetings)}",
                    "fixed_over_tables",
                    [compiled.instance.meetings[m].id for m in meetings],
                    slots=[compiled.slot_ids[slot]],
                    tables=tables,
                )
            )
        elif len(shared) > compiled.free_tables:
            problems.append(
                Reason(
                    f"{len(shared)} meetings fixed at slot {compiled.slot_ids[slot]} need a shared table "
                    f"but there are only {compiled.free_tables}: meetings {_ids(compiled, shared)}",
                    "fixed_over_shared_tables",
                    [compiled.instance.meetings[m].id for m in shared],
                    slots=[compiled.slot_ids[slot]],
                    tables=compiled.free_tables,
                )
            )
    return problems


def _fixed_against_precedences(compiled: CompiledInstance) -> list[Reason]:
    problems = []
    fixed = _fixed(compiled)
    for meeting, befores in enumerate(compiled.predecessors):
        for before in befores:
            if meeting in fixed and before in fixed and fixed[before] >= fixed[meeting]:
                problems.append(
                    Reason(
                        f"{meeting_label(compiled, meeting)} is fixed at slot "
                        f"{compiled.slot_ids[fixed[meeting]]} but must come after "
                        f"{meeting_label(compiled, before)}, fixed at slot {compiled.slot_ids[fixed[before]]}",
                        "fixed_against_precedence",
                        [compiled.instance.meetings[meeting].id, compiled.instance.meetings[before].id],
                        slots=[compiled.slot_ids[fixed[meeting]], compiled.slot_ids[fixed[before]]],
                    )
                )
    return problems


def _ids(compiled: CompiledInstance, meetings: list[int]) -> str:
    return ", ".join(str(compiled.instance.meetings[m].id) for m in meetings)


def compiled_and_checked(instance: Instance, deadline: Deadline) -> CompiledInstance:
    """Every mode's first phase: compile within ``deadline`` (its time measured, so that the
    finishing reserve follows the machine's speed) and refuse contradictory constraints. Raises
    ``TimeLimitReached`` when the deadline passes while compiling, ``InputError`` on bad input."""
    compile_started = time.monotonic()
    compiled = compile_instance(instance, deadline)
    deadline.measured_compile(time.monotonic() - compile_started)
    check_constraints(compiled)
    return compiled
