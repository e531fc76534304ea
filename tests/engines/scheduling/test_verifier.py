import dataclasses

from clusterxchange.engines.scheduling.model import Day, Placement, Session, Table
from clusterxchange.engines.scheduling.verifier import count_breaks, verify

from .builders import make_instance


def test_count_breaks_counts_idle_runs_within_a_day_only():
    day_of = [0, 0, 0, 0, 0, 1, 1, 1]
    assert count_breaks([0, 1, 2], day_of) == 0
    assert count_breaks([0, 3], day_of) == 1
    assert count_breaks([0, 2, 4], day_of) == 2
    assert count_breaks([4, 5], day_of) == 0
    assert count_breaks([3, 7], day_of) == 0


def test_valid_schedule_metrics():
    instance = make_instance(4, 2, [(1, 2), (1, 3), (2, 3)])
    placements = [Placement(1, 1, 1), Placement(2, 3, 1), Placement(3, 2, 2)]
    report = verify(instance, placements, fairness=2)
    assert report.ok, report.violations
    assert report.breaks == {1: 1, 2: 0, 3: 0}
    assert report.total_breaks == 1
    assert report.placed == 3
    assert report.table_changes == 2


def test_detects_every_kind_of_violation():
    instance = make_instance(3, 1, [(1, 2), (1, 3), (2, 3)], unavailable={3: {3}})
    meetings = list(instance.meetings)
    meetings[2] = dataclasses.replace(meetings[2], after=(1,), session="AM")
    instance = dataclasses.replace(instance, meetings=tuple(meetings))
    placements = [Placement(1, 2, 1), Placement(2, 2, 1), Placement(3, 1, None)]
    problems = " | ".join(verify(instance, placements).violations)
    assert "participant 1 has meetings 1 and 2 at slot 2" in problems
    assert "table 1 holds meetings 1 and 2 at slot 2" in problems
    assert "meeting 3 has no table" in problems
    assert "meeting 1 must come before meeting 3" in problems


def test_fairness_and_exhibitor_tables():
    day = Day("d", (Session("AM", (1, 2, 3, 4, 5)),))
    instance = make_instance(5, 2, [(1, 2), (1, 3), (1, 4)], days=(day,))
    instance = dataclasses.replace(instance, tables=(Table("own", owner=1), Table("shared")))
    placements = [Placement(1, 1, "shared"), Placement(2, 3, "own"), Placement(3, 5, "own")]
    report = verify(instance, placements, fairness=1)
    assert "meeting 1 involves an exhibitor but is not at the exhibitor's table" in report.violations
    assert "break counts differ by 2, more than the fairness bound 1" in report.violations


def test_unscheduled_meetings_allowed_only_when_not_required():
    instance = make_instance(2, 1, [(1, 2), (1, 3)])
    placements = [Placement(1, 1, 1), Placement(2, None)]
    assert not verify(instance, placements).ok
    assert verify(instance, placements, require_all=False).ok


def test_moved_count_against_previous_schedule():
    instance = make_instance(3, 1, [(1, 2), (1, 3)])
    report = verify(instance, [Placement(1, 1, 1), Placement(2, 3, 1)], previous={1: 1, 2: 2})
    assert report.moved == 1
