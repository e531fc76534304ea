"""Links in emails point at the address the site was reached on: an email sent from a request links
to that request's scheme and host (checked against ALLOWED_HOSTS), one sent outside a request (a
background task, a command) to SITE_URL. Invitation links were always built on SITE_URL (port 8000 in
development), wrong when the site ran elsewhere."""

import re

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from clusterxchange.accounts import invitations
from clusterxchange.core.site_address import SiteAddressMiddleware, site_link

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/invitations/[\w-]+/")


def _only_link() -> str:
    (message,) = mail.outbox
    return LINK.search(message.body).group(0)


def test_an_invitation_sent_from_a_page_links_to_the_pages_own_address(
    world, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["cx.example.org"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager").post(
            reverse("invitations:invite", args=["organisation", world.org_a1.slug]),
            {"email": "new.person@example.org", "role_kind": "organisation-member", "language": "en"},
            HTTP_HOST="cx.example.org:8773",
            secure=True,
        )
    assert response.status_code == 302
    assert _only_link().startswith("https://cx.example.org:8773/invitations/")


def test_an_invitation_sent_outside_a_request_links_to_site_url(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cx.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(
            world.users["manager"],
            email="new.person@example.org",
            role_kind="organisation-member",
            target=world.org_a1,
        )
    assert _only_link().startswith("https://cx.example.org/invitations/")
    assert site_link("/x/") == "https://cx.example.org/x/"


def test_a_host_the_site_does_not_serve_is_not_trusted(settings):
    settings.ALLOWED_HOSTS = ["cx.example.org"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    middleware = SiteAddressMiddleware(lambda request: HttpResponse(site_link("/x/")))
    factory = RequestFactory()
    assert middleware(factory.get("/", HTTP_HOST="evil.example")).content == b"http://127.0.0.1:8000/x/"
    assert middleware(factory.get("/", HTTP_HOST="cx.example.org")).content == b"http://cx.example.org/x/"
    assert site_link("/x/") == "http://127.0.0.1:8000/x/"  # the request's address ends with the request
