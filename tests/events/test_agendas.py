"""Agendas: iCalendar feed (parses, round-trips times in the event's zone), PDF text, grid, exports."""

import shutil
import subprocess
import zoneinfo
from datetime import datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clusterxchange.core.domain import Refused
from clusterxchange.events.domain import matchmaking, registering, timetable
from clusterxchange.events.models import Meeting
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(ew, world):
    """Two meetings of the participant, placed by hand and published."""
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    org = make_org("Delta Chips", "DE", description="Chip design house")
    user = make_user("delta@test.example", org)
    third = registering.register(user, ew.event, org, profile="ASIC design services")
    second_request = matchmaking.request_meeting(user, third, ew.participant, "Chips?")
    matchmaking.respond(world.users["owner"], second_request, True)
    slots = list(ew.session_am.slots.order_by("starts_at"))
    tables = list(ew.event.tables.order_by("number"))
    Meeting.objects.filter(request=ew.pending).update(slot=slots[0], table=tables[0])
    Meeting.objects.filter(request=second_request).update(slot=slots[2], table=tables[1])
    timetable.publish_agenda(world.users["manager"], ew.event, final=True)
    ew.third = third
    return ew


def test_calendar_parses_and_round_trips_times_in_the_event_zone(published, world):
    response = world.client("anonymous").get(
        reverse("events:calendar", args=[published.event.slug, published.participant.calendar_token])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    meetings = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("meeting-")]
    assert len(meetings) == 2
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    expected = {
        m.pk: m.published_slot
        for m in Meeting.objects.filter(event=published.event).select_related("published_slot")
    }
    for component in meetings:
        start = component.decoded("dtstart")
        meeting_id = int(str(component["uid"]).split("-")[1].split("@")[0])
        assert start == expected[meeting_id].starts_at
        assert str(start.tzinfo) == "Europe/Berlin"
        assert component["dtstart"].params.get("TZID") == "Europe/Berlin"
    starts = sorted(c.decoded("dtstart").astimezone(berlin).time() for c in meetings)
    assert starts == [time(9, 0), time(10, 0)]
    summaries = sorted(str(c["summary"]) for c in meetings)
    assert summaries == ["B2B meeting: Delta Chips", "B2B meeting: Gamma Robotics"]
    assert any("Table 1" in str(c["location"]) for c in meetings)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_unpublished_changes_stay_out_of_the_feed(published, world):
    meeting = Meeting.objects.get(request=published.pending)
    meeting.slot = published.session_pm.slots.first()
    meeting.save()
    calendar = Calendar.from_ical(
        world.client("anonymous")
        .get(reverse("events:calendar", args=[published.event.slug, published.participant.calendar_token]))
        .content
    )
    starts = [
        c.decoded("dtstart")
        for c in calendar.walk("VEVENT")
        if str(c["uid"]) == f"meeting-{meeting.pk}@clusterxchange"
    ]
    assert starts and timezone.localtime(starts[0], published.event.tz).time() == time(9, 0)


def test_agenda_page_lists_each_meeting_with_time_table_and_party(published, world):
    response = world.client("owner").get(reverse("events:agenda", args=[published.event.slug]))
    content = response.content.decode()
    assert "Gamma Robotics" in content and "Delta Chips" in content
    assert "Table 1" in content and "Table 2" in content
    assert "09:00" in content and "10:00" in content
    assert "ASIC design services" in content


