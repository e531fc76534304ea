"""An empty part of a page says what to do next to whoever can do it, and only states the fact to the
others."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_organisation_without_people_or_opportunities_leads_its_members_to_add_them(world):
    url = reverse("directory:organisation", args=[world.org_a2.slug])
    own = world.client("same_cluster").get(url).content.decode()
    assert reverse("directory:person_create", args=[world.org_a2.slug]) in own
    assert reverse("directory:opportunity_create", args=[world.org_a2.slug]) in own
    for role in ("anonymous", "outsider"):
        body = world.client(role).get(url).content.decode()
        assert "This organisation lists no contact person yet." in body
        assert "This organisation has published no cooperation opportunity yet." in body
        assert "/people/new/" not in body and "/opportunities/new/" not in body


def test_the_event_list_without_upcoming_events_tells_organisers_how_to_create_one(world):
    url = reverse("events:list")
    assert "Create one with “New event” above." in world.client("coordinator").get(url).content.decode()
    public = world.client("anonymous").get(url).content.decode()
    assert "No upcoming event for now." in public and "New event" not in public


def test_the_profile_says_why_the_location_matters(world):
    """A newcomer left latitude and longitude empty, and later found no host for their exchange."""
    page = world.client("owner").get(reverse("directory:organisation_edit", args=[world.org_a1.slug]))
    assert "Needed to visit or host an exchange" in page.content.decode()
