"""Personal data under the GDPR: consent history, erasure requests and the log of who looked at
another person's data.

Why a dedicated access log instead of `core.AuditEntry`: a person detail page is viewed far more
often than anything changes, so the log rows are small (no repr, no JSON), indexed by person, and
repeated views by the same viewer of the same thing within a few minutes are written once
(see `access.py`). Changes to personal data stay in the audit log, where the domain actions put them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    DIRECTORY_LISTING = "directory_listing", _("Listed in the public directory")
    TESTIMONIAL = "testimonial", _("Publish my testimonial")


class ConsentRecord(models.Model):
    """One decision of a person about one purpose; the newest record per purpose is in force."""

    class Source(models.TextChoices):
        SELF = "self", _("Given by the person")
        ON_BEHALF = "on_behalf", _("Recorded on the person's behalf")
        FORM = "form", _("Form in which the person gave it")
        ERASURE = "erasure", _("Erasure of the person's data")
        MIGRATION = "migration", _("Recorded before consent records existed")

    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices, db_index=True)
    given = models.BooleanField(_("given"))
    text = models.TextField(_("consent text shown"))
    version = models.CharField(_("version of the text"), max_length=40)
    subject = models.CharField(
        _("about"), max_length=120, blank=True, help_text=_("The record it applies to, e.g. a testimonial.")
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.SELF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        state = _("given") if self.given else _("withdrawn")
        return f"{self.get_purpose_display()}: {state} ({self.recorded_at:%Y-%m-%d})"


class ErasureRequest(models.Model):
    """A person asks that their personal data be erased; a coordinator carries it out or refuses."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("erasure request", "Open")
        DONE = "done", _("Erased")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", pgettext_lazy("erasure request", "Cancelled")

    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="open"), name="one_open_erasure_request"
            )
        ]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.person_id} ({self.get_status_display()})"


class PersonalDataAccess(models.Model):
    """Someone other than the person viewed, downloaded or exported the person's data."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed the person's page")
        EVIDENCE = "evidence", _("Downloaded exchange evidence")
        CERTIFICATE = "certificate", _("Downloaded a training certificate")
        EXPORT = "export", _("Exported the person's data")
        PRIVACY_PAGE = "privacy_page", _("Viewed the person's privacy page")

    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="data_accesses")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.kind} {self.person_id}"
