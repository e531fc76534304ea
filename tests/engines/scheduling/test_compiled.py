import dataclasses

import pytest

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.errors import InputError
from clusterxchange.engines.scheduling.model import Meeting, Table

from .builders import make_instance


def test_allowed_slots_respect_availability_session_and_fixed_slot():
    instance = make_instance(4, 2, [(1, 2), (2, 3)], unavailable={2: {1}})
    meetings = (
        instance.meetings[0],
        dataclasses.replace(instance.meetings[1], fixed_slot=4),
    )
    compiled = compile_instance(dataclasses.replace(instance, meetings=meetings))
    assert compiled.allowed == [[1, 2, 3], [3]]


@pytest.mark.parametrize(
    ("meetings", "message"),
    [
        ((Meeting(1, (1, 9)),), "unknown participant 9"),
        ((Meeting(1, (2, 2)),), "participant 2 cannot meet itself"),
        ((Meeting(1, (1, 2), session="evening"),), "unknown session 'evening'"),
        ((Meeting(1, (1, 2), after=(7,)),), "7 is not another meeting"),
        ((Meeting(1, (1, 2), locked=True),), "locked meeting needs its fixed_slot"),
    ],
)
def test_bad_references_are_named(meetings, message):
    instance = dataclasses.replace(make_instance(3, 1, [(1, 2)]), meetings=meetings)
    with pytest.raises(InputError, match=message):
        compile_instance(instance)


def test_zero_tables_and_zero_slots_are_rejected():
    instance = make_instance(3, 1, [(1, 2)])
    with pytest.raises(InputError, match="no tables"):
        compile_instance(dataclasses.replace(instance, tables=()))
    with pytest.raises(InputError, match="no time slots"):
        compile_instance(dataclasses.replace(instance, days=()))


def test_exhibitor_meetings_do_not_need_a_shared_table():
    instance = make_instance(3, 2, [(1, 2), (2, 3)])
    instance = dataclasses.replace(instance, tables=(Table("own", owner=1), Table("shared")))
    compiled = compile_instance(instance)
    assert compiled.needs_free_table == [False, True]
    assert compiled.free_tables == 1


def test_narrowed_keeps_the_event_and_replaces_the_domains_and_the_cache():
    compiled = compile_instance(make_instance(3, 1, [(1, 2), (2, 3)]))
    compiled.cache["usage"] = [1, 1]
    narrowed = compiled.narrowed([[0], [1, 2]])
    assert narrowed.allowed == [[0], [1, 2]] and narrowed.cache == {}
    assert narrowed.pairs == compiled.pairs and narrowed.instance is compiled.instance
    assert compiled.allowed == [[0, 1, 2], [0, 1, 2]] and compiled.cache == {"usage": [1, 1]}
