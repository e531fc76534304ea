"""Background tasks of privacy (django-tasks): the task workers run them daily as the periodic jobs
`purge-evidence` and `purge-job-details` (settings.PERIODIC_JOBS); `clusterxchange purge_evidence
--apply` still purges the evidence by hand."""

from django_tasks import task

from clusterxchange.privacy import retention


@task()
def purge_evidence() -> int:

    return retention.purge_evidence(apply=True).deleted


@task()
def purge_job_details() -> int:
    """Empty the details of background jobs finished longer than their retention ago (the periodic
    job `purge-job-details`); returns how many jobs lost them."""
    return retention.purge_job_details()
