"""On PostgreSQL, a trigram index for the directory search (`search_document LIKE '%word%'`), and
an index on the organisations' name, the order of every directory list (a page far down the list
otherwise sorts all 100,000 rows).

The search matches any part of a word (a substring of the lowercased name, city, region, keywords
and description); without an index PostgreSQL reads all rows for every search, which the load test
showed too slow at 100,000 organisations. pg_trgm's GIN index answers those LIKE filters directly,
with the same results. SQLite needs nothing (and has no pg_trgm).

These indexes belong to the directory app; the migration stays in core because databases have
applied it as core.0004 (moved, it would run again or be skipped). A directory migration that
changes `search_document` or `name` must depend on ("core", "0004_directory_search_trigram_index").
"""

from django.db import migrations

INDEX = "directory_organisation_search_trgm"
NAME_INDEX = "directory_organisation_name_order"  # the lists are ordered by name (Meta.ordering)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation USING gin (search_document gin_trgm_ops)"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON directory_organisation (name, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_worker_heartbeat"),
        ("directory", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
