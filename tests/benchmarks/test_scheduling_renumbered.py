"""benchmarks/scheduling/bench_renumbered: every renumbered copy asks the same question."""

import itertools

import pytest
from benchmarks.scheduling.bench_renumbered import question, renumbered
from pysat.solvers import Solver

from tests.engines.scheduling.builders import brute_force_breaks, make_instance


@pytest.mark.parametrize("domains", ["narrowed", "full"])
def test_every_copy_has_the_answer_of_the_engines_formula(domains):
    instance = make_instance(5, 2, list(itertools.combinations(range(1, 5), 2)), 4, {1: {2}, 2: {4}})
    optimum = brute_force_breaks(instance, 2)
    assert optimum > 0
    for bound, expected in ((optimum - 1, False), (optimum, True)):
        clauses, top, assumptions = question(instance, bound, domains)
        answers = set()
        for seed in range(4):
            formula, asked = renumbered(clauses, top, assumptions, seed)
            assert (formula, asked) != (clauses, assumptions) or seed == 0
            with Solver(name="cadical195", bootstrap_with=formula) as solver:
                answers.add(solver.solve(assumptions=asked))
        assert answers == {expected}
