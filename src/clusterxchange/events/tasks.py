"""Background tasks of events (django-tasks): they take ids, never objects."""

from django_tasks import task

from clusterxchange.core.jobs import fail_when_lost
from clusterxchange.events.domain.matchmaking import expire_requests, remind_pending
from clusterxchange.events.models import EventImport, SchedulingRun


@task()
def run_scheduler(run_id: int) -> int:
    from clusterxchange.events import scheduling  # noqa: PLC0415 — cycle: scheduling enqueues this task

    run = scheduling.run(run_id)
    return run.placed


@task()
def run_import(import_id: int) -> int:
    """Import the rows of an uploaded file (events.imports.run); returns how many were created."""
    from clusterxchange.events import imports  # noqa: PLC0415 — cycle: imports.start_import enqueues this task

    return imports.run(import_id).created


@task()
def expire_and_remind() -> int:
    return expire_requests() + remind_pending()


# A scheduler task that failed outside `scheduling.run` (its worker was killed and reaped): the run
# shows the reason and stops blocking a new run. Its meetings were never changed, since the placements
# are written in one transaction at the end.
fail_when_lost(run_scheduler, SchedulingRun)

# An import whose task failed outside `imports.run` (an error, or its worker was killed and reaped):
# its page shows the reason and the file's rows (its INPUT_FIELDS) are dropped. Nothing of it was
# written, since the rows are written in one transaction.
fail_when_lost(run_import, EventImport)
