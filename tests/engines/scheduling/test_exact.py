import dataclasses
import multiprocessing
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterxchange.engines.scheduling import exact
from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.exact import _probe, solve_exact
from clusterxchange.engines.scheduling.model import Meeting
from clusterxchange.engines.scheduling.sat_encoding import encode
from clusterxchange.engines.scheduling.verifier import verify

from .builders import brute_force_breaks, make_instance


def test_round_robin_of_four_needs_no_break():
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    schedule = solve_exact(instance, fairness=2, time_limit=20)
    assert schedule.status == "optimal" and schedule.proven
    assert schedule.objective == 0 == schedule.lower_bound
    assert verify(instance, schedule.placements, fairness=2).ok


def test_forbidden_slot_forces_a_break():
    instance = make_instance(3, 1, [(1, 2), (1, 3)], unavailable={1: {2}})
    schedule = solve_exact(instance, fairness=2, time_limit=20)
    assert (schedule.status, schedule.objective, schedule.proven) == ("optimal", 1, True)
    report = verify(instance, schedule.placements, fairness=2)
    assert report.ok and report.total_breaks == 1


class _Messages(list):
    send = list.append


def test_lookahead_turns_prover_once_a_schedule_one_above_the_bound_is_known():
    # The optimum is 1.  With LB = 0 and a schedule of 1 break already known, "at most LB + 1?"
    # is moot: the look-ahead refutes "at most 0" instead, which proves the known schedule.
    instance = make_instance(3, 1, [(1, 2), (1, 3)], unavailable={1: {2}})
    compiled = compile_instance(instance)
    encoding = encode(compiled, 2)
    lower, best, messages = multiprocessing.Value("i", 0), multiprocessing.Value("i", 1), _Messages()
    _probe(encoding, compiled.n_meetings, 1, lower, best, messages)
    assert messages == [("lower", 1, None)]
    assert lower.value == 1
    # Without a known schedule it looks ahead as before, reports one with 1 break, and then
    # (its own schedule being one above the bound) proves it.
    lower, best, messages = multiprocessing.Value("i", 0), multiprocessing.Value("i", 2**31 - 1), _Messages()
    _probe(encoding, compiled.n_meetings, 1, lower, best, messages)
    assert [(kind, value) for kind, value, _ in messages] == [("solution", 1), ("lower", 1)]
    assert best.value == 1 == lower.value


def test_fairness_zero_can_cost_breaks_or_make_it_infeasible():
    instance = make_instance(3, 1, [(1, 2), (1, 3)], unavailable={1: {2}})
    schedule = solve_exact(instance, fairness=0, time_limit=20)
    assert schedule.status == "infeasible"
    assert any("fairness" in line for line in schedule.explanation)


