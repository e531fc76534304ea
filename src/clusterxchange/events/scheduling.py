"""The adapter between the event models and the B2B scheduler engine.

`build_instance` turns an event's time grid, tables, participants (availability, meeting cap,
own table) and active meetings into the engine's `Instance`; `solve` picks the engine's mode and
keeps the event's time budget; `apply_schedule` writes the engine's placements back. Locked
meetings are passed as fixed at their slot (a locked meeting whose slot is gone or blocked for a
participant is contradictory input: refused before solving, nothing written); published meetings
stay where the participants saw them unless their slot has become impossible, in which case the
engine may move them and the move is reported. Identifiers are database keys: slot, table,
registration and meeting ids.
"""

import dataclasses
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.engines import scheduling as engine
from clusterxchange.engines.scheduling import model as engine_model
from clusterxchange.engines.scheduling.deadline import Deadline
from clusterxchange.events import schedule_reasons
from clusterxchange.events.models import LOST_AFTER, Event, Meeting, Registration, SchedulingRun, Slot
from clusterxchange.events.tasks import run_scheduler

STALE_RUN = LOST_AFTER  # a run not finished by then lost its task: it stops blocking a new run
EXACT_MAX_PAIRS = 60_000
"""Meeting x slot pairs up to which the exact mode is tried (as the engine's CP-SAT models): its
SAT model grows with them, and a trade show of tens of thousands of meetings is oversubscribed
anyway. Measured with benchmarks/scheduling/bench_threshold.py (docs/benchmarks.md): below it the
exact mode never did harm (an oversubscribed event is answered "infeasible" in under half a
second), and where everything fits it leaves 40-55 % fewer breaks up to 66,000 pairs."""
EXACT_SHARE = 0.7
"""Share of the event's time budget the exact mode may use; the rest is kept for the agenda of
the fallback (most important meetings first) when it proves that not every meeting fits or finds
no complete agenda in time."""
FAIRNESS = None
"""The exact mode's fairness bound on break counts: none. With a participant who has a single
meeting, a bound of d means "at most d breaks each", which meetings locked far apart can make
impossible; an organiser asked for every meeting placed, not for equal breaks."""


@dataclass
class Built:
    instance: engine_model.Instance
    meetings: dict[int, Meeting]
    previous: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)  # published meetings whose slot became impossible
    hints: dict[int, int] = field(default_factory=dict)  # meeting id -> slot it had (published first)

    @property
    def published(self) -> bool:
        return any(meeting.is_published for meeting in self.meetings.values())


@dataclass
class Solved:
    """What a run writes: the agenda (``None``: nothing), the mode that made it, and what the exact
    mode (if tried) could say: its status, the breaks and the proven lower bound, its reasons."""

    schedule: engine_model.Schedule | None
    mode: str
    outcome: str
    breaks: int | None = None
    lower_bound: int | None = None
    reasons: list = field(default_factory=list)

    @property
    def placements(self) -> list:
        return [] if self.schedule is None else self.schedule.placements


