"""Contradictory fixed meetings and precedences are bad input: refused before solving, every
meeting named, in every mode and through the CLI (exit 2, no output file)."""

import dataclasses
import json

import pytest

from clusterxchange.engines.scheduling import InputError, reschedule, solve_exact, solve_oversubscribed
from clusterxchange.engines.scheduling.cli import main
from clusterxchange.engines.scheduling.jsonio import instance_to_dict

from .builders import make_instance


def _with(instance, **changes_by_meeting):
    meetings = tuple(
        dataclasses.replace(m, **changes_by_meeting.get(f"m{m.id}", {})) for m in instance.meetings
    )
    return dataclasses.replace(instance, meetings=meetings)


BASE = make_instance(4, 2, [(1, 2), (1, 3), (2, 3), (3, 4)], unavailable={4: {2}})
CASES = {
    "two fixed meetings of one participant at one slot": (
        _with(BASE, m1={"fixed_slot": 3}, m2={"fixed_slot": 3}),
        "meeting 1 (participants 1 and 2) and meeting 2 (participants 1 and 3) are both fixed at slot 3",
    ),
    "fixed at a forbidden slot": (
        _with(BASE, m4={"fixed_slot": 2}),
        "meeting 4 (participants 3 and 4) is fixed at slot 2, where participant 4 is unavailable",
    ),
    "precedence cycle": (
        _with(BASE, m1={"after": (2,)}, m2={"after": (3,)}, m3={"after": (1,)}),
        "must each come before the next one, in a cycle",
    ),
    "fixed meetings in the wrong order": (
        _with(BASE, m1={"fixed_slot": 1, "after": (3,)}, m3={"fixed_slot": 2}),
        "meeting 1 (participants 1 and 2) is fixed at slot 1 but must come after meeting 3 "
        "(participants 2 and 3), fixed at slot 2",
    ),
    "more fixed meetings at a slot than tables": (
        _with(make_instance(3, 1, [(1, 2), (3, 4)]), m1={"fixed_slot": 2}, m2={"fixed_slot": 2}),
        "2 meetings are fixed at slot 2 but there are only 1 tables: meetings 1, 2",
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("mode", ["exact", "oversubscribed", "reschedule"])
def test_refused_before_solving_with_the_meetings_named(case, mode):
    instance, message = CASES[case]
    solver = {
        "exact": lambda: solve_exact(instance, time_limit=5),
        "oversubscribed": lambda: solve_oversubscribed(instance, time_limit=5),
        "reschedule": lambda: reschedule(instance, {}, time_limit=5),
    }[mode]
    with pytest.raises(InputError) as raised:
        solver()
    assert message in str(raised.value)
    assert str(raised.value).startswith("contradictory constraints: ")


def test_cycle_names_every_meeting_of_the_cycle():
    instance, _ = CASES["precedence cycle"]
    with pytest.raises(InputError) as raised:
        solve_exact(instance, time_limit=5)
    named = str(raised.value).split("meetings ")[1].split(" must")[0]
    assert sorted(named.split(", ")) == ["1", "2", "3"]


def test_fixed_slot_that_does_not_exist():
    with pytest.raises(InputError, match="meeting 2 is fixed at slot 9, which does not exist"):
        solve_exact(_with(BASE, m2={"fixed_slot": 9}), time_limit=5)


def test_cli_exits_2_and_writes_nothing(tmp_path, capsys):
    instance, _ = CASES["fixed at a forbidden slot"]
    source = tmp_path / "event.json"
    source.write_text(json.dumps(instance_to_dict(instance)), encoding="utf-8")
    out = tmp_path / "schedule.json"
    assert main([str(source), "--out", str(out), "--quiet"]) == 2
    assert not out.exists()
    assert "where participant 4 is unavailable" in " ".join(capsys.readouterr().err.split())


CODES = {
    "two fixed meetings of one participant at one slot": ("fixed_clash", (1, 2), (1,), (3,)),
    "fixed at a forbidden slot": ("fixed_unavailable", (4,), (4,), (2,)),
    "precedence cycle": ("precedence_cycle", None, (), ()),
    "fixed meetings in the wrong order": ("fixed_against_precedence", (1, 3), (), (1, 2)),
    "more fixed meetings at a slot than tables": ("fixed_over_tables", (1, 2), (), (2,)),
}


@pytest.mark.parametrize("case", CASES)
def test_each_contradiction_says_what_it_is_about(case):
    """An application names the meetings in its own words from the reason's code and ids."""
    instance, _message = CASES[case]
    code, meetings, participants, slots = CODES[case]
    with pytest.raises(InputError) as raised:
        solve_oversubscribed(instance, time_limit=5)
    [reason] = raised.value.reasons
    assert reason.code == code and reason in str(raised.value)
    assert (reason.participants, reason.slots) == (participants, slots)
    assert sorted(reason.meetings) == ([1, 2, 3] if meetings is None else sorted(meetings))
