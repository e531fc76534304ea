"""Plain-language reasons why no complete schedule can exist, found in polynomial time.

Domains are first tightened (a slot taken by a fixed meeting is not available to the other
meetings of its participants; precedences give each meeting an earliest and a latest slot).
Then Hall's condition is checked by bipartite matching (``hall``): per participant (its
meetings to distinct slots) and for the whole event (meetings to slots, at most one per table;
meetings without an owned table to the shared tables).  A failure names the meetings and the
slots that are too few for them.  These checks run before any SAT call: the questions they
answer are pigeonhole formulas for a SAT solver.  What they cannot see is left to the solver's
conflict analysis (``exact._conflict_explanation``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .compiled import CompiledInstance
from .deadline import Deadline
from .errors import Reason
from .hall import HallViolator, capacity_violator, unit_matching_violator
from .runs import run_break_bounds
from .validation import cycle_reason, meeting_label, precedence_order

SHOWN_MEETINGS = 12
"""How many meetings a reason lists before "...": enough to act on, short enough to read."""


def explain_infeasibility(
    compiled: CompiledInstance, require_all: bool = True, deadline: Deadline | None = None
) -> list[Reason]:
    """Return reasons that make a complete schedule impossible; an empty list means none found.

    Raises ``TimeLimitReached`` (through ``deadline.check``) if the time runs out meanwhile.
    """
    reasons: list[Reason] = []
    for meeting, slots in enumerate(compiled.allowed):
        if not slots:
            reasons.append(
                Reason(
                    f"{meeting_label(compiled, meeting)} has no slot where both participants are available"
                    + _restriction(compiled, meeting),
                    "no_common_slot",
                    [compiled.instance.meetings[meeting].id],
                    [compiled.participant_ids[p] for p in compiled.pairs[meeting]],
                )
            )
    if not require_all or reasons:
        return reasons
    domains, reasons = tightened_domains(compiled)
    if reasons:
        return reasons
    reasons += _participant_overload(compiled, domains, deadline)
    if not reasons:
        reasons += _capacity_overload(compiled, domains, deadline)
    return reasons


def tightened_domains(compiled: CompiledInstance) -> tuple[list[list[int]], list[Reason]]:
    """Allowed slots without those taken by fixed meetings of either participant and outside
    the window left by precedence chains; reasons if some meeting is left without a slot."""
    domains = [list(slots) for slots in compiled.allowed]
    settled: set[int] = set()
    changed = True
    while changed:
        changed = False
        for meeting, slots in enumerate(domains):
            if len(slots) != 1 or meeting in settled:
                continue
            settled.add(meeting)
            slot = slots[0]
            for participant in compiled.pairs[meeting]:
                for other in compiled.meetings_of[participant]:
                    if other != meeting and slot in domains[other]:
                        domains[other] = [t for t in domains[other] if t != slot]
                        changed = True
                        if not domains[other]:
                            return domains, [_squeezed_out(compiled, other, meeting)]
    return _precedence_windows(compiled, domains)


def _squeezed_out(compiled: CompiledInstance, meeting: int, fixed: int) -> Reason:
    slot = compiled.slot_ids[compiled.allowed[fixed][0]]
    return Reason(
        f"{meeting_label(compiled, meeting)} has no slot left: its only possible slot "
        f"{slot} is taken by {meeting_label(compiled, fixed)}",
        "squeezed_out",
        [compiled.instance.meetings[meeting].id, compiled.instance.meetings[fixed].id],
        slots=[slot],
    )


def _precedence_windows(
    compiled: CompiledInstance, domains: list[list[int]]
) -> tuple[list[list[int]], list[Reason]]:
    cycle, order = precedence_order(compiled.predecessors)
    if cycle:  # refused earlier by validation.check_constraints; kept safe for direct callers
        return domains, [cycle_reason(compiled, cycle)]
    if not any(compiled.predecessors):
        return domains, []
    earliest = [slots[0] if slots else 0 for slots in domains]
    for meeting in order:
        for before in compiled.predecessors[meeting]:
            earliest[meeting] = max(earliest[meeting], earliest[before] + 1)
        domains[meeting] = [t for t in domains[meeting] if t >= earliest[meeting]]
        if not domains[meeting]:
            latest = compiled.slot_ids[compiled.allowed[meeting][-1]]
            return domains, [
                Reason(
                    f"{meeting_label(compiled, meeting)} must come after a chain of meetings that ends "
                    f"too late: its latest possible slot is {latest}",
                    "precedence_too_late",
                    [compiled.instance.meetings[meeting].id],
                    slots=[latest],
                )
            ]
        earliest[meeting] = domains[meeting][0]
    latest = [slots[-1] for slots in domains]
    for meeting in reversed(order):
        domains[meeting] = [t for t in domains[meeting] if t <= latest[meeting]]
        if not domains[meeting]:
            last = [compiled.slot_ids[latest[meeting]]] if latest[meeting] >= 0 else []
            return domains, [
                Reason(
                    f"{meeting_label(compiled, meeting)} must come before meetings that cannot take "
                    f"place after slot {last[0] if last else '(none)'}",
                    "precedence_too_early",
                    [compiled.instance.meetings[meeting].id],
                    slots=last,
                )
            ]
        for before in compiled.predecessors[meeting]:
            latest[before] = min(latest[before], domains[meeting][-1] - 1)
    return domains, []


def _restriction(compiled: CompiledInstance, meeting: int) -> str:
    original = compiled.instance.meetings[meeting]
    parts = []
    if original.session is not None:
        parts.append(f"in session {original.session!r}")
    if original.fixed_slot is not None:
        parts.append(f"at its fixed slot {original.fixed_slot}")
    return f" ({', '.join(parts)})" if parts else ""


def _participant_overload(
    compiled: CompiledInstance, domains: list[list[int]], deadline: Deadline | None
) -> list[Reason]:
    reasons = []
    for participant, meetings in enumerate(compiled.meetings_of):
        if deadline is not None and participant % 256 == 0:
            deadline.check("the feasibility checks")
        person = compiled.participant_ids[participant]
        limit = compiled.max_meetings[participant]
        if limit is not None and len(meetings) > limit:
            reasons.append(
                Reason(
                    f"participant {person} has {len(meetings)} meetings but accepts at most {limit}",
                    "over_cap",
                    [compiled.instance.meetings[m].id for m in meetings],
                    [person],
                    count=len(meetings),
                    cap=limit,
                )
            )
        violator = unit_matching_violator([domains[m] for m in meetings])
        if violator is not None:
            chosen = [meetings[i] for i in violator.items]
            reasons.append(
                Reason(
                    f"participant {person} has {len(chosen)} meetings but only {len(violator.slots)} "
                    f"allowed slots: meetings {_meeting_ids(compiled, chosen)} can only take slots "
                    f"{_slot_list(compiled, violator.slots)}",
                    "participant_hall",
                    [compiled.instance.meetings[m].id for m in chosen],
                    [person],
                    [compiled.slot_ids[t] for t in sorted(violator.slots)],
                )
            )
    return reasons


def _meeting_ids(compiled: CompiledInstance, meetings: list[int]) -> str:
    labels = [str(compiled.instance.meetings[m].id) for m in meetings]
    shown = ", ".join(labels[:SHOWN_MEETINGS])
    return shown + (f", ... ({len(labels)} in all)" if len(labels) > SHOWN_MEETINGS else "")


def _slot_list(compiled: CompiledInstance, slots: Iterable[int]) -> str:
    labels = [str(compiled.slot_ids[slot]) for slot in sorted(slots)]
    return ", ".join(labels[:24]) + (", ..." if len(labels) > 24 else "")


def _capacity_overload(
    compiled: CompiledInstance, domains: list[list[int]], deadline: Deadline | None
) -> list[Reason]:
    tables = compiled.capacity_per_slot()
    total_capacity = tables * compiled.n_slots
    if compiled.n_meetings > total_capacity:
        return [
            Reason(
                f"{compiled.n_meetings} meetings but only {compiled.n_slots} slots x {tables} tables = "
                f"{total_capacity} places",
                "total_capacity",
                count=compiled.n_meetings,
                n_slots=compiled.n_slots,
                tables=tables,
                places=total_capacity,
            )
        ]
    if deadline is not None:
        deadline.check("the feasibility checks")
    violator = capacity_violator(domains, compiled.n_slots, tables)
    if violator is not None:
        return [_capacity_reason(compiled, violator, violator.items, shared=False)]
    shared = [m for m in range(compiled.n_meetings) if compiled.needs_free_table[m]]
    if compiled.free_tables < tables and shared:
        if deadline is not None:
            deadline.check("the feasibility checks")
        violator = capacity_violator([domains[m] for m in shared], compiled.n_slots, compiled.free_tables)
        if violator is not None:
            chosen = tuple(shared[i] for i in violator.items)
            return [_capacity_reason(compiled, violator, chosen, shared=True)]
    return []


def _capacity_reason(
    compiled: CompiledInstance, violator: HallViolator, meetings: tuple[int, ...], shared: bool
) -> Reason:
    places = len(violator.slots) * violator.capacity
    kind = "shared tables (no owned table)" if shared else "tables"
    return Reason(
        f"{len(meetings)} meetings can only use the {len(violator.slots)} slots "
        f"{_slot_list(compiled, violator.slots)}, which hold at most {places} meetings at "
        f"{violator.capacity} {kind}: meetings {_meeting_ids(compiled, list(meetings))}",
        "capacity_hall_shared" if shared else "capacity_hall",
        [compiled.instance.meetings[m].id for m in meetings],
        slots=[compiled.slot_ids[t] for t in violator.slots],
        places=places,
        tables=violator.capacity,
    )


def fairness_overload(
    compiled: CompiledInstance, own_bounds: list[int], fairness: int | None
) -> list[Reason]:
    """A participant whose own lower bound on breaks exceeds what the fairness rule allows.

    When some participant has a single meeting (0 breaks, always), the rule means "at most d
    breaks each"; a participant whose meetings (e.g. fixed far apart) need more cannot comply.
    The bounds may be partial (budgets), but each is proven, so the reason is too.
    """
    single = _single_meeting_participant(compiled, fairness)
    if single is None:
        return []
    reasons = []
    for participant, bound in enumerate(own_bounds):
        if bound > fairness:
            meetings = compiled.meetings_of[participant]
            labels = [
                f"{compiled.instance.meetings[m].id}"
                + (
                    f" (fixed at slot {compiled.instance.meetings[m].fixed_slot})"
                    if compiled.instance.meetings[m].fixed_slot is not None
                    else ""
                )
                for m in meetings
            ]
            reasons.append(
                _overload_reason(
                    compiled,
                    participant,
                    single,
                    f"needs at least {bound} breaks with its meetings {', '.join(labels)}",
                    bound,
                    fairness,
                )
            )
    return reasons


def run_overload(
    compiled: CompiledInstance, fairness: int | None, deadline: Deadline | None = None
) -> list[Reason]:
    """Like :func:`fairness_overload`, with the polynomial bounds of ``runs`` (before any SAT
    call), saying why: the runs of consecutive slots the participant's meetings can take, and
    how many of them the meetings need (the runs that cannot be left out are in the count, not
    in the sentence: the count is what the reader can check).  Nothing is computed when the
    rule does not cap anyone's breaks (no fairness bound, or nobody with a single meeting)."""
    single = _single_meeting_participant(compiled, fairness)
    if single is None:
        return []
    reasons = []
    for participant, bound in enumerate(run_break_bounds(compiled, deadline)):
        if bound.breaks <= fairness:
            continue
        meetings = compiled.meetings_of[participant]
        fixed = [
            f"{compiled.instance.meetings[m].id} at slot {compiled.instance.meetings[m].fixed_slot}"
            for m in meetings
            if compiled.instance.meetings[m].fixed_slot is not None
        ]
        which = f" (fixed: {', '.join(fixed)})" if fixed else ""
        runs = ", ".join(_run_label(compiled, run) for run in bound.runs)
        needed = f"all {bound.needed}" if bound.needed == len(bound.runs) else f"at least {bound.needed}"
        reasons.append(
            _overload_reason(
                compiled,
                participant,
                single,
                f"needs at least {bound.breaks} breaks: its {len(meetings)} meetings{which} can only take slots "
                f"{runs} ({len(bound.runs)} runs of consecutive slots) and need {needed} of these "
                "runs to get distinct slots, with a break between any two runs used on one day",
                bound.breaks,
                fairness,
                [t for run in bound.runs for t in run],
                runs=runs,
                needed=bound.needed,
            )
        )
    return reasons


