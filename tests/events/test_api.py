"""The events API: the organiser's set-up, the participant's flow, refusals as 409/422 with reasons,
and the permission matrix of the write endpoints."""

import json

import pytest

from clusterxchange.events.models import Meeting
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def _post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_organiser_sets_up_and_participants_meet(ew, world):
    manager = world.client("manager")
    base = f"/api/events/{ew.event.slug}"
    response = _post(
        manager,
        f"{base}/sessions",
        {"name": "Day 2", "date": "2031-06-20", "start_time": "17:00", "end_time": "18:00"},
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["slots"]) == 2
    response = _post(
        manager,
        f"{base}/sessions",
        {"name": "Bad", "date": "2031-06-20", "start_time": "10:00", "end_time": "10:30"},
    )
    assert response.status_code == 422 and "overlaps" in response.content.decode()
    assert _post(manager, f"{base}/tables", {"count": 0}, "put").status_code == 422
    assert _post(manager, f"{base}/tables", {"count": 4}, "put").json() == {"count": 4}
    response = _post(
        manager,
        f"{base}/programme",
        {"title": "Fab tour", "starts_at": "2031-06-20T10:00:00", "ends_at": "2031-06-20T11:00:00"},
    )
    assert response.status_code == 201
    from datetime import UTC, datetime

    assert datetime.fromisoformat(response.json()["starts_at"]) == datetime(2031, 6, 20, 8, 0, tzinfo=UTC)

    outsider = world.client("outsider")
    pending = outsider.get(f"{base}/requests").json()
    assert [r["status"] for r in pending] == ["pending"]
    response = _post(outsider, f"{base}/requests/{pending[0]['id']}/answer", {"answer": "accept"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = _post(world.client("owner"), f"{base}/requests", {"recipient": ew.other.pk})
    assert response.status_code == 422 and "already a request" in response.content.decode()
    response = _post(world.client("owner"), f"{base}/requests", {"recipient": ew.participant.pk})
    assert response.status_code == 422 and "yourself" in response.content.decode()
    sessions = [ew.session_am.pk, ew.session_pm.pk] + [
        s.pk for s in ew.event.sessions.exclude(pk__in=[ew.session_am.pk, ew.session_pm.pk])
    ]
    response = _post(world.client("owner"), f"{base}/availability", {"unavailable_sessions": sessions}, "put")
    assert response.status_code == 422 and "no session at all" in response.content.decode()
    response = _post(manager, f"{base}/publish", {"final": False})
    assert response.status_code == 409 and "run the scheduler" in response.json()["detail"]


def test_registration_through_the_api(world):
    from tests.events.conftest import make_event

    event = make_event(world, validation="manual", capacity=1)
    response = _post(
        world.client("owner"),
        f"/api/events/{event.slug}/registrations",
        {"organisation": world.org_a1.slug, "role": "delegate"},
    )
    assert response.status_code == 201 and response.json()["status"] == "registered"
    response = _post(
        world.client("outsider"),
        f"/api/events/{event.slug}/registrations",
        {"organisation": world.org_b1.slug},
    )
    assert response.json()["status"] == "waiting"
    response = _post(
        world.client("owner"), f"/api/events/{event.slug}/registrations", {"organisation": world.org_a1.slug}
    )
    assert response.status_code == 409 and "already registered" in response.json()["detail"]
    registration_id = world.client("manager").get(f"/api/events/{event.slug}/registrations").json()[0]["id"]
    response = _post(
        world.client("manager"),
        f"/api/events/{event.slug}/registrations/{registration_id}/decision",
        {"decision": "reject"},
    )
    assert response.status_code == 422  # a rejection needs a reason


def test_organiser_creates_an_event_with_dates_checked(world):
    data = {
        "kind": "mission",
        "title": "Mission",
        "host_cluster": world.cluster_a.slug,
        "city": "Nice",
        "country": "fr",
        "start_date": "2031-03-03",
        "end_date": "2031-02-27",
    }
    response = _post(world.client("manager"), "/api/events", data)
    assert response.status_code == 422 and "cannot be before the first day" in response.content.decode()
    response = _post(world.client("manager"), "/api/events", {**data, "end_date": "2031-03-05"})
    assert response.status_code == 201 and response.json()["country"] == "FR"
    assert _post(world.client("owner"), "/api/events", {**data, "end_date": "2031-03-05"}).status_code == 403


WRITE_API = [
    (
        "sessions",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/sessions",
        {"name": "Late", "date": "2031-06-20", "start_time": "18:00", "end_time": "19:00"},
        201,
    ),
    ("tables", "put", lambda ew: f"/api/events/{ew.event.slug}/tables", {"count": 5}, 200),
    (
        "programme",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/programme",
        {"title": "x", "starts_at": "2031-06-20T10:00:00", "ends_at": "2031-06-20T11:00:00"},
        201,
    ),
    (
        "lock",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/meetings/{ew.meeting.pk}/lock",
        {"locked": True},
        200,
    ),
    ("publish", "post", lambda ew: f"/api/events/{ew.event.slug}/publish", {"final": False}, 200),
    ("schedule", "post", lambda ew: f"/api/events/{ew.event.slug}/schedule", {}, 202),
]


@pytest.fixture
def placed(ew, world):
    from clusterxchange.events.domain import matchmaking

    matchmaking.respond(world.users["outsider"], ew.pending, True)
    ew.meeting = Meeting.objects.get(request=ew.pending)
    Meeting.objects.filter(pk=ew.meeting.pk).update(
        slot=ew.session_am.slots.first(), table=ew.event.tables.first()
    )
    return ew


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "data", "ok"), WRITE_API, ids=[a[0] for a in WRITE_API])
def test_write_api_is_for_organisers(placed, world, role, name, method, url, data, ok):
    response = _post(world.client(role), url(placed), data, method)
    expected = {"coordinator": ok, "manager": ok, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected, (name, role, response.content[:300])


@pytest.mark.parametrize("role", ROLES)
def test_availability_api_is_for_participants(ew, world, role):
    response = _post(
        world.client(role), f"/api/events/{ew.event.slug}/availability", {"meeting_cap": 4}, "put"
    )
    expected = {"owner": 200, "outsider": 200, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
