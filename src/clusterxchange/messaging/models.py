"""Messages to groups of people the platform knows, their recipients, and who asked not to get them.

A `GroupMessage` is written once by its sender in one language; each `MessageRecipient` row is one
person (a user, or a guest: a registered person without an account, `user` empty), unique per message
and user and per message and address, and points at the `core.OutgoingEmail` queued for them in the same
transaction (core/mail.py delivers and retries it): a recipient row exists exactly when their email
was queued, so a worker killed mid-send and started again never writes to anyone twice.
`Unsubscription` (a user's, per kind) and `AddressSuppression` (an address that bounced, complained or,
without an account, unsubscribed) stop non-essential mail (group messages, reminders).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    """The kinds of non-essential mail a person may unsubscribe from."""

    GROUP_MESSAGES = "group_messages", _("Messages from organisers to groups")
    REMINDERS = "reminders", _("Reminders")


class GroupMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Queued for every recipient")
        FAILED = "failed", _("Stopped")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="group_messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="group_messages"
    )
    audience = models.CharField(_("recipients"), max_length=80, help_text=_("The group and its target."))
    audience_label = models.CharField(_("group"), max_length=300)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="group_messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    expected = models.PositiveIntegerField(_("recipients in the preview"), default=0)
    queued = models.PositiveIntegerField(_("emails queued"), default=0)
    skipped = models.PositiveIntegerField(_("unsubscribed or blocked"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group message")
        verbose_name_plural = _("group messages")

    def __str__(self) -> str:
        return self.subject

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SENT, self.Status.FAILED}

    @property
    def progress(self) -> int:
        if self.status == self.Status.SENT:
            return 100
        return min(100, round(100 * self.queued / self.expected)) if self.expected else 0


class MessageRecipient(models.Model):
    message = models.ForeignKey(GroupMessage, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    address = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=10)
    email = models.OneToOneField(
        "core.OutgoingEmail", null=True, on_delete=models.SET_NULL, related_name="group_recipient"
    )

    class Meta:
        ordering = ["address"]
        # The privacy export and erasure find a person's messages by address, whatever the case.
        indexes = [models.Index(Lower("address"), name="recipient_address_lower")]
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="unique_message_recipient"),
            models.UniqueConstraint(fields=["message", "address"], name="unique_message_address"),
        ]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.address


class Unsubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_unsubscription")]
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"


class AddressSuppression(models.Model):
    """An address that bounced, complained or (a guest without an account, through the link in a group
    message) unsubscribed: no more non-essential mail goes to it."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Bounced")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed (no account)")

    address = models.EmailField(_("address"), unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("blocked address")
        verbose_name_plural = _("blocked addresses")

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)


class NotificationText(models.Model):
    """A programme's own wording of a notification (core.texts.editable) in one language; without
    one, the shipped text is sent. Deleting it returns to the shipped text."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="notification_texts"
    )
    key = models.CharField(max_length=80)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "key", "language"], name="unique_notification_text"),
        ]
        verbose_name = _("notification text")
        verbose_name_plural = _("notification texts")

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"
