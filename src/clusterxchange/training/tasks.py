"""Background tasks of the training catalogue (django-tasks: the database backend in production,
run by `clusterxchange worker`; the immediate backend in tests)."""

from django_tasks import task

from clusterxchange.training.linkcheck import DEFAULT_TIMEOUT, check_url
from clusterxchange.training.models import TrainingEntry


@task()
def check_links(entry_ids: list[int], timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """Check each entry's link (one request each, `timeout` seconds at most) and mark dead links."""
    from clusterxchange.training.domain import record_link_check  # noqa: PLC0415 — cycle: the domain enqueues this task

    counts = {"ok": 0, "dead": 0}
    for entry_id, link in TrainingEntry.objects.filter(pk__in=entry_ids).values_list("pk", "link"):
        result = check_url(link, timeout=timeout)
        record_link_check(entry_id, result)
        counts["ok" if result.ok else "dead"] += 1
    return counts


@task()
def check_published_links(timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """The periodic job: check the links of every published catalogue entry."""
    ids = list(TrainingEntry.objects.published().values_list("pk", flat=True))
    return check_links.call(ids, timeout=timeout)
