import dataclasses

from clusterxchange.engines.scheduling.exact import solve_exact
from clusterxchange.engines.scheduling.model import Meeting, Participant
from clusterxchange.engines.scheduling.rescheduling import reschedule
from clusterxchange.engines.scheduling.verifier import verify

from .builders import make_instance


def test_new_unavailability_moves_few_meetings_and_keeps_locked_ones():
    pairs = [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)]
    instance = make_instance(4, 2, pairs)
    published = solve_exact(instance, time_limit=10)
    previous = {p.meeting: p.slot for p in published.placements}
    locked_id = 2
    meetings = tuple(
        dataclasses.replace(m, locked=True, fixed_slot=previous[m.id]) if m.id == locked_id else m
        for m in instance.meetings
    )
    blocked = previous[1]
    people = tuple(
        Participant(p.id, unavailable=frozenset({blocked})) if p.id == 1 else p for p in instance.participants
    )
    changed = dataclasses.replace(instance, meetings=meetings, participants=people)
    schedule = reschedule(changed, previous, time_limit=10)
    report = verify(changed, schedule.placements, require_all=False, previous=previous)
    assert report.ok, report.violations
    assert schedule.placed == len(pairs)
    assert schedule.placements[1].slot == previous[locked_id]
    assert schedule.placements[0].slot != blocked
    assert schedule.moved == report.moved
    assert 1 <= schedule.moved <= 3


def test_cancelled_and_new_meetings():
    instance = make_instance(3, 2, [(1, 2), (2, 3), (3, 4)])
    published = solve_exact(instance, time_limit=10)
    previous = {p.meeting: p.slot for p in published.placements}
    meetings = (instance.meetings[0], instance.meetings[2], Meeting(9, (1, 4)))
    changed = dataclasses.replace(instance, meetings=meetings)
    schedule = reschedule(changed, previous, time_limit=10)
    assert verify(changed, schedule.placements, previous=previous).ok
    assert schedule.moved == 0
    assert schedule.placed == 3
