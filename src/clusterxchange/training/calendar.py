"""The iCalendar feed of the catalogue's dated sessions (RFC 5545, written with `icalendar`)."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from clusterxchange.training.models import TrainingSession

PAST_DAYS = 90


def sessions_of(entries):
    """Dated sessions of the given entries, from 90 days ago on."""
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return (
        TrainingSession.objects.filter(entry__in=entries, ends_at__gte=since)
        .select_related("entry")
        .order_by("starts_at")
    )


def build_calendar(sessions, *, base_url: str, name: str, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//clusterxchange//training catalogue//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval;value=duration", "PT12H")
    stamp = timezone.now()
    for session in sessions:
        entry = session.entry
        event = Event()
        event.add("uid", f"training-session-{session.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{entry.title} ({entry.provider})")
        event.add("description", "\n\n".join(part for part in (entry.description, entry.link) if part))
        event.add("url", f"{base_url}{entry.get_absolute_url()}")
        event.add("location", entry.get_format_display())
        calendar.add_component(event)
    return calendar.to_ical()
