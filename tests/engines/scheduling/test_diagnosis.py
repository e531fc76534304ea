import dataclasses

from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.diagnosis import explain_infeasibility

from .builders import make_instance


def reasons(instance):
    return explain_infeasibility(compile_instance(instance))


def test_no_common_slot():
    instance = make_instance(2, 1, [(1, 2)], unavailable={1: {1}, 2: {2}})
    assert (
        reasons(instance)[0]
        == "meeting 1 (participants 1 and 2) has no slot where both participants are available"
    )


def test_too_many_meetings_for_the_tables():
    instance = make_instance(2, 1, [(1, 2), (3, 4), (5, 6)])
    assert "3 meetings but only 2 slots x 1 tables = 2 places" in reasons(instance)


def test_session_overload_and_fixed_clash():
    instance = make_instance(3, 1, [(1, 2), (3, 4), (1, 5)])
    meetings = (
        dataclasses.replace(instance.meetings[0], fixed_slot=2),
        dataclasses.replace(instance.meetings[1], fixed_slot=2),
        instance.meetings[2],
    )
    found = reasons(dataclasses.replace(instance, meetings=meetings))
    assert "2 meetings are fixed at slot 2 but there are only 1 tables" in found


def test_precedence_cycle():
    instance = make_instance(3, 2, [(1, 2), (2, 3)])
    meetings = (
        dataclasses.replace(instance.meetings[0], after=(2,)),
        dataclasses.replace(instance.meetings[1], after=(1,)),
    )
    found = reasons(dataclasses.replace(instance, meetings=meetings))
    assert any("cycle" in line for line in found)
