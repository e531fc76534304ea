"""Issue #18 point 3: organisers act for participants (register someone, send a request, book, move
and cancel a meeting); each is recorded as done by the organiser "on behalf of" the participant, who
is told. Who may open the pages, and what each role sees on them."""

import pytest
from django.core import mail
from django.urls import reverse

from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import Person
from clusterxchange.events.models import MeetingRequest, Registration
from tests.conftest import make_org

pytestmark = pytest.mark.django_db

ROLES_REFUSED = ("owner", "outsider", "same_cluster")


@pytest.fixture
def delta():
    org = make_org("Delta Chips", "DE")
    person = Person.objects.create(
        first_name="Dora", last_name="Dietz", email="dora@delta.example", organisation=org, phone="+49 351 0"
    )
    return org, person


def test_an_organiser_registers_someone_who_is_told(world, ew, delta, django_capture_on_commit_callbacks):
    org, person = delta
    url = reverse("events:register_for", args=[ew.event.slug])
    page = world.client("manager").get(url + "?q=delta").content.decode()
    assert "Delta Chips" in page and "Dora Dietz" in page
    assert "dora@delta.example" not in page and "+49 351 0" not in page  # names only
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager").post(
            url, {"organisation": org.pk, "person": person.pk, "role": "delegate"}, follow=True
        )
    assert "Dora Dietz (Delta Chips) is registered (Validated)" in response.content.decode()
    registration = Registration.objects.get(event=ew.event, organisation=org)
    assert (registration.person, registration.role, registration.user) == (person, "delegate", None)
    assert [m.to for m in mail.outbox] == [["dora@delta.example"]]
    entry = AuditEntry.objects.get(action="events.registration.create_on_behalf")
    assert entry.actor == world.users["manager"] and entry.comment == "on behalf of Dora Dietz (Delta Chips)"
    again = world.client("manager").post(url, {"organisation": org.pk, "person": person.pk}, follow=True)
    assert "Dora Dietz is already registered" in again.content.decode()
    assert Registration.objects.filter(event=ew.event, organisation=org).count() == 1


def test_a_person_of_another_organisation_is_refused(world, ew, delta):
    _org, person = delta
    response = world.client("coordinator").post(
        reverse("events:register_for", args=[ew.event.slug]),
        {"organisation": world.org_a2.pk, "person": person.pk},
        follow=True,
    )
    assert "Choose a person of this organisation." in response.content.decode()
    assert not Registration.objects.filter(event=ew.event, organisation=world.org_a2).exists()


def test_an_organiser_sends_a_request_in_a_participants_name(
    world, ew, delta, django_capture_on_commit_callbacks
):
    org, person = delta
    from clusterxchange.events import on_behalf

    third = on_behalf.register_participant(world.users["manager"], ew.event, org, person=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            reverse("events:book", args=[ew.event.slug]),
            {"participants": [third.pk, ew.participant.pk], "mode": "request", "message": "Chips?"},
            follow=True,
        )
    assert (
        "The request of Delta Chips to Alpha Sensors is sent (Waiting for an answer)"
        in response.content.decode()
    )
    request = MeetingRequest.objects.get(requester=third, recipient=ew.participant)
    assert request.status == "pending"
    assert [m.to for m in mail.outbox] == [["owner@test.example"]]
    assert "Delta Chips asks to meet you" in mail.outbox[0].subject
    entry = AuditEntry.objects.get(action="events.request.create_on_behalf")
    assert (
        entry.actor == world.users["coordinator"] and entry.comment == "on behalf of Dora Dietz (Delta Chips)"
    )


def _options(html: str, side: str) -> str:
    return html.split(f'id="book-{side}-field"')[1].split("</select>")[0]


def test_a_small_event_lists_every_validated_participant_on_both_sides(world, ew, delta):
    org, person = delta
    from clusterxchange.events import on_behalf

    on_behalf.register_participant(world.users["manager"], ew.event, org, person=person)
    html = world.client("manager").get(reverse("events:book", args=[ew.event.slug])).content.decode()
    assert 'id="book-find"' not in html  # nothing to search in a short list
    for side in ("first", "second"):
        options = _options(html, side)
        assert "Alpha Sensors" in options and "Delta Chips – Dora Dietz" in options
        assert "dora@delta.example" not in options  # names only


