"""The pages in every shipped language: the page's own words are translated, not only the menu, and no
text of the catalogue is left in English. German and French with the words a reader checked."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

PUBLIC_PAGES = [
    # (path without prefix, German, French)
    ("/", "Verzeichnis durchsuchen", "Rechercher dans l'annuaire"),
    ("/", "Neueste Kooperationsmöglichkeiten", "Dernières opportunités de coopération"),
    ("/accounts/login/", "Anmeldung", "Connexion"),
    ("/accounts/signup/", "Registrieren", "Création de compte"),
    ("/accounts/password/reset/", "Passwort zurücksetzen", "Réinitialisation du mot de passe"),
    ("/directory/", "Organisationen filtern", "Filtrer les organisations"),
    ("/directory/clusters/", "Clusterorganisationen", "Organisations de cluster"),
    ("/directory/organisations/alpha-sensors-fr/", "Kooperationsmöglichkeit hinzufügen", None),
    ("/directory/opportunities/", "Kooperationsmöglichkeiten filtern", "Filtrer les opportunités"),
    ("/directory/people/", "Personen filtern", "Filtrer les personnes"),
    ("/events/", "Unternehmensreisen und Veranstaltungen", "Missions et événements"),
    ("/training/", "Schulungskatalog", "Catalogue de formations"),
    ("/exchanges/verify/", "Ein ClusterXchange-Zertifikat prüfen", "Vérifier un certificat ClusterXchange"),
    (
        "/news/",
        "Aus den Cluster-Austauschprogrammen",
        "Des programmes d'échanges entre clusters",
    ),
    ("/news/testimonials/", "Erfahrungsberichte", "Témoignages"),
    ("/programme/test/", "Über das Programm", "À propos du programme"),
    (
        "/programme/test/partners/",
        "Partnercluster von TEST",
        "Clusters partenaires de TEST",
    ),
    ("/programme/test/missions/", "Unternehmensreisen und Studienbesuche", "Missions et visites d'étude"),
    ("/programme/test/take-part/", "Schritte eines Austauschs", "Étapes d'un échange"),
]


@pytest.mark.parametrize(("path", "german", "french"), PUBLIC_PAGES)
def test_public_pages_in_german_and_french(world, path, german, french):
    client = world.client("owner") if "alpha-sensors" in path else Client()
    for language, expected in (("de", german), ("fr", french)):
        if expected is None:
            continue
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, (language, path)
        assert response["Content-Language"] == language
        text = html.unescape(response.content.decode())
        assert f'<html lang="{language}">' in text
        assert expected in text, (language, path)


def test_the_menu_and_footer_are_translated(world):
    german = Client().get("/de/").content.decode()
    assert "Veranstaltungen" in german and "Schulungen" in german and "Anmelden" in german
    assert "Open-Source-Plattform für europäische Cluster-Austauschprogramme" in german
    french = Client().get("/fr/").content.decode()
    assert "Événements" in french and "Formations" in french and "Se connecter" in french


def test_counts_use_the_plural_of_the_language(world):
    german = Client().get("/de/directory/")
    count = german.context["page"].paginator.count
    assert count > 1
    assert f'<p aria-live="polite">{count} Organisationen</p>' in german.content.decode()
    french = Client().get("/fr/directory/?q=Alpha")
    assert french.context["page"].paginator.count == 1
    assert '<p aria-live="polite">1 organisation</p>' in french.content.decode()


def test_choices_and_field_labels_are_translated(world):
    text = Client().get("/de/directory/organisations/alpha-sensors-fr/").content.decode()
    assert "KMU" in text  # the organisation type and the SME mark
    text = Client().get("/fr/directory/organisations/alpha-sensors-fr/").content.decode()
    assert "PME" in text


def test_english_stays_without_prefix(world):
    response = Client().get("/directory/")
    assert response["Content-Language"] == "en"
    assert "Filter organisations" in response.content.decode()


def test_take_part_steps_are_not_the_event_registration_button(world):
    text = html.unescape(Client().get("/de/programme/test/take-part/").content.decode())
    assert "<strong>Registrierung</strong>" in text
    assert "Zur Veranstaltung anmelden" not in text


def test_reporting_dashboard_in_german_and_french(world):
    client = world.client("coordinator")
    german = html.unescape(client.get("/de/reporting/test/").content.decode())
    assert "Berichtswesen" in german and "Fortschrittsbericht" in german
    french = html.unescape(client.get("/fr/reporting/test/").content.decode())
    assert "Rapport d'avancement" in french


def test_reference_names_are_translated(world):
    """Ecosystems, opportunity types and languages are reference data with translated names."""
    german = html.unescape(Client().get("/de/directory/organisations/alpha-sensors-fr/").content.decode())
    assert "<li>Elektronik</li>" in german and "Technologieangebot" in german
    french = html.unescape(Client().get("/fr/directory/").content.decode())
    assert "<li>Électronique</li>" in french
    from clusterxchange.core.models import Language

    with translation.override("de"):
        assert str(Language.objects.get(code="fr")) == "Französisch"
    with translation.override("en"):
        assert str(Language.objects.get(code="fr")) == "French"


def test_map_country_names_follow_the_language(world):
    french = html.unescape(Client().get("/fr/programme/test/partners/").content.decode())
    assert "<title>Allemagne</title>" in french and "Espagne: 1" in french.replace("\u00a0", " ")


def test_every_shipped_language_is_tested():
    assert LANGUAGES == ["de", "fr", "es", "pl", "lt", "bg"]


PAGES_IN_EVERY_LANGUAGE = [
    # (who, path without prefix, an English text of the page that the catalogue translates)
    (None, "/", "Search the directory"),
    (None, "/", "Latest cooperation opportunities"),
    (None, "/accounts/login/", None),
    (None, "/accounts/signup/", None),
    (None, "/accounts/password/reset/", None),
    (None, "/directory/", "Filter organisations"),
    (None, "/directory/clusters/", "Cluster organisations"),
    ("owner", "/directory/organisations/alpha-sensors-fr/", "Add an opportunity"),
    (None, "/directory/opportunities/", "Filter opportunities"),
    (None, "/directory/people/", "Filter people"),
    (None, "/events/", "Missions and events"),
    (None, "/training/", "Training catalogue"),
    (None, "/exchanges/verify/", "Verify a ClusterXchange certificate"),
    (None, "/news/", "From the cluster-exchange programmes"),
    (None, "/news/testimonials/", "Testimonials"),
    (None, "/programme/test/", "About the programme"),
    (None, "/programme/test/partners/", None),
    (None, "/programme/test/missions/", "Missions and study visits"),
    (None, "/programme/test/take-part/", "Steps of an exchange"),
    ("owner", "/exchanges/", None),
    ("owner", "/accounts/tokens/", "API tokens"),
    ("coordinator", "/reporting/test/", "Progress report"),
    ("coordinator", "/messages/", None),
    ("coordinator", "/admin/programmes/programme/", None),
]
TEXT_NODE = re.compile(r"<([^<>]*)>([^<>]+)<")


def english_leftovers(page: str, po: polib.POFile) -> list[str]:
    """The page's text nodes that are an English text of the catalogue whose translation differs
    (not a translation that happens to read the same, not a language's own name in the switcher)."""
    translations = {entry.msgstr for entry in po}
    english = {
        entry.msgid
        for entry in po
        if not entry.msgid_plural and "%(" not in entry.msgid and len(entry.msgid) > 3
    } - translations
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    found = []
    for tag, node in TEXT_NODE.findall(page):
        text = " ".join(html.unescape(node).split())
        if text in english and "lang=" not in tag:
            found.append(text)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_in_every_language_without_english_leftovers(world, language):
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"))
    leftovers = []
    for who, path, english in PAGES_IN_EVERY_LANGUAGE:
        client = world.client(who) if who else Client()
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, (language, path)
        assert response["Content-Language"] == language
        text = response.content.decode()
        assert f'<html lang="{language}"' in text  # the admin adds dir="ltr"
        if english:
            with translation.override(language):
                expected = translation.gettext(english)
            assert expected != english and expected in " ".join(html.unescape(text).split()), (path, expected)
        leftovers += [(path, node) for node in english_leftovers(text, po)]
    assert leftovers == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_names_every_model_in_the_language(world, language):
    """No English plural guessed by Django ("Invitation batchs") and no English name in the admin: a
    name that reads as in English is one the catalogue translates so."""
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser(email="root@example.org", password="x" * 16)
    client = Client()
    client.force_login(root)
    response = client.get(f"/{language}/admin/")
    assert response.status_code == 200
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"))
    same_in_the_language = {
        entry.msgid.lower() for entry in po if entry.msgstr.lower() == entry.msgid.lower()
    }
    english = []
    for app in response.context["app_list"]:
        for model in app["models"]:
            if not model["model"].__module__.startswith("clusterxchange."):
                continue  # other packages' models come with their own catalogues
            with translation.override("en"):
                name_in_english = str(model["model"]._meta.verbose_name_plural)
            if str(model["name"]).lower() == name_in_english.lower() and name_in_english.lower() not in (
                same_in_the_language
            ):
                english.append(name_in_english)
    assert english == []


def test_the_same_english_word_is_translated_by_its_meaning():
    """ "Register" an organisation is not "register for an event"; the admin menu is not the admin role;
    a cancelled exchange is not a withdrawn erasure request (pgettext contexts)."""
    from clusterxchange.accounts.forms import ORGANISATION_ROLE_CHOICES
    from clusterxchange.exchanges.models import ExchangeState
    from clusterxchange.privacy.models import ErasureRequest

    with translation.override("de"):
        assert translation.pgettext("organisation registration", "Register") == "Registrieren"
        assert translation.pgettext("event registration", "Register") == "Zur Veranstaltung anmelden"
        assert translation.pgettext("menu", "Admin") == "Admin"  # short: the menu fits one row at 1280 px
        assert [str(label) for _value, label in ORGANISATION_ROLE_CHOICES] == ["Mitglied", "Admin"]
        assert str(ExchangeState.CANCELLED.label) == "Abgebrochen"
        assert str(ErasureRequest.Status.CANCELLED.label) == "Zurückgezogen"
    with translation.override("pl"):
        assert translation.pgettext("menu", "Admin") == "Admin"
        assert [str(label) for _value, label in ORGANISATION_ROLE_CHOICES][1] == "Administrator"