def test_overloaded_participant_is_explained():
    pairs = [(12, other) for other in range(1, 10)]
    instance = make_instance(8, 4, pairs)
    schedule = solve_exact(instance, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.explanation == [
        "participant 12 has 9 meetings but only 8 allowed slots: meetings 1, 2, 3, 4, 5, 6, 7, 8, 9 "
        "can only take slots 1, 2, 3, 4, 5, 6, 7, 8"
    ]


def test_precedences_and_fixed_slots_are_kept():
    instance = make_instance(4, 2, [(1, 2), (1, 3), (2, 3)])
    meetings = (
        dataclasses.replace(instance.meetings[0], after=(2,)),
        instance.meetings[1],
        dataclasses.replace(instance.meetings[2], fixed_slot=1),
    )
    instance = dataclasses.replace(instance, meetings=meetings)
    schedule = solve_exact(instance, time_limit=20)
    slots = [p.slot for p in schedule.placements]
    assert slots[2] == 1 and slots[1] < slots[0]
    assert verify(instance, schedule.placements, fairness=2).ok
    assert schedule.objective == brute_force_breaks(instance, 2)


def test_conflict_core_names_the_clashing_meetings():
    pairs = [(1, 2), (1, 3), (2, 3), (4, 5)]
    instance = make_instance(2, 3, pairs)
    schedule = solve_exact(instance, time_limit=20)
    assert schedule.status == "infeasible"
    assert schedule.explanation[0].startswith("these 3 meetings cannot all be scheduled together: ")
    assert "4" not in schedule.explanation[0].split(": ")[1]


@st.composite
def small_instances(draw):
    n_participants = draw(st.integers(2, 5))
    n_slots = draw(st.integers(2, 5))
    all_pairs = [(a, b) for a in range(1, n_participants + 1) for b in range(a + 1, n_participants + 1)]
    pairs = draw(st.lists(st.sampled_from(all_pairs), min_size=1, max_size=5, unique=True))
    unavailable = {
        p: draw(st.sets(st.integers(1, n_slots), max_size=1)) for p in range(1, n_participants + 1)
    }
    morning = draw(st.integers(1, n_slots))
    instance = make_instance(n_slots, draw(st.integers(1, 2)), pairs, n_participants, unavailable)
    from .builders import one_day

    meetings = tuple(
        dataclasses.replace(m, session=draw(st.sampled_from([None, None, "AM"]))) if morning < n_slots else m
        for m in instance.meetings
    )
    return dataclasses.replace(instance, days=one_day(n_slots, morning), meetings=meetings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=small_instances(), fairness=st.sampled_from([0, 1, 2]))
def test_matches_brute_force(instance, fairness):
    expected = brute_force_breaks(instance, fairness)
    schedule = solve_exact(instance, fairness=fairness, time_limit=20)
    if expected is None:
        assert schedule.status == "infeasible"
        assert schedule.explanation
    else:
        assert schedule.status == "optimal"
        assert schedule.objective == expected
        report = verify(instance, schedule.placements, fairness=fairness)
        assert report.ok, report.violations
        assert report.total_breaks == expected


def test_meeting_type_is_kept_in_placements():
    instance = make_instance(2, 1, [(1, 2)])
    instance = dataclasses.replace(instance, meetings=(Meeting("a", (1, 2)),))
    schedule = solve_exact(instance, time_limit=10)
    assert schedule.placements[0].meeting == "a"


def _idle_probe(*args):
    time.sleep(60)


def test_neighbourhood_search_joins_when_the_probes_are_slow(monkeypatch):
    # The probes never answer: the schedule must come from the search, started after at most
    # 15 % of the time limit, and it is proven because it meets the per-participant bound.
    monkeypatch.setattr(exact, "_probe", _idle_probe)
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    schedule = solve_exact(instance, fairness=2, time_limit=20)
    assert (schedule.status, schedule.objective) == ("optimal", 0)
    assert schedule.wall_time < 20


def test_probes_settle_a_quick_case_before_the_search_starts(monkeypatch):
    started = multiprocessing.get_context("fork").Value("i", 0)

    def recording_search(*args):
        started.value = 1

    monkeypatch.setattr(exact, "_search", recording_search)
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    schedule = solve_exact(instance, fairness=2, time_limit=60)
    assert (schedule.status, schedule.objective) == ("optimal", 0)
    assert started.value == 0


def test_search_leaves_the_cores_to_the_probes_once_a_schedule_one_above_the_bound_exists():
    instance = make_instance(3, 1, [(1, 2), (1, 3)], unavailable={1: {2}})
    compiled = compile_instance(instance)
    encoding = encode(compiled, 2)
    lower, best, messages = multiprocessing.Value("i", 0), multiprocessing.Value("i", 1), _Messages()
    exact._search(encoding, compiled, [0, 2], [1, 0, 0], 2, lower, best, messages)
    assert messages == []
    # Without such a schedule it publishes its own.
    best.value = 2**31 - 1
    exact._search(encoding, compiled, [0, 2], [1, 0, 0], 2, lower, best, messages)
    assert [(kind, value) for kind, value, _ in messages] == [("solution", 1)]


@pytest.mark.skipif(os.nice(0) >= 19, reason="the tests already run at the lowest priority (nice 19)")
def test_neighbourhood_search_runs_at_a_lower_priority_than_the_probes(monkeypatch):
    context = multiprocessing.get_context("fork")
    niceness = context.Value("i", -100)

    def recording_search(*args):
        niceness.value = os.nice(0)

    monkeypatch.setattr(exact, "_probe", _idle_probe)
    monkeypatch.setattr(exact, "_search", recording_search)
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    solve_exact(instance, fairness=2, time_limit=2)
    assert niceness.value > os.nice(0)


def test_the_search_works_on_the_domains_left_by_precedences_and_fixed_meetings(monkeypatch):
    # Meeting 3 comes after meeting 2, which comes after meeting 1: on 4 slots, meeting 1 can
    # only take slots 1-2, meeting 2 slots 2-3, meeting 3 slots 3-4; meeting 4 shares participant
    # 4 with meeting 5, fixed at slot 1.  The encoding, the greedy start and the bounds get these
    # narrowed domains, the explanation of an infeasibility keeps the full ones.
    instance = make_instance(
        4,
        2,
        [(1, 2), (2, 3), (3, 1), (4, 2), (4, 3)],
        meeting_options={2: {"after": (1,)}, 3: {"after": (2,)}, 5: {"fixed_slot": 1}},
    )
    encoded = []
    real_encode = exact.encode

    def recording_encode(compiled, *args):
        encoded.append([list(slots) for slots in compiled.allowed])
        return real_encode(compiled, *args)

    monkeypatch.setattr(exact, "encode", recording_encode)
    schedule = solve_exact(instance, fairness=2, time_limit=20)
    assert encoded[0] == [[0, 1], [1, 2], [2, 3], [1, 2, 3], [0]]
    assert schedule.status == "optimal"
    assert verify(instance, schedule.placements, fairness=2).ok


def _recording_probe(niceness):
    def probe(encoding, n_meetings, offset, *args):
        time.sleep(1.3)  # past half of the 2 s limit
        if offset == 1:
            niceness.value = os.nice(0)
        time.sleep(60)

    return probe


@pytest.mark.skipif(os.nice(0) >= 19, reason="the tests already run at the lowest priority (nice 19)")
def test_the_lookahead_yields_to_the_search_after_half_the_time(monkeypatch):
    # Probe 0 keeps its core; once half the time is gone with nothing settled, the look-ahead
    # leaves the other core to the neighbourhood search (forum-14 prec25: the search, starved by
    # the look-ahead, found 84-105 breaks where CP-SAT found 65).
    niceness = multiprocessing.get_context("fork").Value("i", -100)
    monkeypatch.setattr(exact, "_probe", _recording_probe(niceness))
    monkeypatch.setattr(exact, "_search", _idle_probe)
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    solve_exact(instance, fairness=2, time_limit=2)
    assert niceness.value == exact.LATE_LOOKAHEAD_NICENESS


@pytest.mark.skipif(os.nice(0) >= 19, reason="the tests already run at the lowest priority (nice 19)")
def test_the_lookahead_keeps_its_priority_when_the_search_has_ended(monkeypatch):
    # The search ends once a schedule one above the bound exists: the look-ahead is then the
    # second prover and keeps its core.
    niceness = multiprocessing.get_context("fork").Value("i", -100)
    monkeypatch.setattr(exact, "_probe", _recording_probe(niceness))
    monkeypatch.setattr(exact, "_search", lambda *args: None)
    instance = make_instance(3, 2, [(1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3)])
    solve_exact(instance, fairness=2, time_limit=2)
    assert niceness.value == os.nice(0)
