"""Hybrid events (issue #18 point 6): meetings on site or online, their video link (given by a party or
made from the programme's template), who may set it and who sees it (agenda page, PDF, calendar, API),
and a link that is not http(s) refused with nothing changed."""

import json
import re
from datetime import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from clusterxchange.core.models import AuditEntry
from clusterxchange.events import agendas, hybrid
from clusterxchange.events.domain import matchmaking, registering, timetable
from clusterxchange.events.models import Meeting
from tests.conftest import ROLES
from tests.events.conftest import add_session

pytestmark = pytest.mark.django_db

JITSI = "https://meet.jit.si"
BAD_LINKS = [
    "ftp://files.example.org/room",
    "javascript:alert(1)",
    "meet.example.org room",
    "mailto:a@b.example",
]
# The meeting's parties in the events world: owner (Alpha Sensors) and outsider (Gamma Robotics).
SETS_VIDEO = {"coordinator": 302, "manager": 302, "owner": 302, "outsider": 302, "same_cluster": 403}


@pytest.fixture
def meeting(ew, world):
    """The accepted meeting between owner and outsider, placed at the first morning slot and published."""
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    meeting.slot = ew.session_am.slots.order_by("starts_at").first()
    meeting.table = ew.event.tables.order_by("number").first()
    meeting.save()
    timetable.publish_agenda(world.users["manager"], ew.event, final=True)
    mail.outbox.clear()
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def jitsi(world):
    world.programme.video_link_template = JITSI
    world.programme.save(update_fields=["video_link_template"])
    return world.programme


def _rows(ew):
    return agendas.agenda_rows(ew.participant)


def test_a_meeting_is_on_site_until_a_party_sets_it_online(
    meeting, ew, world, django_capture_on_commit_callbacks
):
    [row] = _rows(ew)
    assert not row.online and row.video_link == ""
    with django_capture_on_commit_callbacks(execute=True):
        hybrid.set_meeting_video(
            world.users["owner"], meeting, True, " https://meet.example.org/alpha-gamma "
        )
    [row] = _rows(ew)
    assert row.online
    assert row.video_link == "https://meet.example.org/alpha-gamma"
    # The other party is told (in a published agenda), the actor is not.
    assert [message.to for message in mail.outbox] == [[world.users["outsider"].email]]
    assert "Your meeting with Alpha Sensors is now online" in mail.outbox[0].subject
    hybrid.set_meeting_video(world.users["outsider"], meeting, False)
    meeting.refresh_from_db()
    assert (meeting.online, meeting.video_link) == (False, "")
    assert AuditEntry.objects.filter(action="events.meeting.video").count() == 2


def test_the_programme_template_gives_each_meeting_its_own_unguessable_room(meeting, ew, world, jitsi):
    hybrid.set_meeting_video(world.users["owner"], meeting, True)
    [row] = _rows(ew)
    assert re.fullmatch(r"https://meet\.jit\.si/cx[0-9a-f]{32}", row.video_link)
    second = Meeting.objects.get(pk=meeting.pk)
    second.pk, second.video_room = None, "cx" + "0" * 32
    assert hybrid.video_link(second, meeting.slot) != row.video_link
    jitsi.video_link_template = "https://video.example.org/rooms/{room}?lang=en"
    jitsi.save()
    meeting.refresh_from_db()
    assert hybrid.video_link(meeting) == f"https://video.example.org/rooms/{meeting.video_room}?lang=en"


def test_a_participants_link_wins_over_the_template(meeting, ew, world, jitsi):
    hybrid.set_meeting_video(world.users["outsider"], meeting, True, "https://zoom.example.org/j/1")
    assert _rows(ew)[0].video_link == "https://zoom.example.org/j/1"


def test_an_online_session_makes_its_meetings_online(meeting, ew, world, jitsi):
    online = add_session(world, ew.event, "Online evening", time(17, 0), time(18, 0), online=True)
    assert online.online
    Meeting.objects.filter(pk=meeting.pk).update(slot=online.slots.first(), table=None)
    [row] = agendas.agenda_rows(ew.participant, published=False)
    assert row.online and row.video_link.startswith(f"{JITSI}/cx")


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_link_that_is_not_http_is_refused_and_nothing_changes(meeting, world, link):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        hybrid.set_meeting_video(world.users["owner"], meeting, True, link)
    assert "http:// or https://" in str(refused.value.message_dict["video_link"])
    meeting.refresh_from_db()
    assert (meeting.online, meeting.video_link) == (False, "")
    assert AuditEntry.objects.count() == entries
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["same_cluster", "anonymous"])
def test_only_the_parties_and_organisers_set_the_video(meeting, ew, world, role):
    user = world.users[role] or AnonymousUser()
    if role == "same_cluster":  # registered for the event, but not a party to this meeting
        registering.register(user, ew.event, world.org_a2, profile="Software")
    with pytest.raises(PermissionDenied):
        hybrid.set_meeting_video(user, meeting, True, "https://meet.example.org/x")


@pytest.mark.parametrize("role", ROLES)
def test_page_action_by_role(meeting, ew, world, role):
    if role == "same_cluster":
        registering.register(world.users[role], ew.event, world.org_a2, profile="Software")
    response = world.client(role).post(
        reverse("events:meeting_video", args=[ew.event.slug, meeting.pk]),
        {"online": "on", "video_link": "https://meet.example.org/room"},
    )
    assert response.status_code == SETS_VIDEO.get(role, 302), role
    meeting.refresh_from_db()
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    assert meeting.online == (role in SETS_VIDEO and SETS_VIDEO[role] == 302)


