from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.greedy import AgendaState, construct, improve_breaks, repair
from clusterxchange.engines.scheduling.model import Day, Session

from .builders import make_instance

TWO_DAYS = (
    Day("d1", (Session("AM", (1, 2, 3)), Session("PM", (4, 5)))),
    Day("d2", (Session("AM", (6, 7, 8)),)),
)


@settings(max_examples=60, deadline=None)
@given(busy=st.sets(st.integers(0, 7)), position=st.integers(0, 7))
def test_break_delta_matches_recount(busy, position):
    compiled = compile_instance(make_instance(8, 1, [(1, 2)], days=TWO_DAYS))
    state = AgendaState.empty(compiled)
    mask = sum(1 << p for p in busy - {position})
    state.busy[0] = mask
    before = state.participant_breaks(0)
    delta = state.break_delta(0, position)
    state.busy[0] = mask | 1 << position
    assert state.participant_breaks(0) - before == delta


def test_construct_repair_and_improve_keep_a_valid_partial_schedule():
    pairs = [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (5, 1), (5, 2)]
    compiled = compile_instance(make_instance(4, 2, pairs))
    state = construct(compiled)
    repair(state, deadline=float("inf"))
    breaks_before = state.total_breaks()
    improve_breaks(state, deadline=float("inf"))
    assert state.total_breaks() <= breaks_before
    for participant, meetings in enumerate(compiled.meetings_of):
        slots = [state.slot[m] for m in meetings if state.slot[m] >= 0]
        assert len(slots) == len(set(slots))
        assert bin(state.busy[participant]).count("1") == len(slots)
