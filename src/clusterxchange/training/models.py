"""The training catalogue for cluster managers, its dated sessions and the staff's training records.

Models are thin: every change goes through `training.domain`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.links import http_url
from clusterxchange.core.models import Language
from clusterxchange.tandems.models import Topic


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Format(models.TextChoices):
    SELF_PACED = "self_paced", _("Self-paced")
    WEBINAR = "webinar", _("Webinar")
    LIVE_ONLINE = "live_online", _("Live online course")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Working")
    DEAD = "dead", _("Dead link")


class TrainingEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EntryStatus.PUBLISHED)


class TrainingEntry(models.Model):
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    link = models.URLField(_("link"), max_length=500, validators=[http_url])
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(Topic, related_name="training_entries", verbose_name=_("topics"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BEGINNER)
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_eur = models.DecimalField(
        _("cost (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0, message=_("The cost cannot be negative."))],
        help_text=_("0 for a free course."),
    )
    certificate = models.BooleanField(_("certificate"), default=False)
    recurrence = models.CharField(
        _("dates or recurrence"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “any time”, “every first Tuesday”; dated sessions are listed separately."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Invented for the demo."))
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING, db_index=True
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_status = models.CharField(
        _("link status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked_at = models.DateTimeField(_("link checked at"), null=True, blank=True)
    link_error = models.CharField(_("link problem"), max_length=300, blank=True)
    search_document = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingEntryQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("training entry")
        verbose_name_plural = _("training entries")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_document = " ".join(
            part for part in (self.title, self.provider, self.description, self.recurrence) if part
        ).lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("training:entry", args=[self.pk])

    @property
    def is_free(self) -> bool:
        return not self.cost_eur


class TrainingSession(models.Model):
    """A dated session of a catalogue entry (a webinar, a course run): the calendar feed lists these."""

    entry = models.ForeignKey(TrainingEntry, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.entry} – {self.starts_at:%d.%m.%Y %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})


class RecordStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")


def certificate_path(record, filename: str) -> str:
    return f"training/certificates/{record.partner_id}/{filename}"


class TrainingRecord(models.Model):
    """A cluster staff member's enrolment in a course and its completion (counts for "staff trained")."""

    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        on_delete=models.CASCADE,
        related_name="training_records",
        verbose_name=_("partner cluster"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name=_("staff member"),
    )
    entry = models.ForeignKey(
        TrainingEntry, on_delete=models.PROTECT, related_name="records", verbose_name=_("course")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ENROLLED, db_index=True
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "entry"], name="unique_training_record"),
        ]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.person} – {self.entry}"

    def clean(self):
        errors = {}
        if self.status == RecordStatus.COMPLETED and self.completed_on is None:
            errors["completed_on"] = _("Give the date the course was completed.")
        if self.completed_on and self.enrolled_on and self.completed_on < self.enrolled_on:
            errors["completed_on"] = _("The completion date cannot be before the enrolment.")
        if self.person_id and self.partner_id and self.person.organisation_id != self.partner.cluster_id:
            errors["person"] = _("Only staff of the partner cluster organisation can be recorded.")
        if errors:
            raise ValidationError(errors)
