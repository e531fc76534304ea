"""The event day's staff: people the organisers name (desk staff, table hosts) check participants in and
mark meetings held or no-show with their own login, and can do nothing else an organiser does."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clusterxchange.core.models import AuditEntry
from clusterxchange.events import attendance
from clusterxchange.events.models import Meeting
from tests.conftest import ROLES
from tests.events.conftest import make_event
from tests.events.test_checkin import ON_THE_DAY, _meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(ew, world):
    """Beta Software's person (logged in, not registered: `same_cluster`) is on the event's staff."""
    attendance.add_staff(world.users["manager"], ew.event, world.users["same_cluster"].email)
    ew.staff = world.users["same_cluster"]
    return ew


def _staff_client(staffed) -> Client:
    client = Client()
    client.force_login(staffed.staff)
    return client


def test_an_organiser_adds_someone_to_the_staff_who_is_told(ew, world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    email = world.users["same_cluster"].email
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager").post(
            reverse("events:staff_add", args=[ew.event.slug]), {"email": email.upper()}, follow=True
        )
    assert "is on the staff of the event day" in response.content.decode()
    assert list(ew.event.staff.all()) == [world.users["same_cluster"]]
    [message] = mail.outbox
    assert message.to == [email] and "You are on the staff of the event day" in message.subject
    assert reverse("events:checkin", args=[ew.event.slug]) in message.body
    entry = AuditEntry.objects.get(action="events.staff.add")
    assert entry.actor == world.users["manager"] and entry.comment == email
    page = world.client("manager").get(reverse("events:checkin", args=[ew.event.slug])).content.decode()
    assert 'id="staff"' in page and email in page


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("nobody@test.example", "Nobody has an account with this email address"),
        ("not an address", "Enter a valid email address."),
    ],
)
def test_an_unknown_or_bad_email_is_refused_and_nothing_changes(ew, world, email, reason):
    response = world.client("manager").post(
        reverse("events:staff_add", args=[ew.event.slug]), {"email": email}, follow=True
    )
    assert reason in response.content.decode()
    assert not ew.event.staff.exists()
    assert not AuditEntry.objects.filter(action="events.staff.add").exists()


def test_adding_twice_says_so_and_removing_takes_the_access_back(staffed, world):
    client = world.client("manager")
    again = client.post(
        reverse("events:staff_add", args=[staffed.event.slug]), {"email": staffed.staff.email}, follow=True
    )
    assert "is already on the staff" in again.content.decode()
    client.post(reverse("events:staff_remove", args=[staffed.event.slug, staffed.staff.pk]))
    assert not staffed.event.staff.exists()
    assert AuditEntry.objects.filter(action="events.staff.remove").exists()
    response = _staff_client(staffed).get(reverse("events:checkin", args=[staffed.event.slug]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_organisers_name_the_staff(ew, world, role):
    add = world.client(role).post(
        reverse("events:staff_add", args=[ew.event.slug]), {"email": world.users["outsider"].email}
    )
    remove = world.client(role).post(
        reverse("events:staff_remove", args=[ew.event.slug, world.users["outsider"].pk])
    )
    expected = {"coordinator": 302, "manager": 302, "anonymous": 302}.get(role, 403)
    assert (add.status_code, remove.status_code) == (expected, expected)
    if role in ("owner", "same_cluster", "outsider"):
        assert not ew.event.staff.exists()


# What the staff may do, page by page: the day's pages, nothing of the organisers' other work.
STAFF_PAGES = [
    ("detail", lambda ew: reverse("events:detail", args=[ew.event.slug]), 200),
    ("checkin", lambda ew: reverse("events:checkin", args=[ew.event.slug]), 200),
    ("checkin_search", lambda ew: reverse("events:checkin", args=[ew.event.slug]) + "?q=alpha", 200),
    ("checkin_counts", lambda ew: reverse("events:checkin_counts", args=[ew.event.slug]), 200),
    ("badges", lambda ew: reverse("events:badges", args=[ew.event.slug]), 200),
    ("grid", lambda ew: reverse("events:grid", args=[ew.event.slug]), 200),
    ("grid_csv", lambda ew: reverse("events:grid", args=[ew.event.slug]) + "?export=csv", 403),
    ("absent", lambda ew: reverse("events:absent", args=[ew.event.slug]), 403),
    ("schedule", lambda ew: reverse("events:schedule", args=[ew.event.slug]), 403),
    ("book", lambda ew: reverse("events:book", args=[ew.event.slug]), 403),
    ("register_for", lambda ew: reverse("events:register_for", args=[ew.event.slug]), 403),
    ("registrations", lambda ew: reverse("events:registrations", args=[ew.event.slug]), 403),
    ("edit", lambda ew: reverse("events:edit", args=[ew.event.slug]), 403),
    ("statistics", lambda ew: reverse("events:statistics", args=[ew.event.slug]), 403),
    ("questions", lambda ew: reverse("events:questions", args=[ew.event.slug]), 403),
    ("import", lambda ew: reverse("events:import", args=[ew.event.slug]), 403),
]


@pytest.mark.parametrize(("name", "url", "expected"), STAFF_PAGES, ids=[p[0] for p in STAFF_PAGES])
def test_what_the_staff_open(staffed, name, url, expected):
    assert _staff_client(staffed).get(url(staffed)).status_code == expected, name


@pytest.mark.run_at(ON_THE_DAY)
def test_staff_check_in_and_mark_attendance_but_neither_move_nor_release(staffed, world):
    meeting = _meeting(staffed)
    client = _staff_client(staffed)
    slug = staffed.event.slug
    detail = client.get(reverse("events:detail", args=[slug])).content.decode()
    assert reverse("events:checkin", args=[slug]) in detail and reverse("events:grid", args=[slug]) in detail
    assert reverse("events:schedule", args=[slug]) not in detail
    checkin_page = client.get(reverse("events:checkin", args=[slug])).content.decode()
    assert 'id="staff"' not in checkin_page and reverse("events:absent", args=[slug]) not in checkin_page
    client.post(reverse("events:checkin_person", args=[slug, staffed.participant.pk]))
    staffed.participant.refresh_from_db()
    assert staffed.participant.checked_in_by == staffed.staff
    grid = client.get(reverse("events:grid", args=[slug])).content.decode()
    assert f'id="attendance-{meeting.pk}"' in grid
    assert "grid-move-form" not in grid and "?export=csv" not in grid
    client.post(reverse("events:meeting_attendance", args=[slug, meeting.pk]), {"attendance": "held"})
    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.attendance_by) == ("held", staffed.staff)
    # Not the organisers' decisions: moving, cancelling, releasing, naming more staff.
    slot = meeting.slot
    refused = [
        client.post(reverse("events:meeting_move", args=[slug, meeting.pk]), {"slot": slot.pk, "table": 1}),
        client.post(reverse("events:meeting_cancel", args=[slug, meeting.pk]), {"reason": "x"}),
        client.post(reverse("events:absent", args=[slug]), {"registrations": [staffed.other.pk]}),
        client.post(reverse("events:staff_add", args=[slug]), {"email": world.users["owner"].email}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACTIVE and meeting.slot == slot


@pytest.mark.run_at(ON_THE_DAY)
def test_staff_use_the_event_day_api(staffed):
    meeting = _meeting(staffed)
    client = _staff_client(staffed)
    slug = staffed.event.slug
    assert client.get(f"/api/events/{slug}/checkin/counts").json() == {"checked_in": 0, "registered": 2}
    checked = client.post(f"/api/events/{slug}/registrations/{staffed.other.pk}/checkin")
    assert checked.status_code == 200
    marked = client.put(
        f"/api/events/{slug}/meetings/{meeting.pk}/attendance",
        json.dumps({"attendance": "no_show"}),
        content_type="application/json",
    )
    assert marked.status_code == 200 and marked.json()["attendance"] == "no_show"
    released = client.post(
        f"/api/events/{slug}/absent/release",
        json.dumps({"registrations": [staffed.participant.pk]}),
        content_type="application/json",
    )
    assert released.status_code == 403


def test_staff_of_one_event_are_nobody_at_another(staffed, world):
    other = make_event(world, title="Another day")
    client = _staff_client(staffed)
    assert client.get(reverse("events:checkin", args=[other.slug])).status_code == 403
    assert client.get(reverse("events:grid", args=[other.slug])).status_code == 403


def test_staff_see_an_unpublished_event_they_work_on(staffed, world):
    staffed.event.published = False
    staffed.event.save()
    client = _staff_client(staffed)
    assert client.get(reverse("events:checkin", args=[staffed.event.slug])).status_code == 200
    assert world.client("owner").get(reverse("events:checkin", args=[staffed.event.slug])).status_code == 404


def test_organisers_name_the_staff_through_the_api(ew, world):
    client = world.client("coordinator")
    url = f"/api/events/{ew.event.slug}/staff"
    added = client.post(
        url, json.dumps({"email": world.users["same_cluster"].email}), content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["email"] == world.users["same_cluster"].email
    assert [person["id"] for person in client.get(url).json()] == [world.users["same_cluster"].pk]
    unknown = client.post(url, json.dumps({"email": "nobody@test.example"}), content_type="application/json")
    assert unknown.status_code == 422 and "Nobody has an account" in unknown.content.decode()
    assert client.delete(f"{url}/{world.users['same_cluster'].pk}").status_code == 204
    assert client.delete(f"{url}/{world.users['same_cluster'].pk}").status_code == 409
    assert world.client("owner").get(url).status_code == 403
