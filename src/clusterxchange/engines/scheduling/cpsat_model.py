"""CP-SAT model shared by the oversubscribed and re-scheduling modes on small and medium events.

Breaks are counted as "blocks of consecutive meetings minus one" per participant and day: a
block starts at t when the participant is busy at t and idle at t-1.  For the modes that use
this model, the number of breaks is only minimised (never bounded from below), so the one-sided
linear definition is exact at the optimum.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .compiled import CompiledInstance
from .deadline import TimeLimitReached


@dataclass
class CpSatModel:
    model: cp_model.CpModel
    at: dict[tuple[int, int], cp_model.IntVar]
    placed: list[cp_model.IntVar]
    breaks: cp_model.LinearExpr
    break_terms: list[cp_model.IntVar]


def build_model(compiled: CompiledInstance, require_all: bool, until: float = math.inf) -> CpSatModel:
    """The model; raises ``TimeLimitReached`` at the monotonic time ``until`` (building it through
    the Python API took 3-4.6 s for 45,000 meeting x slot pairs on a loaded machine)."""

    def check() -> None:
        if time.monotonic() >= until:
            raise TimeLimitReached("building the CP-SAT model")

    model = cp_model.CpModel()
    at: dict[tuple[int, int], cp_model.IntVar] = {}
    placed = []
    for meeting, positions in enumerate(compiled.allowed):
        if meeting % 256 == 0:
            check()
        literals = []
        for position in positions:
            literal = model.new_bool_var(f"m{meeting}t{position}")
            at[meeting, position] = literal
            literals.append(literal)
        done = model.new_bool_var(f"placed{meeting}")
        model.add(sum(literals) == done)
        if require_all or compiled.instance.meetings[meeting].fixed_slot is not None:
            model.add(done == 1)
        placed.append(done)

    for position in range(compiled.n_slots):
        check()
        here = [at[m, position] for m in range(compiled.n_meetings) if (m, position) in at]
        if len(here) > compiled.capacity_per_slot():
            model.add(sum(here) <= compiled.capacity_per_slot())
        shared = [
            at[m, position]
            for m in range(compiled.n_meetings)
            if (m, position) in at and compiled.needs_free_table[m]
        ]
        if len(shared) > compiled.free_tables:
            model.add(sum(shared) <= compiled.free_tables)

    for meeting, befores in enumerate(compiled.predecessors):
        for before in befores:
            for position in compiled.allowed[meeting]:
                late = [at[before, p] for p in compiled.allowed[before] if p >= position]
                for literal in late:
                    model.add_bool_or([at[meeting, position].Not(), literal.Not()])
                if require_all:
                    model.add_implication(at[meeting, position], placed[before])

    break_terms = []
    for participant, meetings in enumerate(compiled.meetings_of):
        if participant % 64 == 0:
            check()
        if not meetings:
            continue
        limit = compiled.max_meetings[participant]
        if limit is not None and limit < len(meetings):
            model.add(sum(placed[m] for m in meetings) <= limit)
        busy = []
        for position in range(compiled.n_slots):
            literals = [at[m, position] for m in meetings if (m, position) in at]
            if not literals:
                busy.append(None)
                continue
            model.add_at_most_one(literals)
            busy.append(literals)
        break_terms += _block_starts(compiled, model, participant, busy, [placed[m] for m in meetings])
    return CpSatModel(model=model, at=at, placed=placed, breaks=sum(break_terms), break_terms=break_terms)


def _block_starts(
    compiled: CompiledInstance,
    model: cp_model.CpModel,
    participant: int,
    busy: list[list[cp_model.IntVar] | None],
    placed: list[cp_model.IntVar],
) -> list[cp_model.IntVar]:
    """Literals whose sum is at least this participant's breaks: block starts minus active days."""
    terms: list[cp_model.IntVar] = []
    days: dict[int, list[int]] = {}
    for position in range(compiled.n_slots):
        days.setdefault(compiled.day_of_slot[position], []).append(position)
    blocks = []
    actives = []
    for positions in days.values():
        day_busy = [(p, busy[p]) for p in positions if busy[p]]
        if not day_busy:
            continue
        active = model.new_bool_var(f"p{participant}day{positions[0]}")
        for _, literals in day_busy:
            for literal in literals:
                model.add_implication(literal, active)
        model.add_bool_or([lit for _, literals in day_busy for lit in literals] + [active.Not()])
        actives.append(active)
        for position, literals in day_busy:
            previous = busy[position - 1] if position > positions[0] else None
            start = model.new_bool_var(f"p{participant}s{position}")
            if previous:
                model.add(start >= sum(literals) - sum(previous))
            else:
                model.add(start >= sum(literals))
            blocks.append(start)
    count = model.new_int_var(0, compiled.n_slots, f"breaks{participant}")
    model.add(count >= sum(blocks) - sum(actives))
    terms.append(count)
    return terms


def positions_from(solver: cp_model.CpSolver, built: CpSatModel, compiled: CompiledInstance) -> list[int]:
    positions = [-1] * compiled.n_meetings
    for (meeting, position), literal in built.at.items():
        if solver.boolean_value(literal):
            positions[meeting] = position
    return positions


def add_hint(built: CpSatModel, positions: list[int]) -> None:
    for (meeting, position), literal in built.at.items():
        built.model.add_hint(literal, positions[meeting] == position)