def test_agenda_times_follow_the_user_locale(published, world):
    client = world.client("owner")
    assert "20/06/2031" in client.get(reverse("events:agenda", args=[published.event.slug])).content.decode()
    response = client.get("/de" + reverse("events:agenda", args=[published.event.slug]))
    assert response.status_code == 200
    assert "20.06.2031" in response.content.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_agenda_pdf_contains_each_meeting(published, world, tmp_path):
    response = world.client("owner").get(reverse("events:agenda_pdf", args=[published.event.slug]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Gamma Robotics",
        "Delta Chips",
        "09:00",
        "10:00",
        "Table 1",
        "Table 2",
        "Silicon Day B2B",
    ):
        assert expected in text


def test_grid_and_exports(published, world):
    client = world.client("manager")
    grid = client.get(reverse("events:grid", args=[published.event.slug])).content.decode()
    assert "Gamma Robotics" in grid and "Delta Chips" in grid
    csv = client.get(reverse("events:grid", args=[published.event.slug]) + "?export=csv").content.decode(
        "utf-8-sig"
    )
    lines = csv.strip().splitlines()
    assert lines[0].startswith("day,start,end,table")
    assert len(lines) == 3
    assert "2031-06-20,09:00,09:30,Table 1,Alpha Sensors,Gamma Robotics" in lines[1]
    xlsx = client.get(reverse("events:grid", args=[published.event.slug]) + "?export=xlsx")
    assert xlsx.content.startswith(b"PK")


@time_machine.travel(datetime(2031, 6, 20, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")), tick=False)
def test_feedback_and_statistics(published, world):
    meeting = Meeting.objects.get(request=published.pending)
    response = world.client("owner").post(
        reverse("events:feedback", args=[published.event.slug, meeting.pk]),
        {
            "took_place": "on",
            "usefulness": "4",
            "follow_up": "on",
            "testimonial": "Great",
            "publish_consent": "on",
        },
    )
    assert response.status_code == 302
    response = world.client("outsider").post(
        reverse("events:feedback", args=[published.event.slug, meeting.pk]), {"usefulness": "2"}
    )
    stats = world.client("manager").get(f"/api/events/{published.event.slug}/statistics").json()
    assert stats["requested"] == 2 and stats["accepted"] == 2 and stats["scheduled"] == 2
    assert stats["held"] == 1 and stats["follow_ups"] == 1 and stats["satisfaction"] == 4
    assert stats["testimonials"] == [{"organisation": "Alpha Sensors", "text": "Great"}]
    # a stranger to the meeting cannot rate it
    response = world.client("same_cluster").post(
        reverse("events:feedback", args=[published.event.slug, meeting.pk]), {"took_place": "on"}
    )
    assert response.status_code == 403


def test_feedback_before_the_event_is_refused(published, world):
    meeting = Meeting.objects.get(request=published.pending)
    with pytest.raises(Refused, match="opens when the meeting starts"):
        matchmaking.record_feedback(
            world.users["owner"], meeting, published.participant, {"took_place": True}
        )


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_feedback_opens_when_the_meeting_starts_not_when_the_event_does(published, world):
    """The event's first day, 08:59, before the participant's 09:00 and 10:00 meetings; then 09:00."""
    first = Meeting.objects.get(request=published.pending)  # 09:00
    second = Meeting.objects.exclude(pk=first.pk).get(event=published.event)  # 10:00
    agenda = reverse("events:agenda", args=[published.event.slug])
    with time_machine.travel(datetime(2031, 6, 20, 8, 59, tzinfo=BERLIN), tick=False):
        with pytest.raises(Refused, match="opens when the meeting starts"):
            matchmaking.record_feedback(
                world.users["owner"], first, published.participant, {"took_place": True}
            )
        page = world.client("owner").get(agenda).content.decode()
        assert page.count("Feedback opens when the meeting starts") == 2
        assert "Rate this meeting" not in page
    with time_machine.travel(datetime(2031, 6, 20, 9, 0, tzinfo=BERLIN), tick=False):
        matchmaking.record_feedback(world.users["owner"], first, published.participant, {"took_place": True})
        with pytest.raises(Refused, match="opens when the meeting starts"):
            matchmaking.record_feedback(
                world.users["owner"], second, published.participant, {"took_place": True}
            )
        page = world.client("owner").get(agenda).content.decode()
        assert page.count("Feedback opens when the meeting starts") == 1
        assert "Change" in page
