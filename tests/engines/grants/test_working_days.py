"""Working days: weekends and the host country's (and region's) public holidays are not counted."""

from datetime import date

import pytest

from clusterxchange.engines.grants import count_working_days


@pytest.mark.parametrize(
    ("first_day", "last_day", "country", "subdivision", "expected"),
    [
        pytest.param(date(2025, 10, 13), date(2025, 10, 17), "DE", None, 5, id="monday-to-friday"),
        pytest.param(date(2025, 10, 13), date(2025, 10, 19), "DE", None, 5, id="weekend-not-counted"),
        pytest.param(date(2025, 10, 17), date(2025, 10, 21), "FR", None, 3, id="friday-to-tuesday"),
        pytest.param(date(2025, 10, 18), date(2025, 10, 19), "PL", None, 0, id="weekend-only"),
        pytest.param(date(2024, 9, 30), date(2024, 10, 4), "DE", None, 4, id="german-unity-day"),
        pytest.param(date(2024, 9, 30), date(2024, 10, 4), "FR", None, 5, id="not-a-french-holiday"),
        pytest.param(date(2024, 5, 6), date(2024, 5, 10), "FR", None, 3, id="french-victory-and-ascension"),
        pytest.param(date(2024, 10, 28), date(2024, 11, 1), "DE", None, 5, id="reformation-day-not-national"),
        pytest.param(date(2024, 10, 28), date(2024, 11, 1), "DE", "SN", 4, id="reformation-day-in-saxony"),
        pytest.param(date(2024, 12, 30), date(2025, 1, 3), "LT", None, 4, id="new-year-across-years"),
        pytest.param(date(2025, 10, 13), date(2025, 10, 12), "ES", None, 0, id="empty-span"),
    ],
)
def test_counts_weekdays_that_are_not_public_holidays(first_day, last_day, country, subdivision, expected):
    assert count_working_days(first_day, last_day, country, subdivision).working_days == expected


def test_reports_the_excluded_holidays_and_weekend_days():
    count = count_working_days(date(2024, 9, 30), date(2024, 10, 6), "DE")
    assert count.weekend_days == 2
    assert [(holiday.day, holiday.name) for holiday in count.public_holidays] == [
        (date(2024, 10, 3), "German Unity Day")
    ]
    assert count.calendar.label == "DE"


def test_a_holiday_on_a_weekend_is_not_reported():
    assert count_working_days(date(2025, 11, 1), date(2025, 11, 2), "FR").public_holidays == ()


def test_unknown_region_falls_back_to_the_national_calendar():
    count = count_working_days(date(2024, 9, 30), date(2024, 10, 4), "DE", "ZZ")
    assert count.working_days == 4
    assert count.calendar.unknown_subdivision


def test_country_without_a_calendar_only_excludes_weekends():
    count = count_working_days(date(2024, 9, 30), date(2024, 10, 6), "XX")
    assert (count.working_days, count.calendar.label) == (5, None)


def test_last_day_well_before_first_day_is_a_caller_error():
    with pytest.raises(ValueError, match="before the first day"):
        count_working_days(date(2025, 10, 13), date(2025, 10, 1), "DE")
