"""Agendas: a participant's meetings (web, PDF, iCalendar), the organiser's grid, exports."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clusterxchange.events import hybrid, schedule_reasons
from clusterxchange.events.models import Event, Meeting, Registration, Slot, Table
from clusterxchange.exchanges.documents import to_pdf


@dataclass
class AgendaRow:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    table: Table | None
    other: Registration
    must_meet: bool
    online: bool = False
    video_link: str = ""


def agenda_rows(registration: Registration, published: bool = True) -> list[AgendaRow]:
    """The participant's meetings in time order: as published, or as currently scheduled, each on site
    or online with its video link (the agenda is the participant's and the organisers' only)."""
    slot_field, table_field = ("published_slot", "published_table") if published else ("slot", "table")
    meetings = (
        Meeting.objects.filter(Q(first=registration) | Q(second=registration), status=Meeting.Status.ACTIVE)
        .filter(**{f"{slot_field}__isnull": False})
        .select_related(
            f"{slot_field}__session",
            table_field,
            "first__organisation",
            "second__organisation",
            "first__person",
            "second__person",
        )
        # In time order below, in Python: with this many columns selected, Django's ORDER BY
        # compilation cost more than the query itself (about a third of the page's time).
        .order_by()
    )
    # Every meeting's event and programme, read once rather than once a row.
    event = Event.objects.select_related("programme").get(pk=registration.event_id)
    rows = []
    for meeting in meetings:
        meeting.event = event
        slot: Slot = getattr(meeting, slot_field)
        rows.append(
            AgendaRow(
                meeting=meeting,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                table=getattr(meeting, table_field),
                other=meeting.other_party(registration),
                must_meet=meeting.must_meet,
                online=hybrid.is_online(meeting, slot),
                video_link=hybrid.video_link(meeting, slot),
            )
        )
    rows.sort(key=lambda row: (row.starts_at, row.meeting.pk))
    return rows


def _to_pdf(html: str) -> bytes:

    return to_pdf(html)


def agenda_html(registration: Registration, rows: list[AgendaRow]) -> str:
    event = registration.event
    with timezone.override(event.tz):
        return render_to_string(
            "events/pdf/agenda.html",
            {"event": event, "registration": registration, "rows": rows, "site_name": settings.SITE_NAME},
        )


def agenda_pdf(registration: Registration, rows: list[AgendaRow]) -> bytes:
    return _to_pdf(agenda_html(registration, rows))


def agenda_ical(registration: Registration, rows: list[AgendaRow], base_url: str) -> bytes:
    """An iCalendar feed: the programme items and the participant's published meetings, in the event's zone."""

    event = registration.event
    tz = event.tz
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} – {registration.organisation.name}")
    calendar.add("x-wr-timezone", event.time_zone)
    for item in event.programme_items.all():
        entry = CalendarEvent()
        entry.add("uid", f"item-{item.pk}@{settings.SITE_NAME}")
        entry.add("summary", item.title)
        entry.add("dtstart", timezone.localtime(item.starts_at, tz))
        entry.add("dtend", timezone.localtime(item.ends_at, tz))
        entry.add("dtstamp", timezone.now())
        if item.place:
            entry.add("location", item.place)
        calendar.add_component(entry)
    for row in rows:
        other = row.other
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{row.meeting.pk}@{settings.SITE_NAME}")
        entry.add("summary", _("B2B meeting: %(name)s") % {"name": other.organisation.name})
        entry.add("dtstart", timezone.localtime(row.starts_at, tz))
        entry.add("dtend", timezone.localtime(row.ends_at, tz))
        entry.add("dtstamp", timezone.now())
        if row.online:
            location = row.video_link or _("Online")
            if row.video_link:
                entry.add("url", row.video_link)
        else:
            location = ", ".join(
                part for part in (str(row.table) if row.table else "", event.venue, event.city) if part
            )
        entry.add("location", location)
        description = [
            _("Online meeting: %(link)s") % {"link": row.video_link or _("link to follow")}
            if row.online
            else "",
            other.organisation.name,
            str(other.person) if other.person else "",
            other.profile or other.organisation.description,
            f"{base_url.rstrip('/')}{other.organisation.get_absolute_url()}",
        ]
        entry.add("description", "\n".join(part for part in description if part))
        calendar.add_component(entry)
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID, for clients without a zone database
    return calendar.to_ical()


GRID_TABLES_PER_PAGE = 40
# The printed table plan: this many tables across an A4 landscape sheet, names still readable.
GRID_TABLES_PER_SHEET = 8


@dataclass
class GridPage:
    """One page of the organiser's grid: one day's slots × a run of tables (a 2,000-participant event
    has hundreds of tables; the whole plan at once would be tens of thousands of cells)."""

    days: list
    day: object
    pages: int
    page: int
    slots: list[Slot]
    tables: list[Table]
    cells: dict[tuple[int, int], Meeting]
    unscheduled: int

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)

    def sheets(self, per_sheet: int = GRID_TABLES_PER_SHEET) -> list[tuple[list[Table], list]]:
        """The page's tables cut into printed sheets: each sheet's tables and, per slot, its meetings
        (None for a free cell). Forty tables side by side do not fit a sheet of paper."""
        return [
            (
                self.tables[start : start + per_sheet],
                [
                    (
                        slot,
                        [
                            self.cells.get((slot.pk, table.pk))
                            for table in self.tables[start : start + per_sheet]
                        ],
                    )
                    for slot in self.slots
                ],
            )
            for start in range(0, len(self.tables), per_sheet)
        ]


def grid(
    event: Event,
    published: bool = False,
    *,
    day=None,
    page: int = 1,
    per_page: int = GRID_TABLES_PER_PAGE,
) -> GridPage:
    """Slots × tables with the meeting in each cell (as scheduled, or as published), for one day (the
    first one by default) and one page of tables."""
    slot_field, table_field = (
        ("published_slot_id", "published_table_id") if published else ("slot_id", "table_id")
    )
    days = sorted(set(event.sessions.values_list("date", flat=True)))
    if day not in days:
        day = days[0] if days else None
    table_count = event.tables.count()
    pages = max(1, -(-table_count // per_page))
    page = min(max(1, page), pages)
    slots = list(Slot.objects.filter(session__event=event, session__date=day).order_by("starts_at"))
    tables = list(
        event.tables.select_related("owner__organisation").order_by("number")[
            (page - 1) * per_page : page * per_page
        ]
    )
    cells = {}
    meetings = event.meetings.filter(
        status=Meeting.Status.ACTIVE,
        **{f"{slot_field}__in": [s.pk for s in slots], f"{table_field}__in": [t.pk for t in tables]},
    ).select_related(
        "first__organisation",
        "second__organisation",
        "first__person",
        "second__person",
        "first__user",
        "second__user",
    )
    for meeting in meetings:
        cells[(getattr(meeting, slot_field), getattr(meeting, table_field))] = meeting
    unscheduled = event.meetings.filter(
        status=Meeting.Status.ACTIVE, **{f"{slot_field}__isnull": True}
    ).count()
    return GridPage(days, day, pages, page, slots, tables, cells, unscheduled)


EXPORT_HEADERS = [
    "day",
    "start",
    "end",
    "table",
    "participant_a",
    "participant_b",
    "must_meet",
    "locked",
    "published",
    "scheduler_note",
]


def export_rows(event: Event):
    """The scheduled meetings by time and table, then those not placed (no day, time or table);
    ``scheduler_note`` says why one was not placed, or why it was moved or kept, in the reader's
    language (`schedule_reasons.notes`)."""
    tz = event.tz
    meetings = event.meetings.filter(status=Meeting.Status.ACTIVE).select_related(
        "slot", "table", "first__organisation", "second__organisation"
    )
    notes = schedule_reasons.notes(event, meetings.exclude(scheduler_note={}))
    for meeting in (
        meetings.filter(slot__isnull=False)
        .order_by("slot__starts_at", "table__number")
        .iterator(chunk_size=2000)
    ):
        start = timezone.localtime(meeting.slot.starts_at, tz)
        end = timezone.localtime(meeting.slot.ends_at, tz)
        yield [
            start.date().isoformat(),
            start.strftime("%H:%M"),
            end.strftime("%H:%M"),
            str(meeting.table) if meeting.table else "",
            *_export_parties(meeting),
            notes.get(meeting.pk, ""),
        ]
    for meeting in meetings.filter(slot__isnull=True).order_by("pk").iterator(chunk_size=2000):
        yield ["", "", "", "", *_export_parties(meeting), notes.get(meeting.pk, "")]


def _export_parties(meeting: Meeting) -> list[str]:
    return [
        meeting.first.organisation.name,
        meeting.second.organisation.name,
        "yes" if meeting.must_meet else "",
        "yes" if meeting.locked else "",
        "yes" if meeting.is_published else "",
    ]
