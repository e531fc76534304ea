"""Load the reference data: ecosystems, NACE Rev. 2, opportunity types, languages."""

from django.db import migrations

from clusterxchange.core.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
