"""Stay length: 3 working days at least, one calendar month at most, travel days left out."""

from datetime import date

import pytest

from clusterxchange.engines.grants.stay import check_stay

from .cities import MONDAY, SOPHIA_ANTIPOLIS, WARSAW, days_after, make_party, make_rules

WARSAW_HOST = make_party(2, WARSAW)


def codes(check):
    return [reason.code.value for reason in check.reasons]


@pytest.mark.parametrize(
    ("start", "end", "expected_days", "expected_codes"),
    [
        pytest.param(MONDAY, days_after(MONDAY, 2), 3, [], id="exactly-3-working-days"),
        pytest.param(MONDAY, days_after(MONDAY, 1), 2, ["too_short"], id="2-working-days"),
        pytest.param(days_after(MONDAY, 4), days_after(MONDAY, 7), 2, ["too_short"], id="friday-to-monday"),
        pytest.param(date(2025, 10, 6), date(2025, 11, 5), 23, [], id="exactly-one-month"),
        pytest.param(date(2025, 10, 6), date(2025, 11, 6), 24, ["too_long"], id="one-month-and-a-day"),
        pytest.param(MONDAY, days_after(MONDAY, -1), None, ["dates_reversed"], id="end-before-start"),
    ],
)
def test_length_boundaries(start, end, expected_days, expected_codes):
    check = check_stay(start, end, WARSAW_HOST, make_rules())
    assert codes(check) == expected_codes
    assert (check.working_days.working_days if check.working_days else None) == expected_days


def test_reversed_dates_message():
    check = check_stay(date(2023, 2, 27), date(2023, 2, 3), WARSAW_HOST, make_rules())
    assert check.reasons[0].message == "The end date 2023-02-03 is before the start date 2023-02-27."


def test_too_long_names_the_last_allowed_day():
    check = check_stay(date(2025, 10, 6), date(2025, 11, 6), WARSAW_HOST, make_rules())
    assert check.reasons[0].message == (
        "The stay from 2025-10-06 to 2025-11-06 is longer than 1 month(s): it must end by 2025-11-05."
    )


@pytest.mark.parametrize(
    ("end", "expected_codes"),
    [
        pytest.param(date(2025, 11, 7), [], id="20-working-days"),
        pytest.param(date(2025, 11, 10), ["too_many_working_days"], id="21-working-days"),
    ],
)
def test_optional_maximum_of_working_days(end, expected_codes):
    rules = make_rules(max_working_days=20, max_stay_months=None)
    assert codes(check_stay(date(2025, 10, 13), end, WARSAW_HOST, rules)) == expected_codes


def test_a_french_public_holiday_shortens_the_stay_below_the_minimum():
    host = make_party(2, SOPHIA_ANTIPOLIS)
    check = check_stay(date(2024, 5, 7), date(2024, 5, 9), host, make_rules())
    assert (check.working_days.working_days, codes(check)) == (1, ["too_short"])
    assert "public_holidays_excluded" in [rule.code.value for rule in check.applied_rules]


@pytest.mark.parametrize(
    ("start", "end", "expected_days"),
    [
        pytest.param(days_after(MONDAY, -1), days_after(MONDAY, 5), 5, id="sunday-to-saturday"),
        pytest.param(MONDAY, days_after(MONDAY, 4), 3, id="monday-and-friday-are-travel"),
        pytest.param(MONDAY, MONDAY, 0, id="same-day-return"),
    ],
)
def test_dates_that_include_travel_days(start, end, expected_days):
    check = check_stay(start, end, WARSAW_HOST, make_rules(dates_include_travel_days=True))
    assert check.working_days.working_days == expected_days
    assert check.applied_rules[0].code.value == "travel_days_excluded"
