import django.db.models.deletion
from django.db import migrations, models

LANGUAGES = [
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pl", "Polish"),
    ("lt", "Lithuanian"),
    ("bg", "Bulgarian"),
]


def texts_from_descriptions(apps, schema_editor):
    """Every programme works in its default language, and its description becomes the public text in it."""
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeText = apps.get_model("programmes", "ProgrammeText")
    for programme in Programme.objects.all():
        programme.languages = [programme.default_language]
        programme.save(update_fields=["languages"])
        if programme.description:
            ProgrammeText.objects.create(
                programme=programme, language=programme.default_language, description=programme.description
            )


def descriptions_from_texts(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeText = apps.get_model("programmes", "ProgrammeText")
    for programme in Programme.objects.all():
        text = ProgrammeText.objects.filter(programme=programme, language=programme.default_language).first()
        if text is not None and text.description:
            programme.description = text.description
            programme.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0010_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="languages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The languages the programme works in: its public texts are written in each of them.",
                verbose_name="languages",
            ),
        ),
        migrations.CreateModel(
            name="ProgrammeText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(choices=LANGUAGES, max_length=10, verbose_name="language")),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="Empty: the programme's name.",
                        max_length=200,
                        verbose_name="public name",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="public description")),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="texts",
                        to="programmes.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "public text",
                "verbose_name_plural": "public texts",
                "ordering": ["programme", "language"],
                "constraints": [
                    models.UniqueConstraint(fields=("programme", "language"), name="unique_programme_text")
                ],
            },
        ),
        migrations.RunPython(texts_from_descriptions, descriptions_from_texts),
    ]
