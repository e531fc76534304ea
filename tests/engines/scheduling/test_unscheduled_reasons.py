"""Why a meeting is not placed (`oversubscribed.unscheduled_reason`): one `Reason` per kind, with
the ids and counts an application needs to say it in its own words, and the engine's English text
for the command line and the JSON output."""

import dataclasses
import json

from clusterxchange.engines.scheduling import Reason
from clusterxchange.engines.scheduling.compiled import compile_instance
from clusterxchange.engines.scheduling.deadline import TimeLimitReached
from clusterxchange.engines.scheduling.greedy import AgendaState
from clusterxchange.engines.scheduling.jsonio import schedule_to_dict
from clusterxchange.engines.scheduling.model import Participant
from clusterxchange.engines.scheduling.oversubscribed import (
    placement_free,
    solve_oversubscribed,
    unscheduled_reason,
)

from .builders import make_instance


def _state(instance, placed: dict[int, int]) -> AgendaState:
    """The agenda with meeting index -> slot position ``placed``."""
    state = AgendaState.empty(compile_instance(instance))
    for meeting, position in placed.items():
        state.place(meeting, position)
    return state


def test_no_common_slot():
    instance = make_instance(2, 1, [(1, 2)], unavailable={1: {1}, 2: {2}})
    reason = unscheduled_reason(_state(instance, {}), 0)
    assert isinstance(reason, Reason) and reason.code == "no_common_slot"
    assert (reason.meetings, reason.participants) == ((1,), (1, 2))
    assert str(reason) == "participants 1 and 2 have no common available slot"


def test_at_max_meetings():
    instance = make_instance(3, 2, [(1, 2), (1, 3)])
    people = list(instance.participants)
    people[0] = Participant(1, max_meetings=1)
    instance = dataclasses.replace(instance, participants=tuple(people))
    reason = unscheduled_reason(_state(instance, {0: 0}), 1)
    assert reason.code == "at_max_meetings"
    assert (reason.meetings, reason.participants, reason.figures) == ((2,), (1,), {"limit": 1})
    assert str(reason) == "participant 1 already has the maximum of 1 meetings"


def test_no_common_free_slot():
    instance = make_instance(2, 3, [(1, 2), (1, 3), (2, 4)])
    reason = unscheduled_reason(_state(instance, {1: 0, 2: 1}), 0)
    assert reason.code == "no_common_free_slot"
    assert (reason.meetings, reason.participants) == ((1,), (1, 2))
    assert reason.figures == {"busy_first": 1, "busy_second": 1, "possible": 2}
    assert str(reason).startswith("no common free slot: 1 is booked in 1 and 2 in 1 of the 2 possible slots")


def test_no_shared_table():
    instance = make_instance(1, 1, [(1, 2), (3, 4)])
    reason = unscheduled_reason(_state(instance, {1: 0}), 0)
    assert reason.code == "no_shared_table"
    assert (reason.meetings, reason.participants, reason.slots) == ((1,), (1, 2), (1,))
    assert "shared tables are taken" in reason


def test_precedence_order_names_the_meetings_in_the_way():
    # Meeting 2 must come after meeting 1 and is placed in the first slot: meeting 1 has no slot before it.
    instance = make_instance(2, 2, [(1, 2), (3, 4)], meeting_options={2: {"after": (1,)}})
    reason = unscheduled_reason(_state(instance, {1: 0}), 0)
    assert reason.code == "precedence_order"
    assert (reason.meetings, reason.participants) == ((1, 2), (1, 2))
    assert "order required by a precedence with meetings 2" in reason


def test_a_meeting_that_would_still_fit_says_so():
    instance = make_instance(1, 1, [(1, 2)])
    reason = unscheduled_reason(_state(instance, {}), 0)
    assert reason.code == "not_reached" and reason.meetings == (1,)


def test_no_time_left_at_all():
    instance = make_instance(1, 1, [(1, 2)])
    schedule = placement_free(instance, "oversubscribed", TimeLimitReached("compilation"), 0.0)
    reason = schedule.placements[0].reason
    assert reason.code == "time_limit" and reason.meetings == (1,)
    assert str(reason) == "the time limit was reached during compilation"


def test_a_solved_agenda_gives_reasons_and_the_json_output_their_text():
    instance = make_instance(1, 1, [(1, 2), (1, 3)])
    schedule = solve_oversubscribed(instance, time_limit=5)
    unplaced = [p for p in schedule.placements if p.slot is None]
    assert len(unplaced) == 1 and unplaced[0].reason.code == "no_common_free_slot"
    written = json.loads(json.dumps(schedule_to_dict(instance, schedule)))
    assert [m["reason"] for m in written["meetings"] if "reason" in m] == [str(unplaced[0].reason)]
