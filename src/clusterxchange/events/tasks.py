"""Background tasks of events (django-tasks): they take ids, never objects."""

from django_tasks import task


@task()
def run_scheduler(run_id: int) -> int:
    from clusterxchange.events import scheduling

    run = scheduling.run(run_id)
    return run.placed


@task()
def expire_and_remind() -> int:
    from clusterxchange.events.domain import expire_requests, remind_pending

    return expire_requests() + remind_pending()
