"""The event participant flow in German and French: registration, marketplace, requests, agenda."""

import html

import pytest

from clusterxchange.events import agendas

pytestmark = pytest.mark.django_db


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def test_event_list_and_detail(world, ew):
    client = world.client("same_cluster")
    slug = ew.event.slug
    german = text_of(client, f"/de/events/{slug}/")
    assert "Zur Veranstaltung anmelden" in german and "Veranstaltungsort" not in german
    assert "Zeitzone" in german
    french = text_of(client, f"/fr/events/{slug}/")
    assert "S'inscrire" in french and "Fuseau horaire" in french
    assert "Filtrer les événements" in text_of(client, "/fr/events/")


def test_registration_page(world, ew):
    client = world.client("same_cluster")
    german = text_of(client, f"/de/events/{ew.event.slug}/register/")
    assert "Anmeldung zu Silicon Day B2B" in german
    assert "Ihre Anmeldung wird sofort bestätigt, solange Plätze frei sind." in german
    french = text_of(client, f"/fr/events/{ew.event.slug}/register/")
    assert "Inscription à Silicon Day B2B" in french


def test_marketplace_requests_and_availability(world, ew):
    client = world.client("owner")
    slug = ew.event.slug
    assert "Teilnehmende filtern" in text_of(client, f"/de/events/{slug}/marketplace/")
    assert "Filtrer les participants" in text_of(client, f"/fr/events/{slug}/marketplace/")
    german = text_of(client, f"/de/events/{slug}/requests/")
    assert "Meine Terminanfragen" in german and "Gesendet" in german
    assert "Mes demandes de rendez-vous" in text_of(client, f"/fr/events/{slug}/requests/")
    assert "Meine Verfügbarkeit" in text_of(client, f"/de/events/{slug}/availability/")


def test_agenda_page_and_pdf_html(world, ew):
    client = world.client("owner")
    german = text_of(client, f"/de/events/{ew.event.slug}/agenda/")
    assert "Mein Terminplan" in german and "Der Terminplan ist noch nicht veröffentlicht." in german
    assert "Mon agenda" in text_of(client, f"/fr/events/{ew.event.slug}/agenda/")
    from django.utils import translation

    with translation.override("fr"):
        page = html.unescape(agendas.agenda_html(ew.participant, agendas.agenda_rows(ew.participant)))
    assert (
        '<html lang="fr">' in page
        and "Aucun rendez-vous dans l'agenda pour l'instant : les rendez-vous apparaissent" in page
    )


def test_event_dates_in_the_languages_format(world, ew):
    client = world.client("same_cluster")
    assert "20. Juni 2031" in text_of(client, f"/de/events/{ew.event.slug}/")
    assert "20 juin 2031" in text_of(client, f"/fr/events/{ew.event.slug}/")
