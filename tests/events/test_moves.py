"""Issue #18 point 2: the organiser moves a meeting on the grid to a free slot and table (by
drag-and-drop or "Move" then "Move here"); the rules of the scheduler hold, a refused move says why and
changes nothing, the participants of a published meeting are told in their language, and the audit
trail names the organiser. The grid is paged by day and by tables."""

import pytest
from django.core import mail
from django.urls import reverse

from clusterxchange.core.models import AuditEntry
from clusterxchange.events.domain import matchmaking, registering, timetable
from clusterxchange.events.models import Meeting, Slot, Table
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world, ew):
    """The owner's pending request accepted and placed at table 1 in the first slot."""
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    slots = list(Slot.objects.filter(session__event=ew.event).order_by("starts_at"))
    tables = list(Table.objects.filter(event=ew.event).order_by("number"))
    meeting.slot, meeting.table = slots[0], tables[0]
    meeting.save()
    return meeting, slots, tables


def _move(world, ew, meeting, slot, table, role="manager"):
    return world.client(role).post(
        reverse("events:meeting_move", args=[ew.event.slug, meeting.pk]),
        {"slot": slot.pk, "table": table.pk},
        follow=True,
    )


def test_the_organiser_moves_a_meeting_and_the_audit_names_them(world, ew, placed):
    meeting, slots, tables = placed
    response = _move(world, ew, meeting, slots[2], tables[1])
    assert "moved to Table 2 at 10:00" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (slots[2], tables[1])
    assert meeting.published_slot is None  # not published: moved in the plan only, nobody told yet
    entry = AuditEntry.objects.get(action="events.meeting.move")
    assert entry.actor == world.users["manager"]
    assert entry.comment == "on behalf of Alpha Sensors and Gamma Robotics"
    assert set(entry.changes) == {"slot", "table"}


def test_a_published_meeting_moves_in_the_agenda_and_both_are_told_in_their_language(
    world, ew, placed, django_capture_on_commit_callbacks
):
    meeting, slots, tables = placed
    timetable.publish_agenda(world.users["manager"], ew.event, final=False)
    world.users["outsider"].language = "de"
    world.users["outsider"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(world, ew, meeting, slots[1], tables[2])
    meeting.refresh_from_db()
    assert (meeting.published_slot, meeting.published_table) == (slots[1], tables[2])
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"owner@test.example", "outsider@test.example"}
    assert "Your meeting with Gamma Robotics moved to" in by_address["owner@test.example"].subject
    assert "Table 3" in by_address["owner@test.example"].subject
    german = by_address["outsider@test.example"].subject
    assert "Alpha Sensors" in german and "Tisch 3" in german and "verschoben" in german


@pytest.mark.parametrize(
    "case, reason",
    [
        ("busy_table", "Table 2 is taken at 09:30"),
        ("party_busy", "Alpha Sensors already has a meeting at 09:30"),
        ("unavailable", "is not available in the session “Afternoon”"),
        ("locked", "This meeting is locked"),
        ("own_table", "Table 2 is the own table of"),
        ("same_place", "already at Table 1 at 09:00"),
    ],
)
def test_a_refused_move_says_why_and_changes_nothing(world, ew, placed, case, reason):
    meeting, slots, tables = placed
    target_slot, target_table = slots[1], tables[1]
    if case in ("busy_table", "party_busy"):
        orgs = [make_org("Delta Chips", "DE"), make_org("Epsilon Labs", "PL")]
        third, fourth = (
            registering.register(make_user(f"{org.slug}@test.example", org), ew.event, org) for org in orgs
        )
        # two others at table 2, or the owner with a third at table 3, in the second slot
        pair, table = (
            ((third, fourth), tables[1]) if case == "busy_table" else ((ew.participant, third), tables[2])
        )
        booked = matchmaking.request_meeting(world.users["manager"], *pair)
        if booked.status == "pending":
            matchmaking.respond(world.users["manager"], booked, True)
        Meeting.objects.filter(request=booked).update(slot=slots[1], table=table)
    elif case == "unavailable":
        ew.other.unavailable_sessions.add(ew.session_pm)
        target_slot = Slot.objects.filter(session=ew.session_pm).order_by("starts_at").first()
    elif case == "locked":
        timetable.lock_meeting(world.users["manager"], meeting, True)
    elif case == "own_table":
        org = make_org("Delta Chips", "DE")
        third = registering.register(make_user("delta@test.example", org), ew.event, org)
        timetable.assign_table(world.users["manager"], tables[1], third)
    elif case == "same_place":
        target_slot, target_table = slots[0], tables[0]
    before = Meeting.objects.values("slot_id", "table_id").get(pk=meeting.pk)
    response = _move(world, ew, meeting, target_slot, target_table)
    assert reason in response.content.decode()
    assert Meeting.objects.values("slot_id", "table_id").get(pk=meeting.pk) == before
    assert not AuditEntry.objects.filter(action="events.meeting.move").exists()


