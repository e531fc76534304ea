import dataclasses

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.model import Table
from clusterxchange.engines.scheduling.tables import assign_tables
from clusterxchange.engines.scheduling.verifier import verify

from .builders import make_instance


def test_exhibitor_hosts_at_own_table_and_others_share():
    instance = make_instance(3, 0, [(1, 2), (1, 3), (2, 3), (4, 5)])
    instance = dataclasses.replace(instance, tables=(Table("stand-1", owner=1), Table("A"), Table("B")))
    compiled = compile_instance(instance)
    placements = assign_tables(compiled, [0, 1, 2, 0])
    assert [p.table for p in placements[:2]] == ["stand-1", "stand-1"]
    assert placements[2].table in {"A", "B"} and placements[3].table in {"A", "B"}
    assert verify(instance, placements, require_all=True).ok


def test_participants_keep_their_table_between_consecutive_meetings():
    instance = make_instance(3, 3, [(1, 2), (3, 4), (1, 5), (3, 6), (1, 7), (3, 8)])
    compiled = compile_instance(instance)
    placements = assign_tables(compiled, [0, 0, 1, 1, 2, 2])
    report = verify(instance, placements)
    assert report.ok
    assert report.table_changes == 0
