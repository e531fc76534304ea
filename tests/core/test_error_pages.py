"""Error pages: in the site's layout and the visitor's language, saying what happened and the way on,
also with DEBUG on (the demo), where Django would show its debug pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory, override_settings

from clusterxchange.core.errors import generic_server_error

pytestmark = pytest.mark.django_db


def _is_site_page(body: str) -> bool:
    return 'aria-label="Main"' in body or 'aria-label="Haupt' in body


def test_404_is_in_the_layout_and_offers_login_search_and_home(client):
    response = client.get("/directory/no-such-page/", HTTP_REFERER="http://testserver/events/")
    assert response.status_code == 404
    body = response.content.decode()
    assert _is_site_page(body)
    assert "Page not found" in body
    assert "/accounts/login/?next=/directory/no-such-page/" in body
    assert 'href="http://testserver/events/"' in body  # go back, to a page of this site
    assert 'role="search"' in body


def test_go_back_never_points_to_another_site(client):
    body = client.get("/nope/", HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in body


def test_404_speaks_the_language_of_the_address(client):
    response = client.get("/de/directory/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="de">' in body
    assert "Seite nicht gefunden" in body
    assert "Seite nicht gefunden" in Client().get("/de/nope/").content.decode()
    assert "Page introuvable" in Client().get("/fr/nope/").content.decode()


def test_a_404_at_an_address_without_language_speaks_the_visitors_chosen_language(world):
    """A Bulgarian participant who mistypes an address without /bg/ got the page in English (walk3):
    an address without a language prefix says nothing about the reader, their choice does (the
    account's language, else the switcher's cookie). An explicit prefix still wins."""
    user = world.users["owner"]
    user.language = "bg"
    user.save(update_fields=["language"])
    client = world.client("owner")
    body = client.get("/nope/").content.decode()
    assert '<html lang="bg">' in body and "Страницата не е намерена" in body
    assert "Page introuvable" in client.get("/fr/nope/").content.decode()
    visitor = Client()
    visitor.cookies["django_language"] = "de"
    assert "Seite nicht gefunden" in visitor.get("/nope/").content.decode()
    assert "Page not found" in Client().get("/nope/").content.decode()


@override_settings(DEBUG=True)
def test_debug_mode_shows_the_real_404_not_the_url_list(client):
    response = client.get("/reporting/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and _is_site_page(body)
    assert "URLconf" not in body and "urlpatterns" not in body


@override_settings(DEBUG=True, FRIENDLY_ERROR_PAGES=False)
def test_developers_can_have_the_debug_404_back(client):
    assert "URLconf" in client.get("/nope/").content.decode()


def test_api_404_stays_json(client):
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_403_for_a_logged_in_member_says_who_and_what_to_do(world):
    response = world.client("outsider").get("/reporting/")
    assert response.status_code == 403
    body = response.content.decode()
    assert _is_site_page(body)
    assert "This page is not open to your account" in body
    assert world.users["outsider"].email in body or world.users["outsider"].get_full_name() in body
    assert "Nothing was changed" in body
    assert "/accounts/login/" not in body.split('id="error-title"')[1]  # logged in: no login offer
    assert "mailto:" in body or "tell the programme" in body


def test_403_in_german(world):
    body = world.client("outsider").get("/de/reporting/").content.decode()
    assert "Diese Seite ist für Ihr Konto nicht zugänglich" in body


def test_csrf_failure_explains_and_keeps_the_layout(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    client.get("/")  # the CSRF cookie is set
    response = client.post("/accounts/tokens/", {"name": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form could not be sent" in body and _is_site_page(body)
    assert "nothing was saved" in body


def test_400_for_a_foreign_host_is_a_page_not_a_crash():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_500_page_is_in_the_layout_with_a_reference():
    request = RequestFactory().get("/events/")
    request.user = AnonymousUser()
    request.request_id = "abc123"
    response = generic_server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body and _is_site_page(body)
    assert "abc123" in body


def test_500_page_falls_back_to_a_plain_page_when_the_layout_fails():
    request = RequestFactory().get("/events/")  # no user: the layout's menus cannot be built
    request.request_id = "ref-1"

    class Broken:
        is_authenticated = property(lambda self: 1 / 0)

    request.user = Broken()
    response = generic_server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "ref-1" in response.content.decode()


def test_403_gives_the_refusals_own_reason_in_the_readers_language(world):
    """A view that says why it refuses (PermissionDenied with a message) has that reason on the page."""
    body = world.client("outsider").get("/reporting/").content.decode()
    assert "The reporting is for coordinators and partner cluster managers." in body
    german = world.client("outsider").get("/de/reporting/").content.decode()
    assert "Das Berichtswesen ist für Koordinatoren und Manager der Partnercluster." in german


def test_403_without_a_reason_shows_only_the_general_text(world):
    from django.core.exceptions import PermissionDenied

    from clusterxchange.core.errors import permission_denied

    request = RequestFactory().get("/somewhere/")
    request.user = world.users["outsider"]
    body = permission_denied(request, PermissionDenied()).content.decode()
    assert 'class="error-reason"' not in body
    assert "This page is not open to your account" in body


def test_403_reason_is_escaped(world):
    from django.core.exceptions import PermissionDenied

    from clusterxchange.core.errors import permission_denied

    request = RequestFactory().get("/somewhere/")
    request.user = world.users["outsider"]
    body = permission_denied(request, PermissionDenied("<script>alert(1)</script>")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