def test_only_organisers_move_or_cancel(world, ew, placed):
    meeting, slots, tables = placed
    for role in ("owner", "outsider", "same_cluster"):
        assert _move(world, ew, meeting, slots[2], tables[2], role=role).status_code == 403
        cancel = world.client(role).post(reverse("events:meeting_cancel", args=[ew.event.slug, meeting.pk]))
        assert cancel.status_code == 403
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.status) == (slots[0], "active")
    assert _move(world, ew, meeting, slots[2], tables[2], role="coordinator").status_code == 200
    meeting.refresh_from_db()
    assert meeting.slot == slots[2]


def test_select_to_move_offers_only_the_cells_where_both_are_free(world, ew, placed):
    meeting, _slots, _tables = placed
    ew.other.unavailable_sessions.add(ew.session_pm)
    url = reverse("events:grid", args=[ew.event.slug])
    body = world.client("manager").get(url).content.decode()
    assert f"move={meeting.pk}" in body and 'draggable="true"' in body
    body = world.client("manager").get(f"{url}?move={meeting.pk}").content.decode()
    assert "Moving Alpha Sensors – Gamma Robotics" in body
    morning = Slot.objects.filter(session=ew.session_am).count()
    # every free morning cell (3 tables × the morning's slots, less the meeting's own) and no afternoon one
    assert body.count(">Move here</button>") == morning * 3 - 1
    assert "Move here: Table 2 at 09:30" in body


def test_the_grid_is_paged_by_day_and_tables(world, ew):
    timetable.set_table_count(world.users["manager"], ew.event, 45)
    url = reverse("events:grid", args=[ew.event.slug])
    first = world.client("manager").get(url).content.decode()
    assert "Table 40</th>" in first and "Table 41</th>" not in first
    second = world.client("manager").get(f"{url}?page=2").content.decode()
    assert "Table 41</th>" in second and "Table 40</th>" not in second
    assert ">2</strong>" in second


def test_an_organiser_cancels_a_meeting_for_the_participants_who_are_told(
    world, ew, placed, django_capture_on_commit_callbacks
):
    meeting, _slots, _tables = placed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            reverse("events:meeting_cancel", args=[ew.event.slug, meeting.pk]),
            {"reason": "Gamma's flight is cancelled."},
            follow=True,
        )
    assert "is cancelled; both were told" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot, meeting.request.status) == ("cancelled", None, "cancelled")
    assert {m.to[0] for m in mail.outbox} == {"owner@test.example", "outsider@test.example"}
    assert all("cancelled by the organisers" in m.subject for m in mail.outbox)
    assert any("Gamma's flight is cancelled." in m.body for m in mail.outbox)
    entry = AuditEntry.objects.get(action="events.meeting.cancel_on_behalf")
    assert entry.actor == world.users["coordinator"] and entry.comment.startswith("on behalf of")
    again = world.client("coordinator").post(
        reverse("events:meeting_cancel", args=[ew.event.slug, meeting.pk]), follow=True
    )
    assert "already cancelled" in again.content.decode()


def test_the_api_moves_a_meeting_or_says_why_not(world, ew, placed):
    import json

    meeting, slots, tables = placed
    url = f"/api/events/{ew.event.slug}/meetings/{meeting.pk}/place"
    client = world.client("manager")
    moved = client.put(
        url, json.dumps({"slot": slots[3].pk, "table": tables[2].pk}), content_type="application/json"
    )
    assert moved.status_code == 200
    assert moved.json()["slot"] == slots[3].pk and moved.json()["published"] is False
    timetable.lock_meeting(world.users["manager"], meeting, True)
    refused = client.put(
        url, json.dumps({"slot": slots[0].pk, "table": tables[0].pk}), content_type="application/json"
    )
    assert refused.status_code == 409 and "locked" in refused.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.slot == slots[3]
    forbidden = world.client("owner").put(
        url, json.dumps({"slot": slots[0].pk, "table": tables[0].pk}), content_type="application/json"
    )
    assert forbidden.status_code == 403


def test_marking_attendance_returns_to_the_grid_page_of_the_meeting(world, ew, placed):
    meeting, _slots, _tables = placed
    response = world.client("manager").post(
        reverse("events:meeting_attendance", args=[ew.event.slug, meeting.pk]), {"attendance": ""}
    )
    assert response["Location"].endswith(f"?day=2031-06-20&page=1#meeting-{meeting.pk}")