def build_instance(event: Event) -> Built:
    """Raises the engine's `InputError` for a locked meeting whose slot no longer exists."""
    sessions = list(event.sessions.prefetch_related("slots").order_by("date", "start_time"))
    slots_of_session = {
        s.pk: [slot.pk for slot in sorted(s.slots.all(), key=lambda x: x.starts_at)] for s in sessions
    }
    days: dict = {}
    for session in sessions:
        if slots_of_session[session.pk]:
            days.setdefault(session.date, []).append(
                engine_model.Session(name=f"s{session.pk}", slots=tuple(slots_of_session[session.pk]))
            )
    engine_days = tuple(
        engine_model.Day(name=day.isoformat(), sessions=tuple(day_sessions))
        for day, day_sessions in sorted(days.items())
    )
    meetings = list(
        event.meetings.filter(
            status=Meeting.Status.ACTIVE,
            first__status=Registration.Status.VALIDATED,
            second__status=Registration.Status.VALIDATED,
        ).order_by("pk")
    )
    built_ids = {m.pk for m in meetings}
    earlier_of: dict[int, set[int]] = {}  # the organiser's "meet A before B" among these meetings
    for later, earlier in Meeting.after.through.objects.filter(from_meeting__event=event).values_list(
        "from_meeting_id", "to_meeting_id"
    ):
        if later in built_ids and earlier in built_ids:
            earlier_of.setdefault(later, set()).add(earlier)
    tables = list(event.tables.order_by("number"))
    people = {m.first_id for m in meetings} | {m.second_id for m in meetings}
    owners = {t.owner_id: t.pk for t in tables if t.owner_id}
    registrations = (
        event.registrations.filter(pk__in=people | set(owners), status=Registration.Status.VALIDATED)
        .prefetch_related("unavailable_sessions")
        .order_by("pk")
    )
    participants, unavailable_of = [], {}
    for registration in registrations:
        unavailable = frozenset(
            slot
            for session in registration.unavailable_sessions.all()
            for slot in slots_of_session.get(session.pk, [])
        )
        unavailable_of[registration.pk] = unavailable
        participants.append(
            engine_model.Participant(
                id=registration.pk,
                unavailable=unavailable,
                max_meetings=registration.cap,
                own_table=owners.get(registration.pk),
            )
        )
    known = {p.id for p in participants}
    engine_tables = tuple(
        engine_model.Table(id=t.pk, owner=t.owner_id if t.owner_id in known else None) for t in tables
    )
    valid_slots = {slot for slots in slots_of_session.values() for slot in slots}
    lost = [m.pk for m in meetings if m.locked and m.slot_id not in valid_slots]
    if lost:
        raise engine.InputError(
            f"locked meetings {lost} have no slot any more",
            [
                engine.Reason(f"locked meeting {pk} has no slot any more", "locked_without_slot", [pk])
                for pk in lost
            ],
        )
    engine_meetings, released, previous, hints = [], [], {}, {}
    for meeting in meetings:
        previous[meeting.pk] = (meeting.slot_id, meeting.table_id)
        away = unavailable_of.get(meeting.first_id, frozenset()) | unavailable_of.get(
            meeting.second_id, frozenset()
        )
        fixed = meeting.slot_id if meeting.locked else None
        earlier = meeting.published_slot_id if meeting.is_published else meeting.slot_id
        if earlier in valid_slots and earlier not in away:
            hints[meeting.pk] = earlier
        elif meeting.is_published:
            released.append(meeting.pk)
        engine_meetings.append(
            engine_model.Meeting(
                id=meeting.pk,
                participants=(meeting.first_id, meeting.second_id),
                priority=2 if meeting.must_meet else 1,
                # A published meeting is a promise: it outweighs every new ordinary meeting.
                must_meet=meeting.must_meet or meeting.is_published or fixed is not None,
                fixed_slot=fixed,
                locked=fixed is not None,
                after=tuple(sorted(earlier_of.get(meeting.pk, ()))),
            )
        )
    instance = engine_model.Instance(
        days=engine_days,
        tables=engine_tables,
        participants=tuple(participants),
        meetings=tuple(engine_meetings),
        name=event.slug,
    )
    return Built(
        instance=instance,
        meetings={m.pk: m for m in meetings},
        previous=previous,
        released=released,
        hints=hints,
    )


def check_ready(event: Event) -> None:
    if not Slot.objects.filter(session__event=event).exists():
        raise Refused(_("Define at least one session with time slots first."))
    if not event.tables.exists():
        raise Refused(_("Define the tables first (at least one)."))
    if not event.meetings.filter(status=Meeting.Status.ACTIVE).exists():
        raise Refused(_("There are no accepted meetings to schedule yet."))


def start_run(actor, event: Event) -> SchedulingRun:
    """Queue a scheduling run for the event (a background task); refuse while one is running."""

    require(actor, "events.schedule", event)
    check_ready(event)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        recent = timezone.now() - STALE_RUN  # a run that never finished (a worker died) stops blocking
        if event.scheduling_runs.filter(
            status__in=[SchedulingRun.Status.QUEUED, SchedulingRun.Status.RUNNING], created_at__gte=recent
        ).exists():
            raise Refused(_("The scheduler is already running for this event."))
        run = SchedulingRun.objects.create(event=event, created_by=actor if actor.is_authenticated else None)
        audit.record(actor, "events.schedule.start", event, comment=f"run {run.pk}")
    transaction.on_commit(lambda: run_scheduler.enqueue(run.pk))
    return run


def _progress(run_id: int, percent: int, message: str = "") -> None:
    SchedulingRun.objects.filter(pk=run_id).update(progress=max(0, min(100, int(percent))), message=message)


