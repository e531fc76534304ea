"""Load the learning topics (the four EXCITE tandem topics and more cluster-management topics)."""

from django.db import migrations

from clusterxchange.tandems.reference import load_topics


def load(apps, schema_editor):
    load_topics(apps)


class Migration(migrations.Migration):
    dependencies = [("tandems", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
