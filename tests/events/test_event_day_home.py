"""On the day of an event, the home page leads each person to what they need there in one tap:
a participant to their agenda (their meetings, tables and partners), an organiser to the check-in
and the meeting grid (walk3: it took five taps through the menu and the events list on a phone)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterxchange.events import attendance
from clusterxchange.events.models import Event

pytestmark = pytest.mark.django_db


def hold_today(event, *, days_before: int = 0) -> None:
    today = timezone.localtime(timezone.now(), event.tz).date()
    Event.objects.filter(pk=event.pk).update(
        start_date=today - timedelta(days=days_before), end_date=today + timedelta(days=1)
    )


def home(world, role) -> str:
    return world.client(role).get(reverse("home")).content.decode()


def test_on_the_event_day_each_role_finds_the_days_page_on_the_home_page(world, ew):
    hold_today(ew.event, days_before=1)
    agenda = reverse("events:agenda", args=[ew.event.slug])
    checkin = reverse("events:checkin", args=[ew.event.slug])
    grid = reverse("events:grid", args=[ew.event.slug])
    for role, links in (
        ("owner", {agenda}),  # a validated participant: their own agenda
        ("outsider", {agenda}),
        ("coordinator", {checkin, grid}),  # organisers: the day's two pages
        ("manager", {checkin, grid}),
        ("same_cluster", set()),  # not registered: nothing
    ):
        page = home(world, role)
        shown = {link for link in (agenda, checkin, grid) if f'href="{link}"' in page}
        assert shown == links, role
        box = page.split('id="today-box"')[1].split("</section>")[0] if 'id="today-box"' in page else ""
        assert ("Silicon Day B2B" in box) == bool(links), role
    assert 'id="today-box"' not in world.client("anonymous").get(reverse("home")).content.decode()


def test_the_home_page_shows_no_event_day_box_before_or_after_the_event(world, ew):
    assert 'id="today-box"' not in home(world, "owner")  # the event is in the future
    today = timezone.localtime(timezone.now(), ew.event.tz).date()
    Event.objects.filter(pk=ew.event.pk).update(
        start_date=today - timedelta(days=3), end_date=today - timedelta(days=1)
    )
    assert 'id="today-box"' not in home(world, "owner")
    assert 'id="today-box"' not in home(world, "manager")


def test_a_participant_not_yet_validated_is_not_sent_to_an_agenda(world, ew):
    hold_today(ew.event)
    ew.participant.status = "registered"
    ew.participant.save(update_fields=["status"])
    assert 'id="today-box"' not in home(world, "owner")


def test_the_agenda_adds_itself_to_the_participants_calendar_in_one_tap(world, ew):
    """On a phone the calendar address sat in a read-only field to copy; a link to it opens the phone's
    calendar (walk3). Only on the participant's own agenda: the address is theirs."""
    agenda = reverse("events:agenda", args=[ew.event.slug])
    page = world.client("owner").get(agenda).content.decode()
    ew.participant.refresh_from_db()
    link = reverse("events:calendar", args=[ew.event.slug, ew.participant.calendar_token])
    assert f'href="http://testserver{link}"' in page and "Add to my calendar" in page
    organiser_view = world.client("coordinator").get(f"{agenda}?registration={ew.participant.pk}")
    assert organiser_view.status_code == 200
    assert link not in organiser_view.content.decode()


def test_the_event_days_staff_find_the_check_in_and_the_grid_on_the_home_page(world, ew):
    """The desk staff and table hosts the organisers named work the same two pages."""
    hold_today(ew.event)
    assert 'id="today-box"' not in home(world, "same_cluster")
    attendance.add_staff(world.users["manager"], ew.event, world.users["same_cluster"].email)
    page = home(world, "same_cluster")
    for page_name in ("checkin", "grid"):
        assert f'href="{reverse(f"events:{page_name}", args=[ew.event.slug])}"' in page
