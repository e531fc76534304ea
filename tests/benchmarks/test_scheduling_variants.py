"""The variant generator of benchmarks/scheduling: the paper's six families, seeded, and never
contradictory input (no fixed clash, no cycle, Hall's condition kept for every participant)."""

import itertools

import pytest
from benchmarks.scheduling.variants import FAMILIES, variant

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.diagnosis import explain_infeasibility
from clusterxchange.engines.scheduling.validation import constraint_problems
from tests.engines.scheduling.builders import make_instance


@pytest.fixture(scope="module")
def base():
    instance = make_instance(10, 6, list(itertools.combinations(range(1, 10), 2)), 9)
    return instance


@pytest.mark.parametrize("family", FAMILIES)
def test_variant_is_consistent_and_seeded(base, family):
    built = variant(base, family)
    assert built == variant(base, family)
    compiled = compile_instance(built)
    assert constraint_problems(compiled) == []
    assert not any("allowed slots" in reason for reason in explain_infeasibility(compiled))


def test_families_change_what_they_say(base):
    fixed = [m for m in variant(base, "fixed40").meetings if m.fixed_slot is not None]
    assert len(fixed) >= 0.3 * len(base.meetings)
    assert sum(len(p.unavailable) for p in variant(base, "forbidden20").participants) > sum(
        len(p.unavailable) for p in variant(base, "forbidden10").participants
    )
    ordered = [m for m in variant(base, "prec25").meetings if m.after]
    assert 0.15 * len(base.meetings) <= len(ordered) <= 0.25 * len(base.meetings)
