"""Retention of exchange evidence (boarding passes, invoices), deleted a set time after the
exchange is settled, and of the details of background jobs.

- A paid or certified exchange: `EVIDENCE_RETENTION_DAYS` after the payment date (default 1,826
  days, five years: the European Commission may audit a grant that long after the final payment).
- A declined, withdrawn or cancelled exchange: `EVIDENCE_RETENTION_DAYS_UNPAID` after it was closed
  (default 90 days; nothing was paid, the files only document a dispute window).
- Evidence of a running exchange is never deleted.
Set either to 0 to delete as soon as the exchange is settled; unset keeps the defaults. The
environment variables CLUSTERXCHANGE_EVIDENCE_RETENTION_DAYS and
CLUSTERXCHANGE_EVIDENCE_RETENTION_DAYS_UNPAID set them (settings.py).

The details of a background job (`core.models.Job`: an event's import, a file of invitations) — the
failure reason, the rows and the rows' problems, which name organisations and people — are emptied
`JOB_DETAILS_RETENTION_DAYS` after it finished (default 30: time enough to correct and send the
file again); the job's status, counts and dates stay. A job still queued `JOB_START_LIMIT_HOURS` after
it was created (default 24) was never started by a task (its task was lost before a worker took it
up): it is marked failed, with a reason its starter reads in their language, and its details are
then emptied like those of any finished job.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusterxchange.accounts.language import preferred_language
from clusterxchange.core import audit, jobs
from clusterxchange.core.models import Job
from clusterxchange.exchanges.models import CLOSED_STATES, Evidence, ExchangeState

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 1826
DEFAULT_DAYS_UNPAID = 90
DEFAULT_JOB_DETAILS_DAYS = 30
DEFAULT_JOB_START_LIMIT_HOURS = 24


def retention_days() -> tuple[int, int]:
    return (
        int(getattr(settings, "EVIDENCE_RETENTION_DAYS", DEFAULT_DAYS)),
        int(getattr(settings, "EVIDENCE_RETENTION_DAYS_UNPAID", DEFAULT_DAYS_UNPAID)),
    )


def due_evidence(now: datetime | None = None):
    """Evidence whose retention period is over (ordered by exchange)."""
    now = now or timezone.now()
    paid_days, unpaid_days = retention_days()
    paid_before = timezone.localdate(now) - timedelta(days=paid_days)
    closed_before = now - timedelta(days=unpaid_days)
    paid = Q(
        exchange__state__in=[ExchangeState.PAID, ExchangeState.CERTIFIED], exchange__paid_on__lte=paid_before
    )
    closed = Q(exchange__state__in=CLOSED_STATES, exchange__updated_at__lte=closed_before)
    return Evidence.objects.filter(paid | closed).select_related("exchange").order_by("exchange_id", "pk")


@dataclass
class PurgeResult:
    due: int
    deleted: int
    bytes: int
    items: list[tuple[str, str, str, int]]  # exchange reference, kind, stored name, size


def purge_evidence(actor=None, *, apply: bool = False, now: datetime | None = None) -> PurgeResult:
    """List (dry run) or delete the evidence that is due; each deletion gets an audit entry."""
    items = list(due_evidence(now))
    listed = [(e.exchange.reference, e.kind, e.file.name, e.size) for e in items]
    if not apply:
        return PurgeResult(len(items), 0, 0, listed)
    deleted = size = 0
    for evidence in items:
        with transaction.atomic():
            locked = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
            if locked is None:
                continue
            name = locked.file.name
            locked.delete()
            audit.record(
                actor,
                "privacy.evidence.purge",
                evidence.exchange,
                comment=f"{evidence.kind}, {evidence.size} bytes, uploaded {evidence.uploaded_at:%Y-%m-%d}",
            )
            transaction.on_commit(lambda name=name: default_storage.delete(name) if name else None)
        deleted += 1
        size += evidence.size
    return PurgeResult(len(items), deleted, size, listed)


def job_models() -> list[type[Job]]:
    """Every model of background jobs, whichever app it belongs to."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def _never_started_reason(hours: int):
    def reason(job: Job) -> str:
        with translation.override(preferred_language(job.created_by)):
            return _(
                "Never started: no task worker took this job up within %(hours)s hours of %(queued)s, so "
                "nothing of it was done. Start it again; if it happens again, tell the platform's "
                "administrators."
            ) % {"hours": hours, "queued": job.created_at.isoformat(timespec="minutes")}

    return reason


def fail_never_started_jobs(now: datetime | None = None) -> int:
    """Mark failed the jobs still queued `JOB_START_LIMIT_HOURS` after they were created (no task
    started them); returns how many."""
    hours = int(getattr(settings, "JOB_START_LIMIT_HOURS", DEFAULT_JOB_START_LIMIT_HOURS))
    before = (now or timezone.now()) - timedelta(hours=hours)
    failed = sum(
        jobs.fail_never_started(model, before, _never_started_reason(hours)) for model in job_models()
    )
    if failed:
        logger.warning("%s background jobs were never started by a task worker and are marked failed", failed)
    return failed


def purge_job_details(now: datetime | None = None) -> int:
    """Mark failed the jobs never started (`fail_never_started_jobs`), then empty the details of the
    jobs finished `JOB_DETAILS_RETENTION_DAYS` ago or earlier; returns how many jobs lost them."""
    fail_never_started_jobs(now)
    days = int(getattr(settings, "JOB_DETAILS_RETENTION_DAYS", DEFAULT_JOB_DETAILS_DAYS))
    before = (now or timezone.now()) - timedelta(days=days)
    return sum(jobs.purge_details(model, before) for model in job_models())
