import dataclasses

import pytest
from pysat.solvers import Solver

from clusterxchange.engines.scheduling import sat_encoding
from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.model import Table
from clusterxchange.engines.scheduling.sat_encoding import encode

from .builders import make_instance


def _solver(encoding, dropped=()):
    solver = Solver(name="glucose4", bootstrap_with=encoding.clauses)
    solver.add_clause([encoding.fairness_selector])
    for meeting, selector in enumerate(encoding.meeting_selectors):
        solver.add_clause([-selector if meeting in dropped else selector])
    return solver


def test_participant_busy_in_more_slots_than_meetings_fails_by_propagation_alone():
    # Participant 1 has 3 meetings; busy in all 4 slots is a pigeonhole conflict that the
    # implied count "busy in exactly 3 slots" exposes without any search.
    compiled = compile_instance(make_instance(4, 3, [(1, 2), (1, 3), (1, 4)]))
    encoding = encode(compiled, 2)
    with _solver(encoding) as solver:
        consistent, _ = solver.propagate(assumptions=encoding.busy_of[0])
        assert not consistent
        consistent, _ = solver.propagate(assumptions=encoding.busy_of[0][:3])
        assert consistent


@pytest.mark.parametrize("large_counter", [sat_encoding.LARGE_COUNTER, 0])
def test_more_busy_participants_in_a_slot_than_two_per_table_fails_by_propagation_alone(
    monkeypatch, large_counter
):
    # With large_counter 0 the count is a cardinality network, as on large events.
    monkeypatch.setattr(sat_encoding, "LARGE_COUNTER", large_counter)
    # A triangle: whichever meetings the three busy participants have at slot 1, the single
    # table is exceeded; only the count of busy participants sees that without search.
    compiled = compile_instance(make_instance(3, 1, [(1, 2), (1, 3), (2, 3)]))
    encoding = encode(compiled, 2)
    with _solver(encoding) as solver:
        consistent, _ = solver.propagate(assumptions=[encoding.busy_of[p][0] for p in range(3)])
        assert not consistent


def test_a_dropped_meeting_frees_its_participants_from_the_busy_count():
    # The infeasibility explanation switches meetings off through their selectors: participant 1
    # is then busy in fewer slots than it has meetings, which the guard must allow.
    compiled = compile_instance(make_instance(4, 3, [(1, 2), (1, 3), (1, 4)]))
    encoding = encode(compiled, 2)
    dropped = 0
    with _solver(encoding, dropped=(dropped,)) as solver:
        for position in compiled.allowed[dropped]:
            solver.add_clause([-encoding.placement_literals[dropped, position]])
        assert solver.solve()
        model = set(solver.get_model())
        assert sum(literal in model for literal in encoding.busy_of[0]) == 2


def _counts_over_all_meetings_of_a_slot(monkeypatch, instance):
    """The at-most counts whose literals are every meeting's placement at one slot."""
    calls = []
    real = sat_encoding._cardinality

    def recording(literals, bound, pool):
        calls.append(list(literals))
        return real(literals, bound, pool)

    monkeypatch.setattr(sat_encoding, "_cardinality", recording)
    compiled = compile_instance(instance)
    encoding = encode(compiled, 2)
    per_slot = [
        [
            encoding.placement_literals[m, t]
            for m in range(compiled.n_meetings)
            if (m, t) in encoding.placement_literals
        ]
        for t in range(compiled.n_slots)
    ]
    return [literals for literals in calls if literals in per_slot]


def test_without_owned_tables_the_meetings_of_a_slot_are_counted_once(monkeypatch):
    # Every table is shared: the count of clusters per slot already holds the meetings to the
    # tables. A second count over all the slot's meetings was added whenever some meeting could
    # not take the slot, which more than doubled tic-14crafc prec25's encoding once the
    # precedence windows narrowed its domains.
    pairs = [(1, 2), (3, 4), (5, 6), (1, 3), (5, 7)]
    instance = make_instance(4, 2, pairs, unavailable={4: {2}})
    assert _counts_over_all_meetings_of_a_slot(monkeypatch, instance) == []


def test_shared_tables_hold_the_meetings_without_an_owner():
    # One owned and one shared table: meetings 2 and 3 have no owner among their participants,
    # so they cannot both take slot 1.
    instance = make_instance(2, 2, [(1, 2), (3, 4), (5, 6)], unavailable={1: {2}})
    instance = dataclasses.replace(instance, tables=(Table("stand", owner=1), Table("shared")))
    encoding = encode(compile_instance(instance), 2)
    with _solver(encoding) as solver:
        both = [encoding.placement_literals[1, 0], encoding.placement_literals[2, 0]]
        consistent, _ = solver.propagate(assumptions=both)
        assert not consistent