def test_the_page_says_why_a_link_is_refused(meeting, ew, world):
    response = world.client("owner").post(
        reverse("events:meeting_video", args=[ew.event.slug, meeting.pk]),
        {"online": "on", "video_link": "ftp://files.example.org/room"},
        follow=True,
    )
    assert "starts with http:// or https://" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.online


def test_the_link_is_on_the_agenda_page_pdf_and_calendar_of_the_parties(meeting, ew, world):
    hybrid.set_meeting_video(world.users["owner"], meeting, True, "https://meet.example.org/alpha-gamma")
    link = "https://meet.example.org/alpha-gamma"
    for role in ("owner", "outsider"):
        page = world.client(role).get(reverse("events:agenda", args=[ew.event.slug])).content.decode()
        assert link in page and "Join the video meeting" in page
    organiser = world.client("manager").get(
        reverse("events:agenda", args=[ew.event.slug]) + f"?registration={ew.participant.pk}"
    )
    assert link in organiser.content.decode()
    html = agendas.agenda_html(ew.participant, agendas.agenda_rows(ew.participant))
    assert link in html and "Online" in html
    calendar = Calendar.from_ical(
        world.client("anonymous")
        .get(reverse("events:calendar", args=[ew.event.slug, ew.participant.calendar_token]))
        .content
    )
    [entry] = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("meeting-")]
    assert str(entry["location"]) == link
    assert str(entry["url"]) == link
    assert link in str(entry["description"])


def test_no_one_else_sees_the_link(meeting, ew, world):
    """A third participant's agenda, the event page and the marketplace never show the link."""
    link = "https://meet.example.org/alpha-gamma"
    hybrid.set_meeting_video(world.users["owner"], meeting, True, link)
    registering.register(world.users["same_cluster"], ew.event, world.org_a2, profile="Software")
    client = world.client("same_cluster")
    for name in ("events:agenda", "events:detail", "events:marketplace"):
        assert link not in client.get(reverse(name, args=[ew.event.slug])).content.decode(), name
    agenda = client.get(f"/api/events/{ew.event.slug}/agenda").json()
    assert agenda == []
    assert link not in world.client("outsider").get(f"/api/events/{ew.event.slug}").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_api_by_role(meeting, ew, world, role):
    if role == "same_cluster":
        registering.register(world.users[role], ew.event, world.org_a2, profile="Software")
    response = world.client(role).put(
        f"/api/events/{ew.event.slug}/meetings/{meeting.pk}/video",
        data=json.dumps({"online": True, "video_link": "https://meet.example.org/room"}),
        content_type="application/json",
    )
    expected = {"anonymous": 401, "same_cluster": 403}.get(role, 200)
    assert response.status_code == expected, (role, response.content[:200])
    if expected == 200:
        assert response.json() == {
            "meeting": meeting.pk,
            "online": True,
            "video_link": "https://meet.example.org/room",
        }


def test_api_agenda_gives_the_parties_the_link_and_refuses_a_bad_one(meeting, ew, world, jitsi):
    url = f"/api/events/{ew.event.slug}/meetings/{meeting.pk}/video"
    client = world.client("outsider")
    bad = client.put(
        url,
        data=json.dumps({"online": True, "video_link": "ftp://x.example.org/r"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "http:// or https://" in bad.content.decode()
    meeting.refresh_from_db()
    assert not meeting.online
    assert (
        client.put(url, data=json.dumps({"online": True}), content_type="application/json").status_code == 200
    )
    for role in ("owner", "outsider"):
        [item] = world.client(role).get(f"/api/events/{ew.event.slug}/agenda").json()
        assert item["online"] is True
        assert item["video_link"] == f"{JITSI}/{Meeting.objects.get(pk=meeting.pk).video_room}"


def test_api_session_online(ew, world):
    response = world.client("manager").post(
        f"/api/events/{ew.event.slug}/sessions",
        data=json.dumps(
            {
                "name": "By video",
                "date": str(ew.event.start_date),
                "start_time": "17:00",
                "end_time": "18:00",
                "online": True,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["online"] is True


# The agenda on a phone (point 9): manifest, service worker, and forgetting the saved copy at logout.


def test_the_manifest_makes_the_own_agenda_installable(ew, world):
    response = world.client("anonymous").get(reverse("events:agenda_manifest", args=[ew.event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    agenda = reverse("events:agenda", args=[ew.event.slug])
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (agenda, agenda, "standalone")
    assert ew.event.title in manifest["name"]
    assert sorted(icon["sizes"] for icon in manifest["icons"] if "purpose" not in icon) == [
        "192x192",
        "512x512",
    ]
    own = world.client("owner").get(agenda).content.decode()
    assert reverse("events:agenda_manifest", args=[ew.event.slug]) in own and 'id="agenda-updated"' in own
    organiser = world.client("manager").get(f"{agenda}?registration={ew.participant.pk}").content.decode()
    assert "manifest" not in organiser  # an organiser's view of someone's agenda is never kept offline


def test_an_unpublished_events_manifest_is_hidden(ew, world):
    ew.event.published = False
    ew.event.save(update_fields=["published"])
    url = reverse("events:agenda_manifest", args=[ew.event.slug])
    assert world.client("owner").get(url).status_code == 404
    assert world.client("manager").get(url).status_code == 200


def test_the_service_worker_is_served_under_events(world):
    response = world.client("anonymous").get(reverse("events:agenda_service_worker"))
    assert response.status_code == 200
    assert reverse("events:agenda_service_worker") == "/events/agenda-sw.js"
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b"cx-agenda-v1" in response.content


def test_logging_out_has_the_browser_forget_the_saved_agenda(world):
    client = world.client("owner")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