def _single_meeting_participant(compiled: CompiledInstance, fairness: int | None) -> int | None:
    """A participant with a single meeting (never a break), if the fairness rule applies."""
    if fairness is None:
        return None
    return next((p for p, meetings in enumerate(compiled.meetings_of) if len(meetings) == 1), None)


def _overload_reason(
    compiled: CompiledInstance,
    participant: int,
    single: int,
    needs: str,
    bound: int,
    fairness: int,
    slots: Iterable[int] = (),
    **figures: object,
) -> Reason:
    meetings = compiled.meetings_of[participant]
    return Reason(
        f"participant {compiled.participant_ids[participant]} {needs}, but the fairness bound allows "
        f"at most {fairness} (participant {compiled.participant_ids[single]} has a single meeting, "
        f"hence no break, and break counts may differ by at most {fairness})",
        "fairness_overload",
        [compiled.instance.meetings[m].id for m in meetings],
        [compiled.participant_ids[participant], compiled.participant_ids[single]],
        [compiled.slot_ids[t] for t in slots],
        breaks=bound,
        fairness=fairness,
        **figures,
    )


def _run_label(compiled: CompiledInstance, run: tuple[int, ...]) -> str:
    first, last = compiled.slot_ids[run[0]], compiled.slot_ids[run[-1]]
    return f"{first}" if len(run) == 1 else f"{first}-{last}"
