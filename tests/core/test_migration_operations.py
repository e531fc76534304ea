"""New indexes on tables that may be large are built without locking out writes on PostgreSQL
(CREATE INDEX CONCURRENTLY), and plainly on SQLite (core/migration_operations.py)."""

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.state import ProjectState
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext

from clusterxchange.core.migration_operations import AddIndexConcurrently
from clusterxchange.core.reference import load_reference_data


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.django_db(transaction=True)
def test_an_index_is_built_concurrently_on_postgresql_and_plainly_elsewhere():
    load_reference_data()  # a transactional test empties the tables it leaves
    operation = AddIndexConcurrently("auditentry", models.Index(Lower("action"), name="test_action_lower"))
    assert operation.atomic is False  # CREATE INDEX CONCURRENTLY refuses to run in a transaction
    before = ProjectState.from_apps(apps)
    after = before.clone()
    operation.state_forwards("core", after)
    with CaptureQueriesContext(connection) as captured, connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("core", editor, before, after)
    assert "test_action_lower" in index_names("core_auditentry")
    created = [query["sql"] for query in captured if "test_action_lower" in query["sql"]]
    assert ("CONCURRENTLY" in created[0]) is (connection.vendor == "postgresql"), created
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("core", editor, after, before)
    assert "test_action_lower" not in index_names("core_auditentry")
