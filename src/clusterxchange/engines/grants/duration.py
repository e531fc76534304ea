"""The length limits of a stay: "from 3 working days (travel days excluded) to one month"."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to that month's last day (31 Jan → 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def last_allowed_day(start: date, months: int) -> date:
    """The last day of a stay of at most ``months`` calendar months: 1 Mar → 31 Mar, 15 Mar → 14 Apr."""
    return add_months(start, months) - timedelta(days=1)


def on_site_span(start: date, end: date, dates_include_travel_days: bool) -> tuple[date, date]:
    """The days that can count as working days: all of them, or without the first and last day.

    By default the dates given are the days on site, so travel days are already left out. A
    programme whose forms ask for departure and return dates sets ``dates_include_travel_days``;
    a stay of one or two days then has an empty span (the last day just before the first).
    """
    if not dates_include_travel_days:
        return start, end
    first_day, last_day = start + timedelta(days=1), end - timedelta(days=1)
    if last_day < first_day:
        return first_day, first_day - timedelta(days=1)
    return first_day, last_day
