"""Load the reference data: ecosystems, NACE Rev. 2, opportunity types, languages."""

from django.db import migrations

from clusterxchange.core.reference import (
    ECOSYSTEMS,
    NACE_REVISION,
    OPPORTUNITY_TYPES,
    languages,
    nace_rows,
)


def load(apps, schema_editor):
    Ecosystem = apps.get_model("core", "Ecosystem")
    NaceCode = apps.get_model("core", "NaceCode")
    OpportunityType = apps.get_model("core", "OpportunityType")
    Language = apps.get_model("core", "Language")

    for position, (code, name) in enumerate(ECOSYSTEMS):
        Ecosystem.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    sections = {}
    for row in nace_rows():
        level = "division" if row["parent"] else "section"
        code, _ = NaceCode.objects.update_or_create(
            revision=NACE_REVISION,
            code=row["code"],
            defaults={"name": row["name"], "level": level, "parent": sections.get(row["parent"])},
        )
        if level == "section":
            sections[row["code"]] = code
    for position, (code, name, kind, direction) in enumerate(OPPORTUNITY_TYPES):
        OpportunityType.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "direction": direction, "position": position}
        )
    for code, name in languages():
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
