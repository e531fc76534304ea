from django.db import migrations


class Migration(migrations.Migration):
    """Apart from 0011 so that PostgreSQL alters the table after the data migration's transaction."""

    dependencies = [
        ("programmes", "0011_programme_languages_and_texts"),
    ]

    operations = [
        migrations.RemoveField(model_name="programme", name="description"),
    ]
