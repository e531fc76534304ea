"""Dates as people read them: the one way pages write a span of days (an event, an exchange's stay, a
tandem), so an event and an exchange read alike in every language ("10 marca 2027", not "10-03-2027")."""

from datetime import date

from django.utils.formats import date_format


def date_range(start: date | None, end: date | None = None) -> str:
    """`start – end` written out in the active language (DATE_FORMAT); one date when the span is one day
    (a one-day event read "11 mars 2027 – 11 mars 2027")."""
    if start is None:
        return date_format(end, "DATE_FORMAT") if end else ""
    first = date_format(start, "DATE_FORMAT")
    if end is None or end == start:
        return first
    return f"{first} – {date_format(end, 'DATE_FORMAT')}"
