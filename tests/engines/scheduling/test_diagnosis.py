"""Polynomial infeasibility checks (Hall's condition by matching) and their wording."""

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


def test_participant_hall_violator_is_found_where_counting_sees_nothing():
    """Five meetings, five usable slots, no two meetings with the same slots: only a matching
    shows that four of them share three slots."""
    unavailable = {2: {3, 4, 5}, 3: {1, 4, 5}, 4: {2, 4, 5}, 5: {4, 5}, 6: {1, 2, 3}}
    instance = make_instance(5, 3, [(1, 2), (1, 3), (1, 4), (1, 5), (1, 6)], unavailable=unavailable)
    assert reasons(instance) == [
        "participant 1 has 4 meetings but only 3 allowed slots: meetings 1, 2, 3, 4 can only take slots 1, 2, 3"
    ]


def test_slot_capacity_hall_violator_names_the_meetings():
    """Per slot domain nothing overflows ({1,2}: 3 meetings, {1}: 1, {2}: 1, 2 tables), but the
    five meetings together need five places in slots 1 and 2, which hold four."""
    unavailable = {1: {3, 4}, 3: {3, 4}, 5: {2, 3, 4}, 7: {1, 3, 4}, 9: {3, 4}}
    pairs = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)]
    instance = make_instance(4, 2, pairs, unavailable=unavailable)
    assert reasons(instance) == [
        "5 meetings can only use the 2 slots 1, 2, which hold at most 4 meetings at 2 tables: "
        "meetings 1, 2, 3, 4, 5"
    ]


def test_fixed_meeting_of_a_partner_takes_the_last_slot():
    instance = make_instance(3, 2, [(1, 2), (2, 3)], unavailable={3: {2, 3}})
    meetings = (dataclasses.replace(instance.meetings[0], fixed_slot=1), instance.meetings[1])
    found = reasons(dataclasses.replace(instance, meetings=meetings))
    assert found == [
        "meeting 2 (participants 2 and 3) has no slot left: its only possible slot 1 is taken by "
        "meeting 1 (participants 1 and 2)"
    ]


def test_precedence_chain_too_long_for_its_window():
    instance = make_instance(4, 2, [(1, 2), (2, 3), (3, 4)], unavailable={1: {3, 4}, 4: {3, 4}})
    meetings = (
        dataclasses.replace(instance.meetings[0], after=(2,)),
        dataclasses.replace(instance.meetings[1], after=(3,)),
        instance.meetings[2],
    )
    found = reasons(dataclasses.replace(instance, meetings=meetings))
    assert found == [
        "meeting 1 (participants 1 and 2) must come after a chain of meetings that ends too late: "
        "its latest possible slot is 2"
    ]


def test_feasible_instance_has_no_reason():
    instance = make_instance(4, 2, [(1, 2), (1, 3), (2, 3), (3, 4)])
    assert reasons(instance) == []


def test_fixed_meetings_needing_more_breaks_than_fairness_allows():
    """Participant 1's meetings are fixed at slots 1, 3, 5 and 7: three breaks, while participant
    2 has a single meeting, so with d = 2 nobody may have more than two (found from the runs of
    usable slots, before any SAT call)."""
    from clusterxchange.engines.scheduling import solve_exact

    instance = make_instance(8, 3, [(1, 2), (1, 3), (1, 4), (1, 5), (6, 7)])
    fixed = {1: 1, 2: 3, 3: 5, 4: 7}
    meetings = tuple(dataclasses.replace(m, fixed_slot=fixed.get(m.id)) for m in instance.meetings)
    schedule = solve_exact(dataclasses.replace(instance, meetings=meetings), fairness=2, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.explanation == [
        "participant 1 needs at least 3 breaks: its 4 meetings (fixed: 1 at slot 1, 2 at slot 3, 3 at slot 5, "
        "4 at slot 7) can only take slots 1, 3, 5, 7 (4 runs of consecutive slots) and need all 4 of these "
        "runs to get distinct slots, with a break between any two runs used on one day, but the fairness "
        "bound allows at most 2 (participant 2 has a single meeting, hence no break, and break counts may "
        "differ by at most 2)"
    ]
