"""Limits set by an organiser hold for every interface: a participant can lower their own meeting cap,
never lift it above the event's (tester's report: `{"meeting_cap": 999}` was accepted on an event
limited to 1, and the participant got three auto-accepted meetings)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterxchange.events.domain import registering
from clusterxchange.events.models import Event, Registration
from tests.events.conftest import ew  # noqa: F401 - the events world

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(ew):  # noqa: F811
    Event.objects.filter(pk=ew.event.pk).update(meeting_cap=1, acceptance="auto")
    ew.event.refresh_from_db()
    ew.participant.refresh_from_db()
    return ew


def test_the_domain_refuses_a_cap_above_the_events(limited, world):
    with pytest.raises(ValidationError, match="at most 1 meetings"):
        registering.set_availability(world.users["owner"], limited.participant, [], 999)
    assert Registration.objects.get(pk=limited.participant.pk).meeting_cap is None


def test_the_api_refuses_it_and_changes_nothing(limited, world):
    response = world.client("owner").put(
        f"/api/events/{limited.event.slug}/availability",
        json.dumps({"meeting_cap": 999}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "meeting_cap" in response.content.decode()
    assert Registration.objects.get(pk=limited.participant.pk).meeting_cap is None


def test_the_page_refuses_it_with_a_message(limited, world):
    response = world.client("owner").post(
        reverse("events:availability", kwargs={"slug": limited.event.slug}), {"meeting_cap": "50"}
    )
    assert response.status_code == 200
    assert "at most 1 meetings" in response.content.decode()
    assert Registration.objects.get(pk=limited.participant.pk).meeting_cap is None


def test_a_participant_may_lower_their_own_cap(ew, world):  # noqa: F811
    registering.set_availability(world.users["owner"], ew.participant, [], 2)
    ew.participant.refresh_from_db()
    assert ew.participant.cap == 2


def test_a_cap_set_before_the_organiser_lowered_the_limit_does_not_lift_it(ew, world):  # noqa: F811
    registering.set_availability(world.users["owner"], ew.participant, [], 10)
    Event.objects.filter(pk=ew.event.pk).update(meeting_cap=1)
    registration = Registration.objects.select_related("event").get(pk=ew.participant.pk)
    assert registration.meeting_cap == 10
    assert registration.cap == 1
