"""The adapter to the scheduler engine: the instance it builds, the placements it writes back,
and (when the engine's solve API is there) schedules that honour availability, tables and locks."""

import pytest
from django.utils import translation

from clusterxchange.core.domain import Refused
from clusterxchange.engines.scheduling import model as engine_model
from clusterxchange.events import schedule_reasons, scheduling
from clusterxchange.events.domain import matchmaking, registering, timetable
from clusterxchange.events.models import Meeting, SchedulingRun

pytestmark = pytest.mark.django_db


def _engine_solves() -> bool:
    from clusterxchange.engines import scheduling as engine

    return hasattr(engine, "solve_oversubscribed")


needs_engine = pytest.mark.skipif(
    not _engine_solves(), reason="the scheduler engine's solve API is not there yet"
)


def test_instance_mirrors_the_event(busy):
    built = scheduling.build_instance(busy.event)
    instance = built.instance
    assert [day.name for day in instance.days] == [busy.event.start_date.isoformat()]
    assert [s.name for s in instance.days[0].sessions] == [f"s{busy.session_am.pk}", f"s{busy.session_pm.pk}"]
    assert len(instance.slots) == 8
    assert len(instance.tables) == 3
    assert len(instance.meetings) == 5
    participant = instance.participant(busy.participant.pk)
    assert participant.unavailable == frozenset(busy.session_pm.slots.values_list("pk", flat=True))
    assert participant.max_meetings == busy.event.meeting_cap
    must = [m for m in instance.meetings if m.must_meet]
    assert len(must) == 1 and must[0].priority > 1


def test_locked_and_published_meetings_are_fixed(busy, world):
    meetings = list(Meeting.objects.filter(event=busy.event).order_by("pk"))
    slots = list(busy.session_am.slots.order_by("starts_at"))
    table = busy.event.tables.first()
    Meeting.objects.filter(pk=meetings[0].pk).update(slot=slots[1], table=table, locked=True)
    Meeting.objects.filter(pk=meetings[1].pk).update(
        slot=slots[2], table=table, published_slot=slots[2], published_table=table
    )
    built = scheduling.build_instance(busy.event)
    by_id = {m.id: m for m in built.instance.meetings}
    assert by_id[meetings[0].pk].locked and by_id[meetings[0].pk].fixed_slot == slots[1].pk
    # a published meeting is not fixed: the engine moves as few as possible and never drops it for new ones
    assert not by_id[meetings[1].pk].locked and by_id[meetings[1].pk].must_meet
    assert built.hints[meetings[1].pk] == slots[2].pk
    assert not by_id[meetings[2].pk].locked


def test_published_meeting_in_a_slot_that_became_impossible_is_released(busy, world):
    meeting = Meeting.objects.filter(event=busy.event, first=busy.participant).first()
    pm_slot = busy.session_pm.slots.first()
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=pm_slot, published_slot=pm_slot, table=busy.event.tables.first()
    )
    built = scheduling.build_instance(busy.event)
    assert meeting.pk in built.released and meeting.pk not in built.hints
    assert not {m.id: m for m in built.instance.meetings}[meeting.pk].locked


def test_exhibitor_table_is_passed_as_owned(busy, world):
    table = busy.event.tables.first()
    timetable.assign_table(world.users["manager"], table, busy.other, "Booth 1")
    built = scheduling.build_instance(busy.event)
    assert {t.id: t.owner for t in built.instance.tables}[table.pk] == busy.other.pk
    assert built.instance.participant(busy.other.pk).own_table == table.pk


def test_apply_writes_placements_and_reasons(busy):
    built = scheduling.build_instance(busy.event)
    slot = built.instance.slots[0]
    table = built.instance.tables[0].id
    placements = [
        engine_model.Placement(
            meeting=m.id,
            slot=slot if i == 0 else None,
            table=table if i == 0 else None,
            reason=None if i == 0 else "no common free slot",
        )
        for i, m in enumerate(built.instance.meetings)
    ]
    placed, moved = scheduling.apply_schedule(busy.event, built, placements)
    assert (placed, moved) == (1, 0)
    first = Meeting.objects.get(pk=built.instance.meetings[0].id)
    assert (first.slot_id, first.table_id) == (slot, table)
    assert Meeting.objects.get(pk=built.instance.meetings[1].id).scheduler_note == {
        "code": "",
        "text": "no common free slot",
    }


def test_run_refuses_without_grid_or_meetings(world):
    from tests.events.conftest import make_event

    event = make_event(world)
    with pytest.raises(Refused, match="session"):
        scheduling.start_run(world.users["manager"], event)


def test_a_second_run_while_one_is_running_is_refused(busy, world):
    SchedulingRun.objects.create(event=busy.event, status="running")
    with pytest.raises(Refused, match="already running"):
        scheduling.start_run(world.users["manager"], busy.event)


