"""The language switcher: a logged-in user's choice is stored and applied after login, anywhere."""

import pytest
from django.test import Client

from clusterxchange.accounts.models import User


@pytest.fixture
def user(db):
    return User.objects.create_user(email="ada@example.org", password="correct-horse-battery")


def test_the_switcher_is_in_the_header_with_each_language_in_its_own_name(client, db):
    page = client.get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert 'action="/i18n/setlang/"' in header
    assert '<option value="de" lang="de">Deutsch</option>' in header
    assert '<option value="fr" lang="fr">Français</option>' in header
    assert '<option value="en" lang="en" selected>English</option>' in header
    assert 'name="next" type="hidden" value="/"' in header
    assert "cx/language-switch.js" in page


def test_switching_redirects_to_the_same_page_in_the_new_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/events/?when=past"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/events/?when=past"


def test_switching_from_a_translated_page_to_another_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/fr/training/"})
    assert response["Location"] == "/de/training/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/de/training/"})
    assert response["Location"] == "/training/"


def test_an_anonymous_choice_is_not_stored_anywhere_but_the_cookie(client, user):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert client.cookies["django_language"].value == "de"
    user.refresh_from_db()
    assert user.language == ""


def test_a_logged_in_users_choice_is_stored_and_follows_them_to_another_browser(user):
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/directory/"})
    assert response["Location"] == "/de/directory/"
    user.refresh_from_db()
    assert user.language == "de"

    other_browser = Client()
    other_browser.force_login(user)
    response = other_browser.get("/directory/?country=FR")
    assert response.status_code == 302
    assert response["Location"] == "/de/directory/?country=FR"
    page = other_browser.get("/directory/", follow=True)
    assert page["Content-Language"] == "de"
    text = page.content.decode()
    assert '<html lang="de">' in text
    assert "Organisationen filtern" in text
    assert 'href="/de/events/"' in text  # links keep the language


def test_switching_back_to_english_is_stored_too(user):
    user.language = "fr"
    user.save()
    client = Client()
    client.force_login(user)
    assert "Se déconnecter" in client.get("/", follow=True).content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/"})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "en"
    assert "Log out" in client.get("/").content.decode()


def test_an_explicit_language_prefix_wins_over_the_stored_choice(user):
    user.language = "fr"
    user.save()
    client = Client()
    client.force_login(user)
    assert client.get("/de/")["Content-Language"] == "de"


def test_a_form_posted_to_an_unprefixed_address_is_not_redirected(user):
    user.language = "de"
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "ci", "scopes": ["directory:read"], "days": "30"})
    assert response.status_code in {200, 302}
    assert user.api_tokens.filter(name="ci").exists()


def test_an_unknown_language_is_ignored(user):
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_logging_in_from_a_translated_page_remembers_that_language(client, user):
    response = client.post(
        "/fr/accounts/login/", {"login": "ada@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    assert client.get("/", follow=True)["Content-Language"] == "fr"


def test_a_stored_choice_is_applied_after_login(client, user):
    user.language = "de"
    user.save()
    client.post("/accounts/login/", {"login": "ada@example.org", "password": "correct-horse-battery"})
    page = client.get("/accounts/me/", follow=True).content.decode()
    assert "<h1>Mein Konto</h1>" in page
    user.refresh_from_db()
    assert user.language == "de"  # logging in from an English page does not overwrite the choice


def test_the_api_stays_english_for_a_user_with_another_language(user):
    user.language = "de"
    user.save()
    client = Client()
    client.force_login(user)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get("Content-Language", "en") == "en"
