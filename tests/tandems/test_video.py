"""Virtual tandem sessions get a video link like online B2B meetings (issue #18 point 6): the one
given (http or https only), else a room of their own on the programme's video server; shown to the
tandem's clusters and coordinators only (the tandem's page and API)."""

import re

import pytest
from django.urls import reverse

from clusterxchange.tandems.models import TandemSession
from tests.tandems.conftest import ROLES
from tests.tandems.test_api import CLUSTER_A, api, expected

pytestmark = pytest.mark.django_db
JITSI = "https://meet.jit.si"


@pytest.fixture
def jitsi(tw):
    programme = tw.tandem.programme
    programme.video_link_template = JITSI
    programme.save(update_fields=["video_link_template"])
    return programme


def test_a_virtual_session_gets_a_room_on_the_programmes_server(tw, jitsi):
    session = TandemSession.objects.select_related("tandem__programme").get(pk=tw.session.pk)
    assert re.fullmatch(r"https://meet\.jit\.si/cx[0-9a-f]{32}", session.video_url)
    session.video_link = "https://zoom.example.org/j/42"
    assert session.video_url == "https://zoom.example.org/j/42"
    session.mode = "on_site"
    assert session.video_url == ""


def test_without_a_template_or_link_there_is_no_link(tw):
    assert tw.session.video_url == ""


@pytest.mark.parametrize("role", ROLES)
def test_the_link_is_seen_by_the_tandems_clusters_only(tw, jitsi, role):
    link = f"{JITSI}/{tw.session.video_room}"
    page = tw.client(role).get(reverse("tandems:detail", args=[tw.tandem.pk]))
    assert (link in page.content.decode()) is (role in CLUSTER_A)
    response = api(tw, role).get(f"/api/tandems/{tw.tandem.pk}")
    assert response.status_code == expected(role, CLUSTER_A)
    if role in CLUSTER_A:
        assert response.json()["sessions"][0]["video_link"] == link


@pytest.mark.parametrize("link", ["ftp://files.example.org/room", "javascript:alert(1)"])
def test_a_link_that_is_not_http_is_refused_on_the_page_and_in_the_api(tw, link):
    response = tw.client("staff").post(
        reverse("tandems:session_edit", args=[tw.session.pk]),
        {"title": "Kick-off", "mode": "virtual", "date": "2023-02-01", "video_link": link},
    )
    assert response.status_code == 200
    assert "starts with http:// or https://" in response.content.decode()
    created = api(tw, "staff").post(
        f"/api/tandems/{tw.tandem.pk}/sessions",
        {"title": "Bad link", "mode": "virtual", "date": "2023-04-04", "video_link": link},
        content_type="application/json",
    )
    assert created.status_code == 422
    assert "http:// or https://" in created.content.decode()
    tw.session.refresh_from_db()
    assert tw.session.video_link == ""
    assert not TandemSession.objects.filter(title="Bad link").exists()


def test_a_given_link_is_kept(tw):
    response = tw.client("staff").post(
        reverse("tandems:session_edit", args=[tw.session.pk]),
        {
            "title": "Kick-off",
            "mode": "virtual",
            "date": "2023-02-01",
            "video_link": "https://meet.example.org/a",
        },
    )
    assert response.status_code == 302
    tw.session.refresh_from_db()
    assert tw.session.video_url == "https://meet.example.org/a"