@needs_engine
def test_scheduled_agenda_honours_availability_tables_and_locks(
    busy, world, django_capture_on_commit_callbacks
):
    locked = Meeting.objects.filter(event=busy.event, first=busy.other).first()
    late_slot = list(busy.session_am.slots.order_by("starts_at"))[-1]
    table = busy.event.tables.order_by("number").last()
    Meeting.objects.filter(pk=locked.pk).update(slot=late_slot, table=table, locked=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.start_run(world.users["manager"], busy.event)
    run.refresh_from_db()
    assert run.status == "done", run.message
    meetings = list(Meeting.objects.filter(event=busy.event).select_related("slot"))
    assert all(m.slot_id and m.table_id for m in meetings)
    pm = set(busy.session_pm.slots.values_list("pk", flat=True))
    for m in meetings:
        if busy.participant.pk in (m.first_id, m.second_id):
            assert m.slot_id not in pm  # the participant is away in the afternoon
    seen_people, seen_tables = set(), set()
    for m in meetings:
        for person in (m.first_id, m.second_id):
            assert (m.slot_id, person) not in seen_people
            seen_people.add((m.slot_id, person))
        assert (m.slot_id, m.table_id) not in seen_tables
        seen_tables.add((m.slot_id, m.table_id))
    locked.refresh_from_db()
    assert (locked.slot_id, locked.table_id) == (late_slot.pk, table.pk)


@needs_engine
def test_rescheduling_keeps_published_meetings_and_notifies_only_changes(
    busy, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        scheduling.start_run(world.users["manager"], busy.event)
    timetable.publish_agenda(world.users["manager"], busy.event, final=False)
    before = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.filter(event=busy.event)}
    # a late accepted request between the two newcomers
    third, fourth = busy.people[2], busy.people[3]
    late = matchmaking.request_meeting(third.user, third, fourth)
    matchmaking.respond(fourth.user, late, True)
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.start_run(world.users["manager"], busy.event)
    run.refresh_from_db()
    assert run.status == "done" and run.moved == 0
    after = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.filter(event=busy.event)}
    assert all(after[pk] == place for pk, place in before.items())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notified = timetable.publish_agenda(world.users["manager"], busy.event, final=True)
    assert notified == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([third.user.email, fourth.user.email])


def test_a_locked_meeting_is_never_dropped_by_the_write_back(busy):
    meeting = Meeting.objects.filter(event=busy.event).first()
    slot = busy.session_am.slots.first()
    Meeting.objects.filter(pk=meeting.pk).update(slot=slot, table=busy.event.tables.first(), locked=True)
    built = scheduling.build_instance(busy.event)
    placements = [
        engine_model.Placement(meeting=m.id, slot=None, reason="conflict") for m in built.instance.meetings
    ]
    scheduling.apply_schedule(busy.event, built, placements)
    meeting.refresh_from_db()
    assert meeting.slot_id == slot.pk and meeting.scheduler_note["kept_locked"]
    with translation.override("en"):
        said = schedule_reasons.notes(busy.event, [meeting])[meeting.pk]
    assert said == "Locked, but the scheduler could not keep it: conflict"


@needs_engine
def test_participant_leaving_early_moves_only_their_meeting(busy, world, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        scheduling.start_run(world.users["manager"], busy.event)
    # The organiser puts Gamma Robotics' meeting with Epsilon in the afternoon, where both are free.
    gamma_epsilon = Meeting.objects.get(event=busy.event, first=busy.other, second=busy.people[3])
    busy_slots = {
        m.slot_id
        for m in Meeting.objects.filter(event=busy.event).exclude(pk=gamma_epsilon.pk)
        if {m.first_id, m.second_id} & {busy.other.pk, busy.people[3].pk}
    }
    free_pm = next(s for s in busy.session_pm.slots.order_by("starts_at") if s.pk not in busy_slots)
    used_tables = set(Meeting.objects.filter(slot=free_pm).values_list("table_id", flat=True))
    table = next(t for t in busy.event.tables.all() if t.pk not in used_tables)
    Meeting.objects.filter(pk=gamma_epsilon.pk).update(slot=free_pm, table=table)
    timetable.publish_agenda(world.users["manager"], busy.event, final=True)
    # Gamma Robotics (other) leaves before the afternoon; its afternoon meetings must move.
    registering.set_availability(world.users["outsider"], busy.other, [busy.session_pm], None)
    pm = set(busy.session_pm.slots.values_list("pk", flat=True))
    before = {m.pk: m.slot_id for m in Meeting.objects.filter(event=busy.event)}
    affected = {
        pk
        for pk, slot in before.items()
        if slot in pm
        and busy.other.pk in Meeting.objects.filter(pk=pk).values_list("first_id", "second_id")[0]
    }
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.start_run(world.users["manager"], busy.event)
    run.refresh_from_db()
    assert run.status == "done", run.message
    after = {m.pk: m.slot_id for m in Meeting.objects.filter(event=busy.event)}
    for pk, slot in after.items():
        meeting = Meeting.objects.get(pk=pk)
        if busy.other.pk in (meeting.first_id, meeting.second_id):
            assert slot not in pm
    moved = {pk for pk in before if before[pk] != after[pk]}
    assert gamma_epsilon.pk in affected and affected <= moved
    assert run.moved == len(moved)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        timetable.publish_agenda(world.users["manager"], busy.event, final=True)
    if moved:
        expected = set()
        for meeting in Meeting.objects.filter(pk__in=moved).select_related("first__user", "second__user"):
            expected |= {meeting.first.user.email, meeting.second.user.email}
        assert {m.to[0] for m in mail.outbox} == expected


def test_a_stale_run_does_not_block(busy, world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    stale = SchedulingRun.objects.create(event=busy.event, status="running")
    SchedulingRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=False):
        run = scheduling.start_run(world.users["manager"], busy.event)
    assert run.pk != stale.pk
