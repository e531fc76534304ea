from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("events", "0008_scheduling_outcome"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="staff",
            field=models.ManyToManyField(
                blank=True,
                related_name="staffed_events",
                to=settings.AUTH_USER_MODEL,
                verbose_name="event staff",
            ),
        ),
    ]
