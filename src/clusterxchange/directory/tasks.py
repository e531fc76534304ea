"""Background tasks of the directory (django-tasks): they take ids and plain data, never objects."""

from django.contrib.auth import get_user_model
from django_tasks import task

from clusterxchange.core.tabular import Table
from clusterxchange.directory import domain
from clusterxchange.directory.imports import import_organisations, import_people
from clusterxchange.directory.models import Organisation


@task()
def import_table(
    kind: str, headers: list[str], rows: list[dict[str, str]], actor_id: int, cluster_id=None
) -> dict:
    """A large import in the background: validated first, then written in one transaction, so a
    worker killed half-way leaves nothing half imported (the database rolls the transaction back)."""

    actor = get_user_model().objects.get(pk=actor_id)
    table = Table(headers=headers, rows=rows)
    if kind == "people":
        report = import_people(actor, table, dry_run=False)
    else:
        cluster = Organisation.objects.get(pk=cluster_id) if cluster_id else None
        report = import_organisations(actor, table, dry_run=False, cluster=cluster)
    return {
        "kind": report.kind,
        "rows": report.total_rows,
        "created": report.created,
        "error_count": len(report.errors),
        "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors[:100]],
    }


@task()
def locate_organisations() -> int:
    """The periodic job `locate-organisations` (directory.domain.locate_organisations): builds the
    cities' index when missing, fills the coordinates saved without it; returns how many."""
    return domain.locate_organisations()
