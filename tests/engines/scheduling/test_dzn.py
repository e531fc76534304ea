import pytest

from clusterxchange.engines.scheduling.dzn import parse_dzn
from clusterxchange.engines.scheduling.errors import InputError

FULL = """\
% a comment
nBusiness = 4;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;

requested = [|1, 2,1,
|1, 3,2,
|3, 4,3,
|];

meetingsxBusiness = [{1,2,3},{1,2},{1,3,4},{1,4}];
nMeetingsBusiness = [2,1,2,1];
forbidden = [{0},{0,4},{0},{1..2}];
fixed = [0,3,0];
precedences = [{},{1},{}];
"""


def test_reads_every_field_one_based():
    instance = parse_dzn(FULL, name="tiny")
    assert [p.id for p in instance.participants] == [1, 2, 3, 4]
    assert instance.slots == (1, 2, 3, 4)
    assert [s.name for s in instance.days[0].sessions] == ["AM", "PM"]
    first, second, third = instance.meetings
    assert first.participants == (1, 2) and first.session == "AM"
    assert second.session == "PM" and second.fixed_slot == 3 and second.after == (1,)
    assert third.session is None
    assert instance.participants[1].unavailable == frozenset({4})
    assert instance.participants[3].unavailable == frozenset({1, 2})
    assert len(instance.tables) == 2


def test_optional_fields_may_be_missing():
    text = FULL.split("meetingsxBusiness")[0]
    instance = parse_dzn(text)
    assert all(m.fixed_slot is None and m.after == () for m in instance.meetings)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("|3, 4,3,", "|3, 9,3,"), "line 10: requested row 3 names participant 9"),
        (("|3, 4,3,", "|3, 3,3,"), "line 10: requested row 3 is a meeting of participant 3 with itself"),
        (("nTotalSlots = 4;", "nTotalSlots = 0;"), "line 5: nTotalSlots must be positive"),
        (("nTables = 2;", "nTables = 0;"), "line 4: nTables must be positive"),
        (("fixed = [0,3,0];", "fixed = [0,3];"), "fixed has 2 values but 3 are expected"),
        (("nMeetings = 3;", "nMeetings = x;"), "line 3: nMeetings must be an integer"),
        (("nBusiness = 4;\n", ""), "missing field 'nBusiness'"),
    ],
)
def test_bad_input_names_the_line_or_field(change, message):
    with pytest.raises(InputError, match=message):
        parse_dzn(FULL.replace(*change))


def test_garbage_is_reported_with_its_line():
    with pytest.raises(InputError, match="line 2: cannot parse"):
        parse_dzn("nBusiness = 1;\nthis is not dzn\n")
