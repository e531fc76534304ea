"""Permission matrix of every event page, action and API endpoint: role × page → status code.

Organisers: coordinator, manager (host cluster). Participants: owner, outsider (both validated).
same_cluster is logged in but not registered.
"""

import json

import pytest
from django.urls import reverse

from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import Meeting, SchedulingRun
from tests.conftest import ROLES

ALL_200 = dict.fromkeys(ROLES, 200)
ORGANISERS = {
    "coordinator": 200,
    "manager": 200,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}
PARTICIPANTS = {
    "coordinator": 403,
    "manager": 403,
    "owner": 200,
    "same_cluster": 403,
    "outsider": 200,
    "anonymous": 302,
}
MARKET = {
    "coordinator": 200,
    "manager": 200,
    "owner": 200,
    "same_cluster": 403,
    "outsider": 200,
    "anonymous": 302,
}
# Registered participants are sent back to the event page; the coordinator belongs to no organisation.
REGISTER = {
    "coordinator": 403,
    "manager": 200,
    "owner": 302,
    "same_cluster": 200,
    "outsider": 302,
    "anonymous": 302,
}
LEARNINGS = MARKET
ORGANISER_ACTIONS = {**ORGANISERS, "coordinator": 302, "manager": 302}

PAGES = [
    ("list", lambda ew: reverse("events:list"), ALL_200),
    ("detail", lambda ew: reverse("events:detail", args=[ew.event.slug]), ALL_200),
    ("create", lambda ew: reverse("events:create"), {**ORGANISERS}),
    ("edit", lambda ew: reverse("events:edit", args=[ew.event.slug]), ORGANISERS),
    ("register", lambda ew: reverse("events:register", args=[ew.event.slug]), REGISTER),
    ("registrations", lambda ew: reverse("events:registrations", args=[ew.event.slug]), ORGANISERS),
    (
        "registrations_csv",
        lambda ew: reverse("events:registrations", args=[ew.event.slug]) + "?export=csv",
        ORGANISERS,
    ),
    ("marketplace", lambda ew: reverse("events:marketplace", args=[ew.event.slug]), MARKET),
    ("requests", lambda ew: reverse("events:requests", args=[ew.event.slug]), PARTICIPANTS),
    ("availability", lambda ew: reverse("events:availability", args=[ew.event.slug]), PARTICIPANTS),
    ("schedule", lambda ew: reverse("events:schedule", args=[ew.event.slug]), ORGANISERS),
    ("run_status", lambda ew: reverse("events:run_status", args=[ew.event.slug, ew.run.pk]), ORGANISERS),
    ("grid", lambda ew: reverse("events:grid", args=[ew.event.slug]), ORGANISERS),
    ("grid_xlsx", lambda ew: reverse("events:grid", args=[ew.event.slug]) + "?export=xlsx", ORGANISERS),
    ("agenda", lambda ew: reverse("events:agenda", args=[ew.event.slug]), PARTICIPANTS),
    ("agenda_pdf", lambda ew: reverse("events:agenda_pdf", args=[ew.event.slug]), PARTICIPANTS),
    (
        "agenda_of_participant",
        lambda ew: reverse("events:agenda", args=[ew.event.slug]) + f"?registration={ew.participant.pk}",
        {**PARTICIPANTS, "coordinator": 200, "manager": 200},
    ),
    (
        "calendar",
        lambda ew: reverse("events:calendar", args=[ew.event.slug, ew.participant.calendar_token]),
        ALL_200,
    ),
    ("statistics", lambda ew: reverse("events:statistics", args=[ew.event.slug]), ORGANISERS),
    ("learnings", lambda ew: reverse("events:learnings", args=[ew.event.slug]), LEARNINGS),
    # The event day (views_day.py)
    ("checkin", lambda ew: reverse("events:checkin", args=[ew.event.slug]), ORGANISERS),
    ("checkin_search", lambda ew: reverse("events:checkin", args=[ew.event.slug]) + "?q=alpha", ORGANISERS),
    ("checkin_counts", lambda ew: reverse("events:checkin_counts", args=[ew.event.slug]), ORGANISERS),
    ("absent", lambda ew: reverse("events:absent", args=[ew.event.slug]), ORGANISERS),
    ("badges", lambda ew: reverse("events:badges", args=[ew.event.slug]), ORGANISERS),
    ("badge", lambda ew: reverse("events:badge", args=[ew.event.slug]), PARTICIPANTS),
    ("book", lambda ew: reverse("events:book", args=[ew.event.slug]), ORGANISERS),
    (
        "badge_of_participant",
        lambda ew: reverse("events:badge", args=[ew.event.slug]) + f"?registration={ew.participant.pk}",
        {**PARTICIPANTS, "coordinator": 200, "manager": 200, "outsider": 403},
    ),
]