def write_places(meetings: list[Meeting], columns: list[str]) -> None:
    """One parameterised UPDATE per meeting, sent with executemany: for thousands of meetings this
    is an order of magnitude faster than `bulk_update`'s CASE expressions."""
    if not meetings:
        return
    table = connection.ops.quote_name(Meeting._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    model_fields = [Meeting._meta.get_field(column) for column in columns]
    rows = [
        [f.get_db_prep_save(getattr(meeting, f.attname), connection) for f in model_fields] + [meeting.pk]
        for meeting in meetings
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)  # noqa: S608  # quoted names from the model, values as parameters  # nosec B608


def _keep_locked_tables(built: Built, placements: list) -> list:
    """The engine fixes a locked meeting's slot; its table is kept by swapping with the meeting the
    engine put there (tables without an owner are interchangeable within a slot)."""
    owned = {table.id for table in built.instance.tables if table.owner is not None}
    at = {(p.slot, p.table): index for index, p in enumerate(placements) if p.slot is not None}
    for index, placement in enumerate(placements):
        meeting = built.meetings.get(placement.meeting)
        if meeting is None or not meeting.locked or placement.slot != meeting.slot_id:
            continue
        wanted = meeting.table_id
        if wanted is None or placement.table == wanted or wanted in owned or placement.table in owned:
            continue
        other = at.get((placement.slot, wanted))
        if other is not None:
            placements[other] = dataclasses.replace(placements[other], table=placement.table)
            at[(placement.slot, placement.table)] = other
        placements[index] = dataclasses.replace(placement, table=wanted)
        at[(placement.slot, wanted)] = index
    return placements


@transaction.atomic
def apply_schedule(event: Event, built: Built, placements) -> tuple[int, int]:
    """Write the engine's placements back; return (placed, moved)."""
    placed = moved = 0
    changed = []
    placements = _keep_locked_tables(built, list(placements))
    for placement in placements:
        meeting = built.meetings.get(placement.meeting)
        if meeting is None:
            continue
        slot, table = placement.slot, placement.table if placement.slot is not None else None
        note = {} if slot is not None else schedule_reasons.note(placement.reason)
        if slot is None and meeting.locked and meeting.slot_id is not None:
            # Never drop a locked meeting silently: it keeps its place, and the reason is shown.
            slot, table = meeting.slot_id, meeting.table_id
            note = schedule_reasons.note(placement.reason, kept_locked=True)
        if meeting.pk in built.released and slot is not None:
            note = dict(schedule_reasons.MOVED_PUBLISHED)
        before = built.previous.get(meeting.pk, (None, None))
        if slot is not None:
            placed += 1
            if before[0] is not None and slot != before[0]:
                moved += 1
        if (meeting.slot_id, meeting.table_id, meeting.scheduler_note) != (slot, table, note):
            meeting.slot_id, meeting.table_id, meeting.scheduler_note = slot, table, note
            changed.append(meeting)
    write_places(changed, ["slot_id", "table_id", "scheduler_note"])
    return placed, moved


def time_limit_for(instance: engine_model.Instance) -> float:
    """Seconds the engine may search: a few for a small session, up to two minutes for a trade show."""
    return min(120.0, 4.0 + len(instance.meetings) / 200)


def exact_applies(built: Built) -> bool:
    """Every meeting must be placed (nothing published to keep) and the event is small enough."""
    pairs = len(built.instance.meetings) * len(built.instance.slots)
    return not built.published and pairs <= EXACT_MAX_PAIRS


def solve(built: Built, progress=None, time_limit: float | None = None) -> Solved:
    """The engine's modes, within one time budget (`time_limit_for` the event unless given):
    `solve_exact` when it applies (every meeting placed, fewest breaks, optimality proven or the
    reason why not every meeting fits); otherwise, or when it proves that not all fit or finds
    no complete agenda in time, `solve_oversubscribed` for a first agenda (as many meetings as
    fit, must-meet first) or `reschedule` when meetings already have places (keeps locked ones,
    moves as few as possible). `verify` checks every answer independently."""
    instance = built.instance
    limit = time_limit_for(instance) if time_limit is None else time_limit
    deadline = Deadline(limit)
    if not exact_applies(built):
        schedule = _fallback(built, deadline, progress)
        if schedule.status == "unknown":  # no agenda in time: nothing is written
            return Solved(None, schedule.mode, "unknown", reasons=schedule.explanation)
        return Solved(schedule, schedule.mode, schedule.status, schedule.objective)

    def report(best, bound, elapsed) -> None:
        if progress is None:
            return
        if best is None:
            message = _("Looking for an agenda with every meeting; it needs at least %(bound)s breaks.")
        else:
            message = _("Best agenda so far: %(breaks)s breaks; at least %(bound)s are needed.")
        progress(min(1.0, elapsed / limit), message % {"breaks": best, "bound": bound})

    exact = engine.solve_exact(
        instance, fairness=FAIRNESS, deadline=Deadline(limit * EXACT_SHARE), progress=report
    )
    if exact.status in ("optimal", "feasible"):  # a complete agenda: the figures say the rest
        return Solved(_verified(instance, exact), "exact", exact.status, exact.objective, exact.lower_bound)
    schedule = _fallback(built, deadline, progress)
    if exact.status == "unknown" and schedule.placed == len(instance.meetings):
        # Every meeting placed after all: a complete agenda, and the exact mode's bound holds for it.
        return Solved(schedule, schedule.mode, "feasible", schedule.objective, exact.lower_bound)
    return Solved(
        schedule if schedule.placed else None,
        schedule.mode,
        exact.status,
        schedule.objective,
        None,
        exact.explanation,
    )


def _fallback(built: Built, deadline: Deadline, progress) -> engine_model.Schedule:
    limit = deadline.limit
    if built.hints:
        schedule = engine.reschedule(built.instance, built.hints, deadline=deadline)
    else:

        def report(placed, bound, elapsed) -> None:
            if progress is not None:
                progress(
                    min(1.0, elapsed / limit),
                    _("%(placed)s of at most %(bound)s meetings placed so far.")
                    % {"placed": placed, "bound": bound},
                )

        schedule = engine.solve_oversubscribed(built.instance, deadline=deadline, progress=report)
    return _verified(built.instance, schedule, built.hints)


def _verified(
    instance, schedule: engine_model.Schedule, previous: dict | None = None
) -> engine_model.Schedule:
    report = engine.verify(instance, schedule.placements, require_all=False, previous=previous or None)
    if not report.ok:
        raise ValueError(
            _("The schedule failed verification: %(problems)s")
            % {"problems": "; ".join(report.violations[:5])}
        )
    return schedule


def run(run_id: int) -> SchedulingRun:
    """The body of the background task: build, solve, verify, write back, record the figures.
    Contradictory settings (the engine's `InputError`) end the run before solving, with the
    reasons and nothing written. A run that turns up after it was shown lost does nothing."""
    run = SchedulingRun.objects.select_related("event").get(pk=run_id)
    if run.lost:
        return run  # its page said it failed and a newer run may have started: it must not run now
    event = run.event
    SchedulingRun.objects.filter(pk=run_id).update(status=SchedulingRun.Status.RUNNING, progress=5)
    try:
        built = build_instance(event)
        _progress(run_id, 10, _("Prepared %(n)d meetings.") % {"n": len(built.instance.meetings)})

        def report(fraction: float, message: str = "") -> None:
            _progress(run_id, 10 + int(80 * fraction), message)

        solved = solve(built, progress=report)
        placed = moved = 0
        if solved.schedule is not None:
            placed, moved = apply_schedule(event, built, solved.schedule.placements)
        SchedulingRun.objects.filter(pk=run_id).update(
            status=SchedulingRun.Status.DONE,
            progress=100,
            meetings=len(built.instance.meetings),
            placed=placed,
            moved=moved,
            mode=solved.mode,
            outcome=solved.outcome,
            breaks=solved.breaks if solved.schedule is not None else None,
            lower_bound=solved.lower_bound,
            reasons=schedule_reasons.stored(solved.reasons),
            finished_at=timezone.now(),
            message="",
        )
        audit.record(
            run.created_by,
            "events.schedule.done",
            event,
            changes={
                "placed": str(placed),
                "meetings": str(len(built.instance.meetings)),
                "moved": str(moved),
                "outcome": solved.outcome,
            },
        )
    except engine.InputError as exc:
        SchedulingRun.objects.filter(pk=run_id).update(
            status=SchedulingRun.Status.FAILED,
            outcome=SchedulingRun.Outcome.BAD_INPUT,
            reasons=schedule_reasons.stored(exc.reasons or [str(exc)]),
            finished_at=timezone.now(),
            message=_("Nothing was scheduled: the settings contradict each other."),
        )
    except Exception as exc:  # the run must end visibly, whatever went wrong
        SchedulingRun.objects.filter(pk=run_id).update(
            status=SchedulingRun.Status.FAILED, finished_at=timezone.now(), message=str(exc)[:2000]
        )
        if not isinstance(exc, ValueError):
            raise
    run.refresh_from_db()
    return run


def meetings_of(registration: Registration):
    return Meeting.objects.filter(
        Q(first=registration) | Q(second=registration), status=Meeting.Status.ACTIVE
    )
