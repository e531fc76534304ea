"""The grant-approval subject said "Grant of EUR %(amount)s approved" while the amount is written in the
reader's format ("600,00 €"): it read "EUR 600,00 €". The shipped text lost "EUR"; the data migration
messaging 0007 rewrites a programme's saved subject that is still the old shipped one, in any language,
and leaves a subject the programme wrote itself as it is."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from clusterxchange.core.texts import EDITABLE
from clusterxchange.messaging.models import NotificationText

migration = importlib.import_module("clusterxchange.messaging.migrations.0007_grant_subject_without_eur")
KEY = "exchanges.grant_approved"

pytestmark = pytest.mark.django_db


def _saved(programme, language: str, subject: str, body: str = "") -> NotificationText:
    return NotificationText.objects.create(
        programme=programme, key=KEY, language=language, subject=subject, body=body
    )


def test_saved_subjects_still_shipped_lose_eur_and_edited_ones_stay(world):
    german = _saved(world.programme, "de", "Zuschuss von EUR {amount} genehmigt", "Unser eigener Text")
    spanish = _saved(world.programme, "es", "Subvención de {amount} EUR aprobada")
    english = _saved(world.programme, "en", " Grant of EUR {amount} approved ")
    edited = _saved(world.programme, "fr", "Votre subvention de EUR {amount} est accordée !")
    other_key = NotificationText.objects.create(
        programme=world.programme,
        key="exchanges.host_declined",
        language="pl",
        subject="Zatwierdzono dofinansowanie w wysokości {amount} EUR",
        body="",
    )

    migration.drop_eur_from_grant_subjects(apps, None)

    for text in (german, spanish, english, edited, other_key):
        text.refresh_from_db()
    assert german.subject == "Zuschuss von {amount} genehmigt"
    assert german.body == "Unser eigener Text"
    assert spanish.subject == "Subvención de {amount} aprobada"
    assert english.subject == "Grant of {amount} approved"
    assert edited.subject == "Votre subvention de EUR {amount} est accordée !"
    assert other_key.subject == "Zatwierdzono dofinansowanie w wysokości {amount} EUR"


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pl", "lt", "bg"])
def test_the_migration_writes_the_subject_shipped_now(language):
    """What the migration writes is the shipped subject of today, in each language."""
    with translation.override(language):
        shipped = EDITABLE[KEY].shipped()[0]
    assert "EUR" not in shipped
    assert migration.NEW_SUBJECTS[language] == shipped
