"""Background tasks of privacy (django-tasks). Run `purge_evidence` daily: from cron with
`clusterxchange purge_evidence --apply`, or by enqueueing this task from a scheduler."""

from django_tasks import task

from clusterxchange.privacy.retention import purge_evidence as purge


@task()
def purge_evidence() -> int:

    return purge(apply=True).deleted
