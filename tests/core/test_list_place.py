"""An organiser who decides a row of a filtered, paginated list comes back to the same filters and
page, scrolled to the row (core.list_place): found on a phone, where losing one's place meant
re-opening the folded filters and paging again. The place comes from the list's own address; another
site or another page is never a destination."""

import pytest
from django.urls import reverse

from clusterxchange.exchanges.models import HostProfile
from clusterxchange.joining import domain as joining
from tests.conftest import make_user
from tests.events.conftest import ew  # noqa: F401 - the event world
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchange world
from tests.news.conftest import nw  # noqa: F401 - the news world

pytestmark = pytest.mark.django_db


def _decide_registration(ew, world, next_url):  # noqa: F811
    return world.client("manager").post(
        reverse("events:registration_decide", args=[ew.event.slug, ew.participant.pk]),
        {"decision": "validate", "next": next_url},
    )


def test_a_registration_decided_from_a_filtered_page_2_leads_back_there(ew, world):  # noqa: F811
    registrations = reverse("events:registrations", args=[ew.event.slug])
    place = f"{registrations}?status=waiting&role=local&page=2"
    response = _decide_registration(ew, world, place)
    assert response.status_code == 302
    assert response["Location"] == f"{place}#registration-{ew.participant.pk}"
    ew.participant.refresh_from_db()
    assert ew.participant.status == "validated"  # decided by the domain action all the same
    # Page 2 no longer exists (the event has two registrations): the last page is shown.
    assert world.client("manager").get(response["Location"]).status_code == 200


def test_the_registrations_decision_forms_carry_the_lists_place(ew, world):  # noqa: F811
    registrations = reverse("events:registrations", args=[ew.event.slug])
    html = world.client("manager").get(registrations, {"status": "pending", "page": "1"}).content.decode()
    assert f'name="next" value="{registrations}?status=pending&amp;page=1"' in html


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example{list}?page=2",
        "//evil.example{list}?page=2",
        "{other}?page=2",
        "{list}/../..{other}?page=2",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_registration_decision_never_leads_elsewhere(ew, world, elsewhere):  # noqa: F811
    registrations = reverse("events:registrations", args=[ew.event.slug])
    response = _decide_registration(
        ew, world, elsewhere.format(list=registrations, other=reverse("join:requests"))
    )
    assert response["Location"] == f"{registrations}#registration-{ew.participant.pk}"


def _host_profile(xworld):  # noqa: F811
    return HostProfile.objects.create(
        programme=xworld.base.programme, organisation=xworld.base.org_a2, offer="Our cloud lab"
    )


def test_a_host_profile_decided_from_a_filtered_page_2_leads_back_there(xworld):  # noqa: F811
    profile = _host_profile(xworld)
    place = f"{reverse('exchanges:host_profiles')}?status=submitted&page=2"
    response = xworld.client("visitor_partnership").post(
        reverse("exchanges:host_profile_decide", args=[profile.pk]), {"decision": "validate", "next": place}
    )
    assert response["Location"] == f"{place}#profile-{profile.pk}"
    profile.refresh_from_db()
    assert profile.status == "validated"


def test_a_host_profile_decision_never_leads_elsewhere(xworld):  # noqa: F811
    profile = _host_profile(xworld)
    response = xworld.client("visitor_partnership").post(
        reverse("exchanges:host_profile_decide", args=[profile.pk]),
        {"decision": "validate", "next": "https://evil.example/exchanges/host-profiles/?page=2"},
    )
    assert response["Location"] == f"{reverse('exchanges:host_profiles')}#profile-{profile.pk}"


def test_a_testimonial_moderated_from_a_filtered_page_2_leads_back_there(nw):  # noqa: F811
    place = f"{reverse('news:moderation')}?status=pending&page=2"
    response = nw.client("manager").post(
        reverse("news:testimonial_moderate", args=[nw.pending.pk]),
        {"action": "approve", "reason": "", "next": place},
    )
    assert response["Location"] == f"{place}#testimonial-{nw.pending.pk}"


def test_a_testimonial_moderated_without_a_place_follows_it_to_its_new_status(nw):  # noqa: F811
    response = nw.client("manager").post(
        reverse("news:testimonial_moderate", args=[nw.pending.pk]),
        {"action": "approve", "reason": "", "next": "/news/?status=pending"},
    )
    assert response["Location"] == f"{reverse('news:moderation')}?status=approved#testimonial-{nw.pending.pk}"


def test_a_join_request_decided_from_page_2_leads_back_there(world):
    join_request = joining.ask_to_join(make_user("new@test.example"), world.org_a1)
    place = f"{reverse('join:requests')}?joins=2&new=3"
    response = world.client("manager").post(
        reverse("join:decide_join", args=[join_request.pk]), {"decision": "approve", "next": place}
    )
    assert response["Location"] == f"{place}#join-title"
    join_request.refresh_from_db()
    assert join_request.status == "approved"
    elsewhere = world.client("manager").post(
        reverse("join:decide_join", args=[join_request.pk]),
        {"decision": "approve", "next": "https://evil.example/welcome/requests/?joins=2"},
    )
    assert elsewhere["Location"] == f"{reverse('join:requests')}#join-title"


def test_an_interest_decided_from_a_filtered_page_2_leads_back_there(world):
    interest = joining.send_interest(
        world.users["outsider"], world.opportunity_a1, world.org_b1, "We make them"
    )
    place = f"{reverse('join:interests')}?tab=received&status=pending&page=2"
    response = world.client("owner").post(
        reverse("join:decide_interest", args=[interest.pk]), {"decision": "approve", "next": place}
    )
    assert response["Location"] == f"{place}#interest-{interest.pk}"
