import json

import pytest

from clusterxchange.engines.scheduling.errors import InputError
from clusterxchange.engines.scheduling.jsonio import (
    instance_from_dict,
    instance_to_dict,
    placements_from_dict,
    read_instance_json,
    schedule_to_dict,
)
from clusterxchange.engines.scheduling.model import Placement, Schedule

EVENT = {
    "name": "expo",
    "days": [
        {
            "name": "Mon",
            "sessions": [{"name": "morning", "slots": [1, 2]}, {"name": "afternoon", "slots": [3]}],
        },
        {"name": "Tue", "sessions": [{"name": "morning", "slots": [4, 5]}]},
    ],
    "tables": [{"id": "T1", "owner": "acme"}, {"id": "T2"}],
    "participants": [
        {"id": "acme", "own_table": "T1"},
        {"id": "bolt", "unavailable": [4], "max_meetings": 3},
        {"id": "cargo"},
    ],
    "meetings": [
        {"id": "m1", "participants": ["acme", "bolt"], "priority": 3, "must_meet": True},
        {"id": "m2", "participants": ["bolt", "cargo"], "session": "morning", "after": ["m1"]},
        {"id": "m3", "participants": ["acme", "cargo"], "fixed_slot": 5, "locked": True},
    ],
}


def test_round_trip_keeps_everything():
    instance = instance_from_dict(EVENT)
    again = instance_from_dict(json.loads(json.dumps(instance_to_dict(instance))))
    assert again == instance
    assert instance.meetings[1].after == ("m1",)
    assert instance.participants[1].unavailable == frozenset({4})


def test_table_count_shorthand():
    instance = instance_from_dict({**EVENT, "tables": 3})
    assert [t.id for t in instance.tables] == [1, 2, 3]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"tables": 0}, "tables: the number of tables must be positive"),
        ({"meetings": [{"participants": ["acme"]}]}, r"meetings\[0\].participants: expected exactly two"),
        (
            {"participants": [{"id": "a", "max_meetings": -1}]},
            r"participants\[0\].max_meetings: must be at least 0",
        ),
        ({"days": "monday"}, "days: expected a list"),
    ],
)
def test_bad_fields_are_named(patch, message):
    with pytest.raises(InputError, match=message):
        instance_from_dict({**EVENT, **patch})


def test_invalid_json_reports_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n "days": [,]\n}')
    with pytest.raises(InputError, match="line 2"):
        read_instance_json(path)


def test_schedule_json_lists_meetings_in_input_order():
    instance = instance_from_dict(EVENT)
    placements = [Placement("m1", 1, "T1"), Placement("m2", None, None, "no slot"), Placement("m3", 5, "T1")]
    data = schedule_to_dict(instance, Schedule(placements=placements, status="feasible", objective=0))
    assert [m["id"] for m in data["meetings"]] == ["m1", "m2", "m3"]
    assert data["meetings"][1] == {
        "id": "m2",
        "participants": ["bolt", "cargo"],
        "slot": None,
        "table": None,
        "reason": "no slot",
    }
    assert placements_from_dict(instance, data) == [
        Placement("m1", 1, "T1"),
        Placement("m2", None, None),
        Placement("m3", 5, "T1"),
    ]


def test_schedule_with_unknown_meeting_is_rejected():
    instance = instance_from_dict(EVENT)
    with pytest.raises(InputError, match="meeting 'zz' is not in the instance"):
        placements_from_dict(instance, {"meetings": [{"id": "zz", "slot": 1}]})
