"""Pictures of an event, laid out on the server and drawn by templates as SVG (no JavaScript, no inline
style: they pass the Content-Security-Policy, work offline and print):

- a participant's agenda as a timeline: one drawing per day, the event's programme items on the left,
  the participant's B2B meetings on the right over the B2B sessions' hours (`agenda_timeline`);
- the organiser's meetings per slot against the tables there are (`slot_load`).

Each picture has its words beside it (the agenda's list, the chart's table): the drawing is for the eye.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from clusterxchange.events.agendas import AgendaRow
from clusterxchange.events.models import Event, Meeting, Slot

# A meeting's block is at least this tall (two lines of 12 px text), whatever the slot's length.
MEETING_MIN_PX = 40
# Pixels per minute: the shortest meeting sets it, within these bounds (a day stays under ~1,500 px).
MINUTE_PX = (1.0, 2.5)
TOP_PX = 10  # room above the first hour's label
# Horizontal layout, in percent of the drawing's width: hour labels, the programme, the meetings.
LABELS_WIDTH = 13.0
ITEMS_LANE = (LABELS_WIDTH, 31.0)
MEETINGS_LANE = (46.0, 54.0)
ALONE_LANE = (LABELS_WIDTH, 87.0)  # the meetings when the day has no programme item


@dataclass
class Block:
    """One thing at its time: a programme item, a B2B session (drawn behind the meetings) or a meeting."""

    kind: str  # "item", "session" or "meeting"
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    row: AgendaRow | None = None
    y: int = 0
    height: int = 0
    x: str = "0"  # percent, as text: the template writes it into an attribute in any language
    width: str = "100"

    @property
    def two_lines(self) -> bool:
        return self.height >= 32


@dataclass
class TimelineDay:
    day: date
    starts_at: datetime
    ends_at: datetime
    height: int = 0
    hours: list[tuple[int, datetime]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return sum(1 for block in self.blocks if block.kind == "meeting")

    @property
    def items(self) -> int:
        return sum(1 for block in self.blocks if block.kind == "item")


def _place(blocks: list[Block], lane: tuple[float, float]) -> None:
    """Side by side where they overlap: each block in the first sub-lane free at its start."""
    ends: list[datetime] = []
    chosen = []
    for block in sorted(blocks, key=lambda b: (b.starts_at, b.ends_at)):
        index = next((i for i, end in enumerate(ends) if end <= block.starts_at), len(ends))
        if index == len(ends):
            ends.append(block.ends_at)
        else:
            ends[index] = block.ends_at
        chosen.append((block, index))
    left, width = lane
    share = width / max(1, len(ends))
    for block, index in chosen:
        block.x = f"{left + index * share:.2f}"
        block.width = f"{share - 0.6:.2f}"  # a thin gap between neighbours


def _minute_px(meetings: list[Block]) -> float:
    shortest = min(((b.ends_at - b.starts_at).total_seconds() / 60 for b in meetings), default=60)
    low, high = MINUTE_PX
    return min(high, max(low, MEETING_MIN_PX / max(shortest, 1)))


def agenda_timeline(event: Event, rows: list[AgendaRow]) -> list[TimelineDay]:
    """The days of the participant's agenda as drawings: the event's programme items and the
    participant's meetings (`rows`, as the agenda shows them) at their times in the event's zone, over
    the B2B sessions' hours; a day without a meeting or programme item is left out."""
    tz = event.tz

    def local(moment: datetime) -> datetime:
        return timezone.localtime(moment, tz)

    meetings = [
        Block(
            "meeting",
            row.other.organisation.name,
            local(row.starts_at),
            local(row.ends_at),
            place=str(row.table or ""),
            row=row,
        )
        for row in rows
    ]
    items = [
        Block("item", item.title, local(item.starts_at), local(item.ends_at), place=item.place)
        for item in event.programme_items.all()
    ]
    sessions = [
        Block(
            "session",
            session.name,
            datetime.combine(session.date, session.start_time, tzinfo=tz),
            datetime.combine(session.date, session.end_time, tzinfo=tz),
        )
        for session in event.sessions.order_by("date", "start_time")
    ]
    minute_px = _minute_px(meetings)
    days = []
    for day in sorted({block.starts_at.date() for block in meetings + items}):
        on_day = [block for block in sessions + items + meetings if block.starts_at.date() == day]
        midnight = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        for block in on_day:  # an item running past midnight is drawn to the end of its first day
            block.ends_at = min(block.ends_at, midnight + timedelta(days=1))
        first = min(block.starts_at for block in on_day).replace(minute=0, second=0, microsecond=0)
        last = max(block.ends_at for block in on_day)
        if last.minute or last.second:
            last = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        timeline = TimelineDay(day=day, starts_at=first, ends_at=last)

        def y_of(moment: datetime, first=first) -> int:
            return TOP_PX + round((moment - first).total_seconds() / 60 * minute_px)

        for block in on_day:
            block.y = y_of(block.starts_at)
            block.height = max(y_of(block.ends_at) - block.y, 16)
        day_items = [block for block in on_day if block.kind == "item"]
        _place(day_items, ITEMS_LANE)
        lane = MEETINGS_LANE if day_items else ALONE_LANE
        _place([block for block in on_day if block.kind == "session"], lane)
        _place([block for block in on_day if block.kind == "meeting"], lane)
        hour = first
        while hour <= last:
            timeline.hours.append((y_of(hour), hour))
            hour += timedelta(hours=1)
        timeline.height = y_of(last) + TOP_PX
        # Sessions first: they are drawn behind the meetings.
        timeline.blocks = sorted(on_day, key=lambda b: (b.kind != "session", b.starts_at))
        days.append(timeline)
    return days


@dataclass
class SlotLoad:
    slot: Slot
    meetings: int
    capacity: int  # the tables of the event; an online session's slots have no table limit (0)

    @property
    def full(self) -> bool:
        return bool(self.capacity) and self.meetings >= self.capacity


def slot_load(event: Event) -> list[SlotLoad]:
    """Every slot of the event in time order with its scheduled meetings (one query) and the tables
    there are for them: what the scheduling page draws as a bar per slot."""
    tables = event.tables.count()
    slots = (
        Slot.objects.filter(session__event=event)
        .select_related("session")
        .annotate(scheduled=Count("meetings", filter=Q(meetings__status=Meeting.Status.ACTIVE)))
        .order_by("starts_at", "pk")
    )
    return [SlotLoad(slot, slot.scheduled, 0 if slot.session.online else tables) for slot in slots]
