"""When each step of an exchange becomes possible: one table, asked by the domain, the pages and the API.

A step refused by the table is refused with its reason (409 in the API) and is not offered: pages and
the API's `actions` leave it out and say when it opens (`waiting_steps`). Dates are the stay's own
(its first and last day on site), compared with today's date in the platform's time zone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TimeRule:
    earliest: Callable[[object], date]  # the first day the step is possible
    reason: Promise  # with %(date)s


def _first_day(exchange) -> date:
    return exchange.start_date


def _last_day(exchange) -> date:
    return exchange.end_date


AFTER_THE_STAY = _("Possible from the stay's last day, %(date)s.")

EXCHANGE_TIME_RULES: dict[str, TimeRule] = {
    "start": TimeRule(_first_day, _("The stay starts on %(date)s; it cannot be marked as started before.")),
    "confirm_by_host": TimeRule(
        _last_day, _("The host confirms that the exchange took place from its last day, %(date)s.")
    ),
    "submit_report": TimeRule(_last_day, AFTER_THE_STAY),
    "validate_report": TimeRule(_last_day, AFTER_THE_STAY),
    "record_payment": TimeRule(_last_day, AFTER_THE_STAY),
    "certify": TimeRule(_last_day, AFTER_THE_STAY),
}


def too_early(step: str, exchange, today: date | None = None) -> str:
    """Why `step` is not possible yet on this exchange ("" when the dates allow it)."""
    rule = EXCHANGE_TIME_RULES.get(step)
    if rule is None:
        return ""
    earliest = rule.earliest(exchange)
    if (today or timezone.localdate()) >= earliest:
        return ""
    return str(rule.reason) % {"date": formats.date_format(earliest, "DATE_FORMAT")}
