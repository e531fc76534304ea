"""The public pages in German and in French: the page's own words are translated, not only the menu."""

import html

import pytest
from django.test import Client
from django.utils import translation

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
