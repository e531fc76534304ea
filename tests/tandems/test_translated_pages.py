"""Tandems and training for cluster staff, in German and French."""

import html

import pytest

pytestmark = pytest.mark.django_db


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def test_tandem_pages(tw):
    client = tw.client("staff")
    german = text_of(client, "/de/tandems/")
    assert "Lern-Tandems" in german and "Tandems filtern" in german
    french = text_of(client, f"/fr/tandems/{tw.tandem.pk}/")
    assert "Séances" in french and "Résultats" in french
    assert "Auto-évaluation des capacités" in text_of(client, "/fr/tandems/capabilities/")
    assert "Prüfungen von Clusterstrategien" in text_of(client, "/de/tandems/strategy-reviews/")


def test_training_pages(tw):
    client = tw.client("manager")
    german = text_of(client, "/de/training/")
    assert "Schulungskatalog" in german and "Kurs vorschlagen" in german
    assert "Suivi des formations" in text_of(client, "/fr/training/records/")
    assert "Zum Kurs" in text_of(client, f"/de/training/{tw.entry.pk}/")