@pytest.fixture
def scheduled(ew, world):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    ew.run = SchedulingRun.objects.create(event=ew.event, status="done", progress=100)
    return ew


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(scheduled, world, role, name, url, expected):
    response = world.client(role).get(url(scheduled))
    assert response.status_code == expected[role], (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_event_is_hidden_from_all_but_organisers(ew, world, role):
    ew.event.published = False
    ew.event.save()
    response = world.client(role).get(reverse("events:detail", args=[ew.event.slug]))
    assert response.status_code == (200 if role in {"coordinator", "manager"} else 404)


def test_wrong_calendar_token_is_not_found(ew, world):
    response = world.client("anonymous").get(reverse("events:calendar", args=[ew.event.slug, "guess"]))
    assert response.status_code == 404


ACTIONS = [
    ("item_add", lambda ew: reverse("events:item_add", args=[ew.event.slug]), ORGANISER_ACTIONS),
    (
        "decide",
        lambda ew: reverse("events:registration_decide", args=[ew.event.slug, ew.participant.pk]),
        ORGANISER_ACTIONS,
    ),
    ("session_add", lambda ew: reverse("events:session_add", args=[ew.event.slug]), ORGANISER_ACTIONS),
    ("tables", lambda ew: reverse("events:tables", args=[ew.event.slug]), ORGANISER_ACTIONS),
    ("run_start", lambda ew: reverse("events:run_start", args=[ew.event.slug]), ORGANISER_ACTIONS),
    ("publish", lambda ew: reverse("events:publish", args=[ew.event.slug]), ORGANISER_ACTIONS),
    (
        "lock",
        lambda ew: reverse("events:meeting_lock", args=[ew.event.slug, ew.meeting.pk]),
        ORGANISER_ACTIONS,
    ),
    (
        "respond",
        lambda ew: reverse("events:request_respond", args=[ew.event.slug, ew.open_request.pk]),
        # organisers may answer on a participant's behalf
        {
            "coordinator": 302,
            "manager": 302,
            "owner": 403,
            "same_cluster": 403,
            "outsider": 302,
            "anonymous": 302,
        },
    ),
    (
        "request_create",
        lambda ew: reverse("events:request_create", args=[ew.event.slug]),
        {
            "coordinator": 403,
            "manager": 403,
            "owner": 302,
            "same_cluster": 403,
            "outsider": 302,
            "anonymous": 302,
        },
    ),
    (
        "link_exchange",
        lambda ew: reverse("events:registration_exchange", args=[ew.event.slug, ew.participant.pk]),
        ORGANISER_ACTIONS,
    ),
    ("checkin_code", lambda ew: reverse("events:checkin_code", args=[ew.event.slug]), ORGANISER_ACTIONS),
    (
        "checkin_person",
        lambda ew: reverse("events:checkin_person", args=[ew.event.slug, ew.participant.pk]),
        ORGANISER_ACTIONS,
    ),
    (
        "checkin_undo",
        lambda ew: reverse("events:checkin_undo", args=[ew.event.slug, ew.participant.pk]),
        ORGANISER_ACTIONS,
    ),
    ("absent_release", lambda ew: reverse("events:absent", args=[ew.event.slug]), ORGANISER_ACTIONS),
    ("book", lambda ew: reverse("events:book", args=[ew.event.slug]), ORGANISER_ACTIONS),
    (
        "meeting_attendance",
        lambda ew: reverse("events:meeting_attendance", args=[ew.event.slug, ew.meeting.pk]),
        ORGANISER_ACTIONS,
    ),
    (
        "report_no_show",
        lambda ew: reverse("events:report_no_show", args=[ew.event.slug, ew.meeting.pk]),
        {
            "coordinator": 403,
            "manager": 403,
            "owner": 302,
            "same_cluster": 403,
            "outsider": 302,
            "anonymous": 302,
        },
    ),
    (
        "cancel_registration",
        lambda ew: reverse("events:registration_cancel", args=[ew.event.slug, ew.participant.pk]),
        {
            "coordinator": 302,
            "manager": 302,
            "owner": 302,
            "same_cluster": 403,
            "outsider": 403,
            "anonymous": 302,
        },
    ),
]


@pytest.fixture
def acting(scheduled, world):
    from tests.conftest import make_org, make_user

    scheduled.meeting = Meeting.objects.get(request=scheduled.pending)
    org = make_org("Delta Chips", "DE")
    third = registering.register(make_user("delta@test.example", org), scheduled.event, org)
    scheduled.open_request = matchmaking.request_meeting(third.user, third, scheduled.other)
    return scheduled


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_access(acting, world, role, name, url, expected):
    response = world.client(role).post(url(acting), {"recipient": acting.participant.pk, "answer": "decline"})
    assert response.status_code == expected[role], (name, role)


API = [
    ("list", "get", lambda ew: "/api/events?when=all", ALL_200),
    ("detail", "get", lambda ew: f"/api/events/{ew.event.slug}", ALL_200),
    ("registrations", "get", lambda ew: f"/api/events/{ew.event.slug}/registrations", ORGANISERS),
    ("participants", "get", lambda ew: f"/api/events/{ew.event.slug}/participants", MARKET),
    ("suggestions", "get", lambda ew: f"/api/events/{ew.event.slug}/suggestions", PARTICIPANTS),
    ("requests", "get", lambda ew: f"/api/events/{ew.event.slug}/requests", PARTICIPANTS),
    ("agenda", "get", lambda ew: f"/api/events/{ew.event.slug}/agenda", PARTICIPANTS),
    ("run", "get", lambda ew: f"/api/events/{ew.event.slug}/schedule/runs/{ew.run.pk}", ORGANISERS),
    ("statistics", "get", lambda ew: f"/api/events/{ew.event.slug}/statistics", ORGANISERS),
    ("checkin_counts", "get", lambda ew: f"/api/events/{ew.event.slug}/checkin/counts", ORGANISERS),
    ("checkin_search", "get", lambda ew: f"/api/events/{ew.event.slug}/checkin/search?q=alpha", ORGANISERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "expected"), API, ids=[a[0] for a in API])
def test_api_access(scheduled, world, role, name, method, url, expected):
    response = getattr(world.client(role), method)(url(scheduled))
    wanted = expected[role]
    if wanted == 302:  # the API answers anonymous callers with 401
        wanted = 401
    assert response.status_code == wanted, (name, role, response.content[:200])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ["event", "registration", "meetingrequest", "meeting"])
