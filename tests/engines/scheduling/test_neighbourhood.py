import contextlib
import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.exact import _solver, solve_exact
from clusterxchange.engines.scheduling.greedy import construct
from clusterxchange.engines.scheduling.neighbourhood import (
    NeighbourhoodSearch,
    reversal_symmetric,
    symmetry_clauses,
)
from clusterxchange.engines.scheduling.sat_encoding import encode
from clusterxchange.engines.scheduling.tables import assign_tables
from clusterxchange.engines.scheduling.verifier import verify

from .builders import brute_force_breaks, make_instance


def _round_robin(n_people: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(1, n_people + 1), 2))


def test_reversal_symmetry_is_recognised_only_when_time_can_run_backwards():
    pairs = [(1, 2), (2, 3), (1, 3)]
    assert reversal_symmetric(compile_instance(make_instance(4, 2, pairs)))
    # A forbidden slot at one end breaks the mirror image.
    assert not reversal_symmetric(compile_instance(make_instance(4, 2, pairs, unavailable={1: {1}})))
    # A forbidden slot in the middle of an odd day keeps it.
    assert reversal_symmetric(compile_instance(make_instance(5, 2, pairs, unavailable={1: {3}})))
    instance = make_instance(4, 2, pairs)
    ordered = dataclasses.replace(
        instance, meetings=(dataclasses.replace(instance.meetings[0], after=(2,)), *instance.meetings[1:])
    )
    assert not reversal_symmetric(compile_instance(ordered))


def test_symmetry_clauses_confine_one_meeting_of_the_busiest_participant_to_the_first_half():
    compiled = compile_instance(make_instance(5, 2, [(1, 2), (1, 3), (1, 4), (2, 3)]))
    encoding = encode(compiled, 2)
    clauses = symmetry_clauses(compiled, encoding)
    forbidden = {-clause[0] for clause in clauses}
    meeting = next(m for m in compiled.meetings_of[0] if encoding.placement_literals.get((m, 4)) in forbidden)
    assert forbidden == {encoding.placement_literals[meeting, t] for t in (3, 4)}


def test_neighbourhood_search_improves_a_poor_schedule_and_stays_valid():
    instance = make_instance(6, 3, _round_robin(6))
    compiled = compile_instance(instance)
    # Whatever schedule the solver finds first, usually with waiting times.
    with _search_from_first_schedule(compiled, seed=3) as (search, total):
        for _ in range(200):
            if total == 0:
                break
            improved = search.step()
            if improved is not None:
                assert improved < total
                total = improved
        placements = _placements(instance, compiled, search.positions)
    report = verify(instance, placements, fairness=2)
    assert report.ok, report.violations
    assert report.total_breaks == total == sum(search.breaks)
    assert total == 0


def test_sideways_steps_move_meetings_without_adding_breaks():
    # Six people, five slots, a day with waiting time for some: after every step the schedule
    # is valid and no worse, and with patience 0 half the steps are sideways moves, so the
    # schedule keeps changing even once no step can improve it.
    instance = make_instance(5, 3, [*_round_robin(5), (1, 6), (2, 6)])
    compiled = compile_instance(instance)
    with _search_from_first_schedule(compiled, seed=1, patience=0) as (search, total):
        seen = {tuple(search.positions)}
        for _ in range(60):
            improved = search.step()
            assert sum(search.breaks) <= total
            if improved is not None:
                assert improved == sum(search.breaks) < total
            total = sum(search.breaks)
            seen.add(tuple(search.positions))
            report = verify(instance, _placements(instance, compiled, search.positions), fairness=2)
            assert report.ok, report.violations
            assert report.total_breaks == total
    assert len(seen) > 3


def test_start_from_completes_a_partial_greedy_schedule():
    instance = make_instance(5, 2, _round_robin(5))
    compiled = compile_instance(instance)
    encoding = encode(compiled, 2)
    warm = construct(compiled)
    positions = list(warm.slot)
    positions[0] = -1  # as if the greedy had left a meeting out
    with _solver(encoding) as solver:
        search = NeighbourhoodSearch(solver, encoding, compiled, [0] * compiled.n_participants)
        model = search.start_from(positions, fairness=2)
        assert model is not None
        search.adopt(model)
    report = verify(instance, _placements(instance, compiled, search.positions), fairness=2)
    assert report.ok, report.violations


@contextlib.contextmanager
def _search_from_first_schedule(compiled, **options):
    """A neighbourhood search (fairness 2, no own bounds) started from the solver's first schedule,
    with that schedule's total breaks."""
    encoding = encode(compiled, 2)
    with _solver(encoding) as solver:
        assert solver.solve()
        model = solver.get_model()  # before the search adds its clauses to the solver
        search = NeighbourhoodSearch(solver, encoding, compiled, [0] * compiled.n_participants, **options)
        yield search, search.adopt(model)


def _placements(instance, compiled, positions):
    return assign_tables(compiled, positions)


@st.composite
def symmetric_instances(draw):
    """One session, no forbidden slots: every instance is symmetric in time."""
    n_participants = draw(st.integers(2, 5))
    n_slots = draw(st.integers(2, 5))
    all_pairs = list(itertools.combinations(range(1, n_participants + 1), 2))
    pairs = draw(st.lists(st.sampled_from(all_pairs), min_size=1, max_size=6, unique=True))
    return make_instance(n_slots, draw(st.integers(1, 2)), pairs, n_participants)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=symmetric_instances(), fairness=st.sampled_from([0, 1, 2]))
def test_symmetry_breaking_keeps_the_brute_force_optimum(instance, fairness):
    assert reversal_symmetric(compile_instance(instance))
    expected = brute_force_breaks(instance, fairness)
    schedule = solve_exact(instance, fairness=fairness, time_limit=20)
    if expected is None:
        assert schedule.status == "infeasible"
    else:
        assert (schedule.status, schedule.objective) == ("optimal", expected)
        report = verify(instance, schedule.placements, fairness=fairness)
        assert report.ok, report.violations
        assert report.total_breaks == expected
