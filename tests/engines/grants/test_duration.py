"""One calendar month from the first day, and how travel days are taken off."""

from datetime import date

import pytest

from clusterxchange.engines.grants.duration import add_months, last_allowed_day, on_site_span


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2025, 3, 1), 1, date(2025, 3, 31), id="first-of-month"),
        pytest.param(date(2025, 3, 15), 1, date(2025, 4, 14), id="mid-month"),
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 28), id="clamped-leap-february"),
        pytest.param(date(2024, 12, 10), 1, date(2025, 1, 9), id="across-the-year"),
        pytest.param(date(2025, 3, 1), 2, date(2025, 4, 30), id="two-months"),
    ],
)
def test_last_allowed_day(start, months, expected):
    assert last_allowed_day(start, months) == expected


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("start", "end", "include_travel", "expected"),
    [
        pytest.param(date(2025, 10, 13), date(2025, 10, 17), False, (date(2025, 10, 13), date(2025, 10, 17))),
        pytest.param(date(2025, 10, 12), date(2025, 10, 18), True, (date(2025, 10, 13), date(2025, 10, 17))),
        pytest.param(date(2025, 10, 13), date(2025, 10, 13), True, (date(2025, 10, 14), date(2025, 10, 13))),
    ],
)
def test_on_site_span(start, end, include_travel, expected):
    assert on_site_span(start, end, include_travel) == expected
