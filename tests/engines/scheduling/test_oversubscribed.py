import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.model import Participant
from clusterxchange.engines.scheduling.oversubscribed import solve_oversubscribed
from clusterxchange.engines.scheduling.upper_bound import placed_upper_bound
from clusterxchange.engines.scheduling.verifier import verify

from .builders import make_instance


def brute_force_most_placed(instance) -> int:
    compiled = compile_instance(instance)
    best = 0
    options = [[-1, *slots] for slots in compiled.allowed]
    for assignment in itertools.product(*options):
        used: set[tuple[int, int]] = set()
        per_slot: dict[int, int] = {}
        valid = True
        for meeting, position in enumerate(assignment):
            if position < 0:
                continue
            per_slot[position] = per_slot.get(position, 0) + 1
            for participant in compiled.pairs[meeting]:
                if (participant, position) in used:
                    valid = False
                used.add((participant, position))
        if valid and max(per_slot.values(), default=0) <= compiled.capacity_per_slot():
            best = max(best, sum(1 for p in assignment if p >= 0))
    return best


def test_popular_participant_keeps_must_meet_first_and_explains_the_rest():
    pairs = [(1, other) for other in range(2, 7)]
    instance = make_instance(3, 3, pairs)
    meetings = list(instance.meetings)
    meetings[4] = dataclasses.replace(meetings[4], must_meet=True)
    meetings[3] = dataclasses.replace(meetings[3], priority=5)
    instance = dataclasses.replace(instance, meetings=tuple(meetings))
    schedule = solve_oversubscribed(instance, time_limit=10)
    report = verify(instance, schedule.placements, require_all=False)
    assert report.ok, report.violations
    assert schedule.placed == 3 == schedule.placed_upper_bound
    assert schedule.placements[4].slot is not None and schedule.placements[3].slot is not None
    unscheduled = [p for p in schedule.placements if p.slot is None]
    assert len(unscheduled) == 2
    assert all("no common free slot" in p.reason for p in unscheduled)


def test_max_meetings_is_respected_and_reported():
    instance = make_instance(4, 2, [(1, 2), (1, 3), (1, 4)])
    people = list(instance.participants)
    people[0] = Participant(1, max_meetings=1)
    instance = dataclasses.replace(instance, participants=tuple(people))
    schedule = solve_oversubscribed(instance, time_limit=10)
    assert schedule.placed == 1 == schedule.placed_upper_bound
    assert any("maximum of 1 meetings" in (p.reason or "") for p in schedule.placements)


def test_upper_bound_uses_tables_and_time():
    instance = make_instance(2, 1, [(1, 2), (3, 4), (5, 6)])
    assert placed_upper_bound(compile_instance(instance)) == 2


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_slots=st.integers(1, 3),
    tables=st.integers(1, 2),
    pairs=st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 4)).filter(lambda p: p[0] < p[1]), min_size=1, max_size=6
    ),
)
def test_places_as_many_as_brute_force(n_slots, tables, pairs):
    instance = make_instance(n_slots, tables, pairs, n_participants=4)
    schedule = solve_oversubscribed(instance, time_limit=10)
    assert verify(instance, schedule.placements, require_all=False).ok
    best = brute_force_most_placed(instance)
    assert schedule.placed == best
    assert best <= schedule.placed_upper_bound
