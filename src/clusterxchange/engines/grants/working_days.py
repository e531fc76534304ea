"""Working days of a stay: weekdays that are not public holidays in the host country.

The host country's calendar applies because that is where the visitor works during the stay.
Holidays come from the ``holidays`` package (public holidays only, names in English where the
package has them), optionally refined by a subdivision such as Saxony (``DE``/``SN``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

SATURDAY = 5


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name: str


@dataclass(frozen=True)
class HolidayCalendar:
    """The public holidays used for one country (and region) over some years.

    ``label`` names the calendar actually used (``DE-SN``, ``DE``), ``None`` when there is none;
    ``unknown_subdivision`` is set when the region was not recognised and the national calendar
    was used instead.
    """

    days: Mapping[date, str]
    label: str | None
    unknown_subdivision: bool = False


@dataclass(frozen=True)
class WorkingDayCount:
    working_days: int
    weekend_days: int
    public_holidays: tuple[PublicHoliday, ...]
    """Holidays that fell on a weekday of the stay (those on weekends change nothing)."""
    calendar: HolidayCalendar


@lru_cache(maxsize=256)
def holiday_calendar(country: str, subdivision: str | None, years: tuple[int, ...]) -> HolidayCalendar:
    """The host's public holidays; falls back to national, then to none, instead of failing."""
    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=years, language="en_US")
        label = f"{country}-{subdivision}" if subdivision else country
        return HolidayCalendar(MappingProxyType(dict(found)), label)
    except NotImplementedError:
        if subdivision is not None:
            national = holiday_calendar(country, None, years)
            return HolidayCalendar(
                national.days, national.label, unknown_subdivision=national.label is not None
            )
        return HolidayCalendar(MappingProxyType({}), None)


def days_between(first_day: date, last_day: date) -> list[date]:
    """Every calendar day from ``first_day`` to ``last_day``, both included."""
    return [first_day + timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]


def count_working_days(
    first_day: date, last_day: date, country: str, subdivision: str | None = None
) -> WorkingDayCount:
    """Count the working days from ``first_day`` to ``last_day`` inclusive in ``country``.

    An empty span (``last_day`` the day before ``first_day``) has no working days; an earlier
    ``last_day`` is a caller error.
    """
    if last_day < first_day - timedelta(days=1):
        raise ValueError(f"The last day {last_day} is before the first day {first_day}.")
    calendar = holiday_calendar(country, subdivision, tuple(range(first_day.year, last_day.year + 1)))
    weekend_days = 0
    public_holidays: list[PublicHoliday] = []
    for day in days_between(first_day, last_day):
        if day.weekday() >= SATURDAY:
            weekend_days += 1
        elif day in calendar.days:
            public_holidays.append(PublicHoliday(day, calendar.days[day]))
    total = (last_day - first_day).days + 1
    return WorkingDayCount(
        working_days=total - weekend_days - len(public_holidays),
        weekend_days=weekend_days,
        public_holidays=tuple(public_holidays),
        calendar=calendar,
    )