def test_a_large_event_finds_each_side_by_name_instead_of_listing_everyone(world, ew, delta, monkeypatch):
    """At a 2,000-participant event two lists of everyone would weigh hundreds of kilobytes: each side
    is found by name (with htmx as one types), only validated participants, at most 20 at a time."""
    from clusterxchange.events import on_behalf, views_day

    monkeypatch.setattr(views_day, "BOOK_LISTS_ALL", 1)
    org, person = delta
    third = on_behalf.register_participant(world.users["manager"], ew.event, org, person=person)
    url = reverse("events:book", args=[ew.event.slug])
    client = world.client("manager")
    html = client.get(url).content.decode()
    assert 'id="find-first"' in html and 'id="find-second"' in html
    assert "Type a name above to find one of the 3 participants." in html
    assert "Alpha Sensors" not in _options(html, "first") and "Delta" not in _options(html, "second")

    html = client.get(url, {"first": "dora", "second": "alpha"}).content.decode()
    first, second = _options(html, "first"), _options(html, "second")
    assert f'value="{third.pk}" selected' in first and "Alpha Sensors" not in first  # the one match, chosen
    assert f'value="{ew.participant.pk}" selected' in second and "Delta" not in second
    assert "1 of 3 participants matches." in html
    # A participant still waiting for validation is never offered.
    ew.other.status = Registration.Status.REGISTERED
    ew.other.save(update_fields=["status"])
    assert ew.other.organisation.name not in _options(
        client.get(url, {"first": "b"}).content.decode(), "first"
    )

    monkeypatch.setattr("clusterxchange.events.attendance.SEARCH_LIMIT", 1)
    html = client.get(url, {"first": "a"}).content.decode()
    assert "The first 1 participant who matches: type more of the name to narrow the list." in html


@pytest.mark.parametrize("name", ["events:book", "events:register_for"])
def test_only_organisers_open_the_pages_of_acting_for_participants(world, ew, name):
    url = reverse(name, args=[ew.event.slug])
    for role in ("coordinator", "manager"):
        assert world.client(role).get(url).status_code == 200
    for role in ROLES_REFUSED:
        assert world.client(role).get(url).status_code == 403
        assert world.client(role).post(url, {"organisation": world.org_a2.pk}).status_code == 403
    assert world.client("anonymous").get(url).status_code == 302


def test_the_organisers_view_of_an_agenda_offers_move_and_cancel(world, ew):
    from clusterxchange.events.domain import matchmaking

    matchmaking.respond(world.users["outsider"], ew.pending, True)
    url = reverse("events:agenda", args=[ew.event.slug])
    body = world.client("manager").get(f"{url}?registration={ew.participant.pk}&current=1").content.decode()
    own = world.client("owner").get(url).content.decode()
    assert "For them" not in own and "Cancel the meeting" not in own
    assert "For them" in body


def test_the_api_acts_for_participants(world, ew, delta):
    import json

    org, person = delta
    client = world.client("coordinator")
    base = f"/api/events/{ew.event.slug}/on-behalf"
    created = client.post(
        f"{base}/registrations",
        json.dumps({"organisation": org.slug, "person": person.pk, "role": "exhibitor"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["person"] == "Dora Dietz" and created.json()["role"] == "exhibitor"
    booked = client.post(
        f"{base}/requests",
        json.dumps({"requester": created.json()["id"], "recipient": ew.other.pk, "book": True}),
        content_type="application/json",
    )
    assert booked.status_code == 201 and booked.json()["status"] == "accepted"
    meeting = ew.event.meetings.get(request_id=booked.json()["id"])
    cancelled = client.post(
        f"/api/events/{ew.event.slug}/meetings/{meeting.pk}/cancel",
        json.dumps({"reason": "No flight"}),
        content_type="application/json",
    )
    assert cancelled.json() == {"meeting": meeting.pk, "status": "cancelled"}
    again = client.post(
        f"/api/events/{ew.event.slug}/meetings/{meeting.pk}/cancel", "{}", content_type="application/json"
    )
    assert again.status_code == 409
    outsider = world.client("outsider").post(
        f"{base}/registrations", json.dumps({"organisation": org.slug}), content_type="application/json"
    )
    assert outsider.status_code == 403
