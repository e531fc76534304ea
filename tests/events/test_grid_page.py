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
