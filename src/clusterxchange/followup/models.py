"""Reminders sent by the periodic jobs (each at most once per recipient and occasion) and the
follow-up surveys sent months after a B2B meeting or an exchange."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    FEW_REQUESTS = "few_requests", _("Few meeting requests during the booking window")
    AGENDA = "agenda", _("Agenda the day before")
    AGREEMENT_UNSIGNED = "agreement_unsigned", _("Agreement not signed")
    REPORT_DUE = "report_due", _("Report due")
    EVIDENCE_MISSING = "evidence_missing", _("Evidence missing")
    MEETING_SOON = "meeting_soon", _("Reminder before a meeting")
    FOLLOW_UP = "follow_up", _("Follow-up survey")


class ReminderSent(models.Model):
    """One reminder to one address on one occasion (e.g. an event's booking-window period): the
    unique constraint is what makes the jobs idempotent."""

    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    occasion = models.CharField(max_length=100)
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "occasion", "recipient"], name="reminder_once"),
        ]
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion} → {self.recipient}"


class Outcome(models.TextChoices):
    COMMERCIAL = "commercial", _("A commercial agreement")
    TECHNOLOGY = "technology", _("A technology agreement")
    RESEARCH = "research", _("A research cooperation")
    OTHER = "other", _("Another agreement")
    NONE = "none", _("No agreement")


AGREEMENTS = [Outcome.COMMERCIAL, Outcome.TECHNOLOGY, Outcome.RESEARCH, Outcome.OTHER]


class Survey(models.Model):
    """A follow-up question to one person about one meeting or one exchange, answered through a
    signed link (no login) and editable until `expires_at`. The person is a user, or a guest (`person`:
    registered for the event without an account, written to at their person record's address)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "events.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="surveys"
    )
    exchange = models.ForeignKey(
        "exchanges.Exchange", null=True, blank=True, on_delete=models.CASCADE, related_name="surveys"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    outcome = models.CharField(
        _("did it lead to an agreement?"), max_length=12, choices=Outcome.choices, blank=True
    )
    value_eur = models.DecimalField(
        _("expected value (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recommend = models.BooleanField(_("would you recommend it?"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_survey_per_meeting_and_person"),
            models.UniqueConstraint(fields=["exchange", "user"], name="one_survey_per_exchange_and_person"),
            models.UniqueConstraint(fields=["meeting", "person"], name="one_survey_per_meeting_and_guest"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) ^ models.Q(person__isnull=True),
                name="survey_to_a_user_or_a_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=True) ^ models.Q(exchange__isnull=True),
                name="survey_about_a_meeting_or_an_exchange",
            ),
        ]
        ordering = ["-sent_at"]
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")

    def __str__(self) -> str:
        return f"survey {self.pk}"

    @property
    def agreement(self) -> bool:
        return self.outcome in AGREEMENTS
