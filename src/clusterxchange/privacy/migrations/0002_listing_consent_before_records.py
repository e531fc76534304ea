"""People listed before consent records existed get one record saying so (source "migration"),
so that the history of every listed person starts with how the listing came about."""

from django.db import migrations

TEXT = "Listed in the public directory before consent records were kept (no consent text recorded)."


def forwards(apps, schema_editor):
    Person = apps.get_model("directory", "Person")
    ConsentRecord = apps.get_model("privacy", "ConsentRecord")
    batch = []
    for person_id in Person.objects.filter(listed=True).values_list("pk", flat=True).iterator():
        batch.append(
            ConsentRecord(
                person_id=person_id,
                purpose="directory_listing",
                given=True,
                text=TEXT,
                version="before-records",
                source="migration",
            )
        )
        if len(batch) >= 1000:
            ConsentRecord.objects.bulk_create(batch)
            batch = []
    ConsentRecord.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    apps.get_model("privacy", "ConsentRecord").objects.filter(source="migration").delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_consent_erasure_access")]

    operations = [migrations.RunPython(forwards, backwards)]
