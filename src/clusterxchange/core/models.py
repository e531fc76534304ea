"""Reference data shared by every app, and the audit log.

Reference tables are filled by data migrations from `core/reference/` so that every install,
test database and deployment has the same codes.
"""

import functools
import gettext as gettext_module

import pycountry
from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from clusterxchange.core import jobs


@functools.cache
def _iso639(language: str) -> gettext_module.NullTranslations:

    return gettext_module.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def language_name(english_name: str) -> str:
    """A language's name in the active language (pycountry ships the ISO 639 translations)."""
    return _iso639(get_language() or settings.LANGUAGE_CODE).gettext(english_name)


class Ecosystem(models.Model):
    """One of the 14 industrial ecosystems of the EU industrial strategy."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("industrial ecosystem")
        verbose_name_plural = _("industrial ecosystems")

    def __str__(self) -> str:
        return gettext(self.name)  # reference names are in the catalogue


class NaceCode(models.Model):
    """A NACE section (A-U) or division (01-99); the revision is stored with the code."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")

    revision = models.CharField(max_length=10, default="2")
    code = models.CharField(max_length=10)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["revision", "code"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="unique_nace_code_per_revision")
        ]
        verbose_name = _("NACE code")
        verbose_name_plural = _("NACE codes")

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the names are in the catalogue: reference/nace_names.py);
        ``name`` is the English one, as stored."""
        return gettext(self.name)

    @property
    def label(self) -> str:
        return f"NACE Rev. {self.revision} {self.code}"


class OpportunityType(models.Model):
    """The Enterprise Europe Network's five kinds of cooperation profile."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        TECHNOLOGY = "technology", _("Technology")
        RESEARCH = "research", _("R&D")

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cooperation opportunity type")
        verbose_name_plural = _("cooperation opportunity types")

    def __str__(self) -> str:
        return gettext(self.name)  # reference names are in the catalogue


class Language(models.Model):
    """An ISO 639-1 language."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return language_name(self.name)


class AuditEntry(models.Model):
    """Who did what to which record, when: written by every domain action."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=40, db_index=True)
    object_repr = models.CharField(max_length=200)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # The account the entry is about when it is not its object: a role given to someone is recorded on the
    # organisation or programme (whose history lists it) and names its holder here, not in the text, so
    # the history shows their current name and the erasure finds what names them.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # A record's history, newest first, a page at a time (an organisation's roles, a programme's set-up).
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at", "id"], name="audit_history")
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class DemoDataset(models.Model):
    """Marks a part of the demo data as loaded, so that loading again adds nothing twice."""

    name = models.CharField(max_length=60, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A task worker (`clusterxchange worker`) says it is alive every few seconds.

    `clusterxchange check` reports when no worker has been seen lately; the reaper
    (`core.workers.reap`) marks the tasks of a worker that stopped heartbeating as failed.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    queues = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)
    task_id = models.CharField(_("running task"), max_length=64, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicJob(models.Model):
    """A job that the task workers run on a schedule by themselves (no cron): see `core.periodic`.

    One row per job named in `settings.PERIODIC_JOBS`; `next_due_at` is claimed by exactly one
    worker per due run.
    """

    name = models.SlugField(max_length=60, unique=True)
    task_path = models.CharField(max_length=200)
    every_seconds = models.PositiveIntegerField()
    next_due_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)
    last_message = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """Long work done by a background task, with its progress (`core.jobs`): `total` items to do,
    `done` so far, the reason in `message` when it failed.

    `DETAIL_FIELDS` are what may name people or organisations (the reason, a model's rows and their
    errors): the periodic job `purge-job-details` empties them once the job has been finished for
    `JOB_DETAILS_RETENTION_DAYS` (`core.jobs.purge_details`) and sets `details_purged_at`; the counts,
    the status and the dates stay. `INPUT_FIELDS` are what only its task reads (a file's rows): a job
    that failed outside its task's code (`core.jobs.fail_when_lost`, `fail_never_started`) drops them.
    A job still queued `JOB_START_LIMIT_HOURS` after it was created was never started by a task: the
    same periodic job marks it failed with the reason, and its details are then emptied like the
    others'."""

    DETAIL_FIELDS: tuple[str, ...] = ("message",)
    INPUT_FIELDS: tuple[str, ...] = ()

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)
    details_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def done_now(self) -> int:
        """Items done: the live count of a running job that writes in one transaction, else the row's."""
        live = jobs.live_done(self) if self.status == self.Status.RUNNING else None
        return self.done if live is None else max(live, self.done)

    @property
    def progress(self) -> int:
        return 100 if not self.total else min(100, self.done_now * 100 // self.total)


class OutgoingEmail(models.Model):
    """One email to one recipient, kept until it is delivered or has finally failed (`core.mail`).

    A mail server outage no longer loses the email: it is retried with growing delays by the
    periodic job `deliver-emails`, and one that finally fails keeps the reason.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(auto_now_add=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    from_email = models.CharField(max_length=254)
    # Where the recipient's answer goes when it is not the sender's address (a group message goes out
    # from the platform's address; the reply reaches the person who wrote it). Empty: no Reply-To.
    reply_to = models.EmailField(blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("reason"), blank=True)
    # The programme the email was sent for (an event's, an exchange's, a message's…); none for an
    # account's own emails and joining an organisation. Who sees a failure follows it (messaging.rules).
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The privacy export and erasure look a person's emails up by address, whatever its case.
            models.Index(Lower("recipient"), name="outgoing_email_recipient_lower"),
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
