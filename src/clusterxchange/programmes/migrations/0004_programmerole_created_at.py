import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Since when a coordinator holds their role; roles given before this migration date from it."""

    dependencies = [
        ("programmes", "0003_kpi_measure_position_published"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmerole",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="since"
            ),
            preserve_default=False,
        ),
    ]
