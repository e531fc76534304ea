"""The grant-approval subject shipped as "Grant of EUR %(amount)s approved" while the amount is written in
the reader's format ("600,00 €"), so it read "EUR 600,00 €". A programme's saved copy of that subject
that is still the old shipped text (in any language) becomes the new shipped text; a subject the
programme wrote itself stays as it is. The texts are written out here: the catalogues change later."""

from django.db import migrations

KEY = "exchanges.grant_approved"
OLD_SUBJECTS = {
    "en": "Grant of EUR {amount} approved",
    "de": "Zuschuss von EUR {amount} genehmigt",
    "fr": "Subvention de EUR {amount} approuvée",
    "es": "Subvención de {amount} EUR aprobada",
    "pl": "Zatwierdzono dofinansowanie w wysokości {amount} EUR",
    "lt": "Patvirtinta {amount} EUR dotacija",
    "bg": "Одобрена е безвъзмездна помощ от {amount} EUR",
}
NEW_SUBJECTS = {
    "en": "Grant of {amount} approved",
    "de": "Zuschuss von {amount} genehmigt",
    "fr": "Subvention de {amount} approuvée",
    "es": "Subvención de {amount} aprobada",
    "pl": "Zatwierdzono dofinansowanie w wysokości {amount}",
    "lt": "Patvirtinta {amount} dotacija",
    "bg": "Одобрена е безвъзмездна помощ от {amount}",
}
_REPLACEMENTS = {OLD_SUBJECTS[language]: NEW_SUBJECTS[language] for language in OLD_SUBJECTS}


def drop_eur_from_grant_subjects(apps, schema_editor):
    NotificationText = apps.get_model("messaging", "NotificationText")
    for text in NotificationText.objects.filter(key=KEY):
        new = _REPLACEMENTS.get(text.subject.strip())
        if new is not None:
            text.subject = new
            text.save(update_fields=["subject"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0006_recipient_address_lower")]

    operations = [migrations.RunPython(drop_eur_from_grant_subjects, migrations.RunPython.noop)]