def test_admin_is_read_only_for_coordinators(ew, world, role, model):
    response = world.client(role).get(f"/admin/events/{model}/")
    if role == "coordinator":
        assert response.status_code == 200
        assert world.client(role).get(f"/admin/events/{model}/add/").status_code == 403
    else:
        assert response.status_code == 302


# The event day's API operations: organisers act (a refusal is 409: the state does not allow it,
# e.g. a code that is no badge, a meeting that has not started); participants report their no-shows.
API_ORGANISER_ACTS = {
    "coordinator": 409,
    "manager": 409,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 401,
}
API_ACTIONS = [
    (
        "checkin_code",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/checkin",
        lambda ew: {"code": "x"},
        API_ORGANISER_ACTS,
    ),
    (
        "checkin_registration",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/registrations/{ew.participant.pk}/checkin",
        lambda ew: None,
        {**API_ORGANISER_ACTS, "coordinator": 200, "manager": 409},  # checked in once, then refused
    ),
    (
        "release_absent",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/absent/release",
        lambda ew: {"registrations": [ew.other.pk]},
        API_ORGANISER_ACTS,  # before the event: nobody is absent yet
    ),
    (
        "attendance",
        "put",
        lambda ew: f"/api/events/{ew.event.slug}/meetings/{ew.meeting.pk}/attendance",
        lambda ew: {"attendance": "held"},
        API_ORGANISER_ACTS,  # the meeting has not started
    ),
    (
        "no_show",
        "post",
        lambda ew: f"/api/events/{ew.event.slug}/meetings/{ew.meeting.pk}/no-show",
        lambda ew: None,
        {
            "coordinator": 403,
            "manager": 403,
            "owner": 409,  # feedback opens when the meeting starts
            "same_cluster": 403,
            "outsider": 409,
            "anonymous": 401,
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "payload", "expected"), API_ACTIONS, ids=[a[0] for a in API_ACTIONS]
)
def test_api_event_day_access(acting, world, name, method, url, payload, expected):
    for role in ROLES:
        response = getattr(world.client(role), method)(
            url(acting), json.dumps(payload(acting)), content_type="application/json"
        )
        assert response.status_code == expected[role], (name, role, response.content[:200])
