import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.scheduling import lower_bounds
from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.lower_bounds import (
    fits_without_break,
    participant_bounds,
    participant_break_bound,
)
from clusterxchange.engines.scheduling.model import Day, Session
from clusterxchange.engines.scheduling.runs import run_break_bound
from clusterxchange.engines.scheduling.verifier import count_breaks

from .builders import make_instance
from .test_runs import crowded

TWO_DAYS = (Day("d1", (Session("AM", (1, 2, 3)), Session("PM", (4, 5)))), Day("d2", (Session("AM", (6, 7)),)))


def _brute_force_own_bound(compiled, participant):
    """Fewest breaks of the participant alone over every placement of its meetings."""
    meetings = compiled.meetings_of[participant]
    best = None
    for slots in itertools.product(*(compiled.allowed[m] for m in meetings)):
        if len(set(slots)) == len(slots):
            breaks = count_breaks(sorted(slots), compiled.day_of_slot)
            best = breaks if best is None else min(best, breaks)
    return best


@settings(max_examples=80, deadline=None)
@given(
    pairs=st.lists(
        st.sampled_from([(1, 2), (1, 3), (1, 4), (1, 5), (2, 3)]), min_size=1, max_size=5, unique=True
    ),
    unavailable=st.dictionaries(st.integers(1, 5), st.sets(st.integers(1, 7), max_size=3)),
    two_days=st.booleans(),
)
def test_own_bound_and_window_test_match_brute_force(pairs, unavailable, two_days):
    days = TWO_DAYS if two_days else (Day("d1", (Session("AM", tuple(range(1, 8))),)),)
    compiled = compile_instance(make_instance(7, 3, pairs, 5, unavailable, days=days))
    for participant in range(compiled.n_participants):
        meetings = compiled.meetings_of[participant]
        if not meetings or any(not compiled.allowed[m] for m in meetings):
            continue
        expected = _brute_force_own_bound(compiled, participant)
        if expected is None:
            continue
        fits = fits_without_break(compiled, participant)
        # A window is enough for no break; on one day it is also necessary (over several days
        # the meetings may sit in one block per day).
        assert fits <= (expected == 0)
        if not two_days:
            assert fits == (expected == 0)
        assert participant_break_bound(compiled, participant) == expected
        # The runs bound is a floor: never above the fewest breaks, and starting there changes
        # nothing in the answer.
        floor = run_break_bound(compiled, participant).breaks
        assert floor <= expected
        assert participant_break_bound(compiled, participant, floor=floor) == expected


def test_a_one_day_participant_refused_a_window_has_a_break_without_any_sat_conflict():
    # Participant 1 cannot meet at slot 3 of 5: its four meetings fit no window of four slots.
    one_day = compile_instance(make_instance(5, 3, [(1, 2), (1, 3), (1, 4), (1, 5)], 5, {1: {3}}))
    assert not fits_without_break(one_day, 0)
    assert participant_break_bound(one_day, 0, conflicts=0) == 1
    assert participant_break_bound(one_day, 0) == 1
    # Over two days the meetings may sit in one block per day: the window test proves nothing.
    two_days = compile_instance(
        make_instance(7, 3, [(1, 2), (1, 3), (1, 4), (1, 5)], 5, {1: {3}}, days=TWO_DAYS)
    )
    assert participant_break_bound(two_days, 0, conflicts=0) == 0


def test_runs_bound_is_the_floor_when_no_sat_call_settles_anything(monkeypatch):
    """The crowded participant's runs need three breaks (``test_runs``); with every SAT call
    out of budget, its bound is still 3, and a participant not reached keeps its runs bound."""
    compiled = compile_instance(crowded())
    assert run_break_bound(compiled, 0).breaks == 3
    assert participant_break_bound(compiled, 0, conflicts=0) == 1
    assert participant_break_bound(compiled, 0, conflicts=0, floor=3) == 3
    monkeypatch.setattr(lower_bounds, "solve_within", lambda *args, **kwargs: None)
    assert participant_bounds(compiled, float("inf"))[0] == 3


def test_questions_below_the_floor_are_not_asked(monkeypatch):
    asked = []
    original = lower_bounds.solve_within

    def recording(solver, until, assumptions, conflicts=None):
        asked.append(assumptions)
        return original(solver, until, assumptions, conflicts)

    monkeypatch.setattr(lower_bounds, "solve_within", recording)
    compiled = compile_instance(crowded())
    assert participant_bounds(compiled, float("inf"))[0] == 3
    assert len(asked) == 1  # "at most 3?" only, answered yes
