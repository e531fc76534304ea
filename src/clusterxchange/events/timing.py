"""When a participant may give feedback on a B2B meeting: from the moment it starts (the slot of the
published agenda, else the current one; the event's first day when it has none). Asked by the domain
and the agenda page."""

from datetime import datetime, time, tzinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def meeting_starts_at(meeting) -> datetime:
    slot = meeting.published_slot or meeting.slot
    if slot is not None:
        return slot.starts_at
    event = meeting.event
    return datetime.combine(event.start_date, time.min, tzinfo=event.tz)


def feedback_too_early(meeting, now: datetime | None = None) -> str:
    """Why feedback on this meeting is not possible yet ("" once it has started)."""
    return feedback_too_early_at(meeting_starts_at(meeting), meeting.event.tz, now)


def feedback_too_early_at(starts_at: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    if (now or timezone.now()) >= starts_at:
        return ""
    with timezone.override(tz):
        when = formats.date_format(timezone.localtime(starts_at), "DATETIME_FORMAT")
    return _("Feedback opens when the meeting starts (%(when)s).") % {"when": when}
