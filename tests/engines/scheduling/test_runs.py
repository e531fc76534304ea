"""The polynomial bound on a participant's breaks from the runs of its usable slots, and the
infeasibility it proves before any SAT call (issue #21: forbidden-slot variants)."""

import itertools
import random

import pytest

from clusterxchange.engines.scheduling import exact, solve_exact
from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.diagnosis import run_overload
from clusterxchange.engines.scheduling.model import Day, Session
from clusterxchange.engines.scheduling.runs import RunBound, run_break_bound
from clusterxchange.engines.scheduling.verifier import count_breaks

from .builders import make_instance


def two_days(per_day: int) -> tuple[Day, ...]:
    return (
        Day("day 1", (Session("AM", tuple(range(1, per_day + 1))),)),
        Day("day 2", (Session("AM", tuple(range(per_day + 1, 2 * per_day + 1))),)),
    )


def crowded(seed: int = 21, meetings: int = 15, slots: int = 21, away: tuple = (3, 8, 16, 19)):
    """Participant 1 meets 15 others, each away at 3 random slots, and is itself away at 3, 8,
    16 and 19 (the shape of ticf-13crafa forbidden20); its partners have a single meeting each.
    Runs of 2, 4, 7, 2 and 2 usable slots: 15 meetings need four runs, three breaks."""
    rng = random.Random(seed)
    pairs = [(1, k) for k in range(2, meetings + 2)]
    unavailable: dict[int, set[int]] = {1: set(away)}
    for k in range(2, meetings + 2):
        unavailable[k] = set(rng.sample([t for t in range(1, slots + 1) if t not in away], 3))
    return make_instance(slots, 14, pairs, unavailable=unavailable)


def test_runs_between_forbidden_slots_need_breaks():
    """Five meetings, slots 3 and 6 forbidden: runs 1-2, 4-5, 7-8 hold two each, so three runs
    are needed, and on one day that is two breaks."""
    compiled = compile_instance(make_instance(8, 5, [(1, k) for k in range(2, 7)], unavailable={1: {3, 6}}))
    assert run_break_bound(compiled, 0) == RunBound(2, ((0, 1), (3, 4), (6, 7)), 3, (0, 1, 2))


def test_participant_whose_meetings_fit_one_run_gets_no_bound():
    compiled = compile_instance(make_instance(8, 5, [(1, 2), (1, 3)], unavailable={1: {3, 6}}))
    assert run_break_bound(compiled, 0).breaks == 0


def test_a_short_run_that_cannot_be_left_out_counts():
    """Meeting 1 can only take slot 1; the other two fit 3-8 alone, but slot 1 is forced, and
    slot 2 (forbidden) lies between: one break, which counting lengths alone would not see."""
    unavailable = {1: {2}, 2: set(range(2, 9))}
    compiled = compile_instance(make_instance(8, 5, [(1, 2), (1, 3), (1, 4)], unavailable=unavailable))
    bound = run_break_bound(compiled, 0)
    assert bound.breaks == 1
    assert bound.forced == (0, 1)


def test_each_day_has_one_run_without_a_break():
    """Two days of three slots, slots 2 and 5 forbidden: runs {1}, {3}, {4}, {6}; four meetings
    need all four runs, one break per day."""
    instance = make_instance(6, 5, [(1, k) for k in range(2, 6)], unavailable={1: {2, 5}}, days=two_days(3))
    assert run_break_bound(compile_instance(instance), 0).breaks == 2


@pytest.mark.parametrize("seed", range(40))
def test_bound_never_exceeds_the_fewest_breaks(seed):
    """Random participants with up to four meetings over one or two days, checked against every
    placement of their meetings."""
    rng = random.Random(seed)
    per_day = rng.choice([4, 5, 7])
    days = two_days(per_day) if rng.random() < 0.5 else None
    slots = 2 * per_day if days else per_day
    meetings = rng.randint(2, 4)
    unavailable = {p: set(rng.sample(range(1, slots + 1), rng.randint(0, slots // 2))) for p in range(1, 6)}
    instance = make_instance(slots, 5, [(1, k) for k in range(2, meetings + 2)], 6, unavailable, days=days)
    compiled = compile_instance(instance)
    domains = [compiled.allowed[m] for m in compiled.meetings_of[0]]
    fewest = min(
        (
            count_breaks(sorted(choice), compiled.day_of_slot)
            for choice in itertools.product(*domains)
            if len(set(choice)) == len(choice)
        ),
        default=None,
    )
    bound = run_break_bound(compiled, 0).breaks
    assert fewest is None or bound <= fewest


def test_exact_mode_refutes_before_any_sat_call(monkeypatch):
    """The crowded participant needs three breaks where d = 2 allows two: the answer comes from
    the runs (the SAT encoding is never built), naming the participant and its runs."""

    def no_sat(*args, **kwargs):
        raise AssertionError("the SAT encoding should not be needed")

    monkeypatch.setattr(exact, "encode", no_sat)
    monkeypatch.setattr(exact, "participant_bounds", no_sat)
    schedule = solve_exact(crowded(), fairness=2, time_limit=10)
    assert schedule.status == "infeasible" and schedule.proven
    assert schedule.explanation == [
        "participant 1 needs at least 3 breaks: its 15 meetings can only take slots 1-2, 4-7, 9-15, "
        "17-18, 20-21 (5 runs of consecutive slots) and need at least 4 of these runs to get distinct "
        "slots, with a break between any two runs used on one day, but the fairness bound allows at "
        "most 2 (participant 2 has a single meeting, hence no break, and break counts may differ by "
        "at most 2)"
    ]
    reason = schedule.explanation[0]
    assert reason.code == "fairness_overload"
    assert reason.participants == (1, 2)
    assert reason.meetings == tuple(range(1, 16))
    assert reason.slots == (1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18, 20, 21)
    assert reason.figures == {"breaks": 3, "fairness": 2, "runs": "1-2, 4-7, 9-15, 17-18, 20-21", "needed": 4}


def test_bound_at_the_fairness_limit_is_not_a_refutation():
    """Two breaks needed, two allowed: solved, with two breaks for participant 1."""
    pairs = [(1, k) for k in range(2, 7)] + [(7, 8)]
    schedule = solve_exact(make_instance(8, 5, pairs, unavailable={1: {3, 6}}), fairness=2, time_limit=10)
    assert schedule.status == "optimal"
    assert schedule.objective == 2


def test_no_refutation_without_a_cap_on_breaks():
    """No fairness bound (the product's setting), or one the participant meets: no reason."""
    compiled = compile_instance(crowded())
    assert run_overload(compiled, None) == []
    assert run_overload(compiled, 3) == []
    assert [reason.code for reason in run_overload(compiled, 2)] == ["fairness_overload"]
