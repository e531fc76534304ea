"""Pictures of an event: the participant's agenda as a timeline (what the agenda shows, at its times, in
the event's zone) and the organiser's meetings per slot against the tables."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from clusterxchange.events import charts
from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import Meeting, ProgrammeItem
from tests.events.test_agendas import published  # noqa: F401 - the fixture the tests build on

pytestmark = pytest.mark.django_db


def at(event, hour, minute=0):
    day = event.start_date
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=event.tz)


@pytest.fixture
def with_items(published):  # noqa: F811
    event = published.event
    ProgrammeItem.objects.create(
        event=event,
        kind="reception",
        title="Welcome coffee",
        starts_at=at(event, 8, 30),
        ends_at=at(event, 9),
    )
    ProgrammeItem.objects.create(
        event=event,
        kind="site_visit",
        title="Fab tour",
        starts_at=at(event, 12),
        ends_at=at(event, 13, 30),
        place="Fab 1",
    )
    return published


def agenda(world, role, event, query=""):
    return world.client(role).get(reverse("events:agenda", args=[event.slug]) + query)


def blocks(day, kind):
    return [block for block in day.blocks if block.kind == kind]


def test_the_timeline_draws_the_programme_and_the_meetings_at_their_times(with_items, world):
    response = agenda(world, "owner", with_items.event)
    (day,) = response.context["timeline"]
    assert day.day == with_items.event.start_date
    # 08:00 (the hour before the first item) to 16:00 (the end of the afternoon session).
    assert (day.starts_at.hour, day.ends_at.hour) == (8, 16)
    meetings = blocks(day, "meeting")
    assert [(b.title, b.starts_at.strftime("%H:%M"), b.place) for b in meetings] == [
        ("Gamma Robotics", "09:00", "Table 1"),
        ("Delta Chips", "10:00", "Table 2"),
    ]
    assert [b.title for b in blocks(day, "item")] == ["Welcome coffee", "Fab tour"]
    assert [b.title for b in blocks(day, "session")] == ["Morning", "Afternoon"]
    # Heights follow the durations: a 30-minute meeting is a third of the 90-minute tour.
    tour = blocks(day, "item")[1]
    assert tour.height == 3 * meetings[0].height and meetings[0].height >= charts.MEETING_MIN_PX
    # The second meeting starts an hour after the first: two meetings' heights lower.
    assert meetings[1].y - meetings[0].y == 2 * meetings[0].height
    # The programme on the left, the meetings on the right.
    assert all(float(b.x) < 45 for b in blocks(day, "item"))
    assert all(float(b.x) >= 46 for b in meetings)
    html = response.content.decode()
    assert html.index('id="agenda-timeline"') < html.index('id="agenda"')
    assert re.search(
        r'<svg [^>]*role="img" aria-labelledby="timeline-day-1" aria-describedby="timeline-desc-1"', html
    )
    # The description counts what is drawn and names the programme items (the list below has the meetings).
    assert (
        "From 08:00 to 16:00: 2 meetings, 2 programme items. 08:30–09:00 Welcome coffee."
        " 12:00–13:30 Fab tour (Fab 1).</desc>"
    ) in html
    for meeting in meetings:
        assert f'data-kind="meeting" data-meeting="{meeting.row.meeting.pk}"' in html


def test_a_day_without_programme_gives_the_meetings_the_whole_width(published, world):  # noqa: F811
    (day,) = agenda(world, "owner", published.event).context["timeline"]
    assert not blocks(day, "item")
    assert {b.x for b in blocks(day, "meeting")} == {f"{charts.ALONE_LANE[0]:.2f}"}


def test_each_participant_sees_their_own_meetings_only(with_items, world):
    third = agenda(world, "owner", with_items.event).context  # the owner's
    assert {b.title for b in blocks(third["timeline"][0], "meeting")} == {"Gamma Robotics", "Delta Chips"}
    other = agenda(world, "outsider", with_items.event)  # Gamma Robotics' agenda: one meeting, with Alpha
    (day,) = other.context["timeline"]
    assert [b.title for b in blocks(day, "meeting")] == ["Alpha Sensors"]
    assert "Delta Chips" not in other.content.decode().split('id="agenda-timeline"')[1].split("</section>")[0]


def test_the_organiser_sees_the_published_or_the_current_plan(with_items, world):
    event = with_items.event
    meeting = Meeting.objects.get(request=with_items.pending)
    later = with_items.session_pm.slots.order_by("starts_at").first()
    Meeting.objects.filter(pk=meeting.pk).update(slot=later)  # moved, not published yet
    query = f"?registration={with_items.participant.pk}"
    published_day = agenda(world, "manager", event, query).context["timeline"][0]
    current_day = agenda(world, "manager", event, query + "&current=1").context["timeline"][0]
    start = {b.title: b.starts_at.strftime("%H:%M") for b in blocks(published_day, "meeting")}
    moved = {b.title: b.starts_at.strftime("%H:%M") for b in blocks(current_day, "meeting")}
    assert start["Gamma Robotics"] == "09:00" and moved["Gamma Robotics"] == "14:00"
    # The participant still sees the published time.
    own = agenda(world, "owner", event).context["timeline"][0]
    assert {b.title: b.starts_at.strftime("%H:%M") for b in blocks(own, "meeting")}[
        "Gamma Robotics"
    ] == "09:00"


def test_no_meeting_and_no_programme_draws_no_timeline(ew, world):
    matchmaking.respond(world.users["outsider"], ew.pending, True)  # accepted, not scheduled
    response = agenda(world, "owner", ew.event)
    assert response.context["timeline"] == []
    assert 'id="agenda-timeline"' not in response.content.decode()


def test_the_drawing_keeps_its_numbers_in_german(with_items, world):
    html = world.client("owner").get("/de" + reverse("events:agenda", args=[with_items.event.slug])).content
    svg = html.decode().split('id="agenda-timeline"')[1]
    assert 'x="46.00%"' in svg and "46,00" not in svg
    assert "Freitag 20.06.2031" in svg and "09:00" in svg


def test_meetings_per_slot_counts_every_slot_against_the_tables(published, world):  # noqa: F811
    event = published.event
    loads = charts.slot_load(event)
    # Two sessions of four 30-minute slots; 3 tables; a meeting in the first and the third slot.
    assert [
        (load.slot.starts_at.astimezone(event.tz).strftime("%H:%M"), load.meetings) for load in loads
    ] == [
        ("09:00", 1),
        ("09:30", 0),
        ("10:00", 1),
        ("10:30", 0),
        ("14:00", 0),
        ("14:30", 0),
        ("15:00", 0),
        ("15:30", 0),
    ]
    assert {load.capacity for load in loads} == {3}
    html = world.client("manager").get(reverse("events:schedule", args=[event.slug])).content.decode()
    section = html.split('id="meetings-per-slot"')[1].split("</section>")[0]
    first = loads[0].slot.pk
    assert f'data-slot="{first}" data-meetings="1" data-capacity="3"' in section
    assert '<progress value="1" max="3" aria-hidden="true">' in section
    assert "1 meeting of 3 tables" in section and "0 meetings of 3 tables" in section
    assert section.count("<tr data-slot=") == 8


def test_a_full_slot_is_marked_in_words_and_an_online_session_has_no_table_limit(published, world):  # noqa: F811
    event = published.event
    event.tables.filter(number=3).delete()  # two tables left
    third = published.session_am.slots.order_by("starts_at")[2]
    online = published.session_pm.slots.order_by("starts_at").first()
    published.session_pm.online = True
    published.session_pm.save()
    Meeting.objects.filter(event=event).update(slot=third)  # both meetings there: its two tables taken
    loads = {load.slot.pk: load for load in charts.slot_load(event)}
    assert (loads[third.pk].meetings, loads[third.pk].capacity, loads[third.pk].full) == (2, 2, True)
    schedule = reverse("events:schedule", args=[event.slug])
    assert (
        "2 meetings of 2 tables <mark>full</mark>" in world.client("manager").get(schedule).content.decode()
    )
    Meeting.objects.filter(request=published.pending).update(slot=online, table=None)
    loads = {load.slot.pk: load for load in charts.slot_load(event)}
    assert (loads[third.pk].meetings, loads[third.pk].full) == (1, False)
    assert (loads[online.pk].meetings, loads[online.pk].capacity, loads[online.pk].full) == (1, 0, False)
    html = world.client("manager").get(schedule).content.decode()
    assert "1 online meeting" in html and "1 meeting of 2 tables" in html


@pytest.mark.parametrize("role", ["owner", "outsider", "same_cluster", "anonymous"])
def test_only_organisers_see_the_meetings_per_slot(published, world, role):  # noqa: F811
    response = world.client(role).get(reverse("events:schedule", args=[published.event.slug]))
    assert response.status_code in (302, 403, 404)
    assert b"meetings-per-slot" not in response.content
