"""The organiser's meeting grid is a table plan (one column per table, one row per slot), not laid out
by the CSS framework's `.grid` (which put the headings beside the rows)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_meeting_grid_is_a_plain_table_in_its_own_scroll_box(world, ew):
    body = world.client("coordinator").get(reverse("events:grid", args=[ew.event.slug])).content.decode()
    table_classes = re.findall(r'<table class="([^"]*)"', body)
    assert table_classes and all("grid" not in classes.split() for classes in table_classes)
    assert '<div class="table-scroll">\n<table class="meeting-grid' in body


def test_the_scheduling_page_folds_the_list_of_scheduled_meetings(world, ew):
    body = world.client("coordinator").get(reverse("events:schedule", args=[ew.event.slug])).content.decode()
    assert '<details class="long-list" open>' in body  # a short list starts unfolded
    assert "scheduled meeting" in body.split('class="long-list"')[1].split("</summary>")[0]


def test_the_scheduling_page_charts_the_meetings_per_slot(world, ew):
    from clusterxchange.events.models import Meeting, Slot, Table

    slot = Slot.objects.filter(session__event=ew.event).order_by("starts_at").first()
    table = Table.objects.filter(event=ew.event).first()
    Meeting.objects.create(
        event=ew.event, request=ew.pending, first=ew.participant, second=ew.other, slot=slot, table=table
    )
    body = world.client("coordinator").get(reverse("events:schedule", args=[ew.event.slug])).content.decode()
    chart = body.split('id="meetings-per-slot"')[1].split("</section>")[0]
    assert chart.count("<progress") == 8  # every slot of the two sessions, the empty ones too
    assert '<progress value="1" max="3"' in chart and "1 meeting of 3 tables" in chart


def test_the_printed_table_plan_has_sheets_of_a_few_tables_with_both_parties_names(world, ew):
    """Forty tables side by side run off a sheet of paper: printed, the page's tables come in sheets of
    GRID_TABLES_PER_SHEET, each with the slots as rows and both parties (organisation and person)."""
    from clusterxchange.directory.models import Person
    from clusterxchange.events import agendas
    from clusterxchange.events.domain import matchmaking, timetable
    from clusterxchange.events.models import Meeting, Slot

    timetable.set_table_count(world.users["manager"], ew.event, 10)
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    slot = Slot.objects.filter(session__event=ew.event).order_by("starts_at").first()
    ninth = ew.event.tables.get(number=9)
    Meeting.objects.filter(request=ew.pending).update(slot=slot, table=ninth)
    ew.participant.person = Person.objects.create(
        first_name="Amélie", last_name="Durand", organisation=world.org_a1
    )
    ew.participant.save()

    response = world.client("manager").get(reverse("events:grid", args=[ew.event.slug]))
    sheets = response.context["sheets"]
    assert [len(tables) for tables, _rows in sheets] == [agendas.GRID_TABLES_PER_SHEET, 2]
    assert all(len(meetings) == 2 for _slot, meetings in sheets[1][1])
    printed = response.content.decode().split('<div class="grid-print">')[1]
    assert printed.count('<table class="meeting-grid-print">') == 2
    second_sheet = printed.split('<table class="meeting-grid-print">')[2]
    assert "Table 9 – Table 10" in second_sheet
    assert "Alpha Sensors <small>(Amélie Durand)</small>" in second_sheet
    assert "Gamma Robotics" in second_sheet


def test_the_grid_rows_give_the_time_only_as_the_page_shows_one_day(world, ew):
    """On a phone the row headings took half the screen repeating the day chosen above the grid
    ("Mon 07/12/2026 08:00"); the time alone leaves the tables the room (walk3)."""
    body = world.client("coordinator").get(reverse("events:grid", args=[ew.event.slug])).content.decode()
    headings = re.findall(r'<th scope="row">([^<]*)</th>', body.split('class="meeting-grid')[1])
    assert headings[:2] == ["09:00", "09:30"]


def test_the_scheduling_page_says_the_slot_length_in_the_readers_language(world, ew):
    from django.utils import translation

    with translation.override("de"):
        url = reverse("events:schedule", args=[ew.event.slug])
    body = world.client("coordinator").get(url).content.decode()
    assert "4 × 30 Min." in body and "× 30 min<" not in body
