"""Migration operations the project's migrations share.

`AddIndexConcurrently`: a new index on a table that may be large. A plain CREATE INDEX locks the
table against writes until the index is built (minutes on millions of rows: no sign-up, no email
queued meanwhile); PostgreSQL's CREATE INDEX CONCURRENTLY builds it while writes go on. Django's own
operation (`django.contrib.postgres.operations.AddIndexConcurrently`) works on PostgreSQL only; this
one builds concurrently there and plainly elsewhere (SQLite: the demo, the tests). Like Django's, it
cannot run inside a transaction: its migration says ``atomic = False`` and holds nothing else that
needs one (docs/operations.md, "Indexes on large tables").
"""

from django.contrib.postgres import operations as postgres
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(AddIndex):
    """`AddIndex`, built with CREATE INDEX CONCURRENTLY on PostgreSQL (and dropped with DROP INDEX
    CONCURRENTLY when the migration is reversed)."""

    atomic = False

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            concurrent = postgres.AddIndexConcurrently(self.model_name, self.index)
            concurrent.database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            concurrent = postgres.AddIndexConcurrently(self.model_name, self.index)
            concurrent.database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} (concurrently on PostgreSQL)"
