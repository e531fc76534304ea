"""The dates of a stay: working days in the host country and the duration rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .duration import last_allowed_day, on_site_span
from .messages import AppliedRule, AppliedRuleCode, Reason, ReasonCode
from .parties import Party
from .rules import GrantRules
from .working_days import WorkingDayCount, count_working_days


@dataclass(frozen=True)
class StayCheck:
    """Working days (None when the dates are reversed), reasons against the dates, rules applied."""

    working_days: WorkingDayCount | None
    reasons: list[Reason] = field(default_factory=list)
    applied_rules: list[AppliedRule] = field(default_factory=list)


def _calendar_notes(host: Party, count: WorkingDayCount) -> list[AppliedRule]:
    notes = []
    if count.weekend_days:
        notes.append(AppliedRule(AppliedRuleCode.WEEKENDS_EXCLUDED, {"weekend_days": count.weekend_days}))
    if count.calendar.label is None:
        notes.append(AppliedRule(AppliedRuleCode.NO_HOLIDAY_CALENDAR, {"country": host.country}))
    elif count.calendar.unknown_subdivision:
        notes.append(
            AppliedRule(
                AppliedRuleCode.UNKNOWN_SUBDIVISION,
                {"subdivision": host.subdivision, "country": host.country},
            )
        )
    if count.public_holidays:
        names = ", ".join(f"{holiday.name} ({holiday.day.isoformat()})" for holiday in count.public_holidays)
        notes.append(
            AppliedRule(
                AppliedRuleCode.PUBLIC_HOLIDAYS_EXCLUDED,
                {"count": len(count.public_holidays), "calendar": count.calendar.label, "names": names},
            )
        )
    return notes


def _length_reasons(start: date, end: date, working_days: int, rules: GrantRules) -> list[Reason]:
    reasons = []
    if working_days < rules.min_working_days:
        reasons.append(
            Reason(ReasonCode.TOO_SHORT, {"working_days": working_days, "minimum": rules.min_working_days})
        )
    if rules.max_stay_months is not None and end > last_allowed_day(start, rules.max_stay_months):
        reasons.append(
            Reason(
                ReasonCode.TOO_LONG,
                {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "months": rules.max_stay_months,
                    "last_allowed_day": last_allowed_day(start, rules.max_stay_months).isoformat(),
                },
            )
        )
    if rules.max_working_days is not None and working_days > rules.max_working_days:
        reasons.append(
            Reason(
                ReasonCode.TOO_MANY_WORKING_DAYS,
                {"working_days": working_days, "maximum": rules.max_working_days},
            )
        )
    return reasons


def check_stay(start: date, end: date, host: Party, rules: GrantRules) -> StayCheck:
    """Count the working days at the host and check the stay's minimum and maximum length."""
    if end < start:
        return StayCheck(
            None, [Reason(ReasonCode.DATES_REVERSED, {"start": start.isoformat(), "end": end.isoformat()})]
        )
    first_day, last_day = on_site_span(start, end, rules.dates_include_travel_days)
    count = count_working_days(first_day, last_day, host.country, host.subdivision)
    applied = _calendar_notes(host, count)
    if rules.dates_include_travel_days:
        applied.insert(
            0,
            AppliedRule(
                AppliedRuleCode.TRAVEL_DAYS_EXCLUDED, {"start": start.isoformat(), "end": end.isoformat()}
            ),
        )
    return StayCheck(count, _length_reasons(start, end, count.working_days, rules), applied)
