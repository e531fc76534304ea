"""ClusterXchange exchanges: a visiting organisation's stay at a host organisation, with a grant.

State changes happen only in `domain.py` (see `lifecycle.py` for the allowed transitions).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PAYMENT_DUE_DAYS = 10


class ExchangeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated by partnership")
    MATCHED = "matched", _("Matched")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_VALIDATED = "report_validated", _("Report validated")
    PAID = "paid", _("Paid")
    CERTIFIED = "certified", _("Certified")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", pgettext_lazy("exchange state", "Cancelled")


CLOSED_STATES = {ExchangeState.DECLINED, ExchangeState.WITHDRAWN, ExchangeState.CANCELLED}
# States in which an approved grant still counts against the budget.
COMMITTED_STATES = {
    ExchangeState.MATCHED,
    ExchangeState.AGREEMENT_SIGNED,
    ExchangeState.IN_PROGRESS,
    ExchangeState.REPORT_SUBMITTED,
    ExchangeState.REPORT_VALIDATED,
    ExchangeState.PAID,
    ExchangeState.CERTIFIED,
}
# States that count as a visit for the visit-once rule and as an exchange in the KPIs.
VISIT_STATES = {ExchangeState.VALIDATED, *COMMITTED_STATES}
COMPLETED_STATES = {ExchangeState.REPORT_VALIDATED, ExchangeState.PAID, ExchangeState.CERTIFIED}


def new_reference() -> str:
    return "CX-" + secrets.token_hex(4).upper()


def new_verification_code() -> str:
    return secrets.token_hex(8).upper()


class HostProfile(models.Model):
    """An organisation's offer to host visitors in a programme, validated by its partnership."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="host_profiles"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="host_profiles"
    )
    offer = models.TextField(_("what visitors can learn and do here"))
    topics = models.CharField(_("topics"), max_length=300, blank=True, help_text=_("Separated by commas."))
    languages = models.ManyToManyField("core.Language", blank=True, verbose_name=_("working languages"))
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="unique_host_profile"),
        ]
        verbose_name = _("host profile")
        verbose_name_plural = _("host profiles")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.programme})"


class ExchangeQuerySet(models.QuerySet):
    def committed(self):
        """The exchanges whose approved grant counts against their partner's and programme's budget."""
        return self.filter(grant_approved_at__isnull=False, state__in=COMMITTED_STATES)


class Exchange(models.Model):
    reference = models.CharField(max_length=20, unique=True, default=new_reference, editable=False)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="exchanges")
    state = models.CharField(
        _("state"), max_length=20, choices=ExchangeState.choices, default=ExchangeState.DRAFT, db_index=True
    )
    visitor_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="visits", verbose_name=_("visitor")
    )
    visitor_person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("travelling person"),
    )
    visitor_partner = models.ForeignKey(
        "programmes.PartnerCluster",
        on_delete=models.PROTECT,
        related_name="visitor_exchanges",
        verbose_name=_("visitor's partnership"),
    )
    host_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hostings",
        verbose_name=_("host"),
    )
    host_partner = models.ForeignKey(
        "programmes.PartnerCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="host_exchanges",
        verbose_name=_("host's partnership"),
    )
    motivation = models.TextField(_("motivation"))
    goals = models.TextField(_("goals"), blank=True)
    preferences = models.TextField(
        _("host preferences"), blank=True, help_text=_("Country, topics, kind of host.")
    )
    start_date = models.DateField(_("first day on site"))
    end_date = models.DateField(_("last day on site"))

    # The grant, frozen when the partnership approves it (rules may change later).
    grant_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    grant_distance_km = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    grant_amount_eur = models.DecimalField(
        _("grant (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    grant_rules_applied = models.JSONField(default=list, blank=True)
    grant_rules_snapshot = models.JSONField(default=dict, blank=True)
    grant_approved_at = models.DateTimeField(null=True, blank=True)
    grant_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Commitment to Quality agreement.
    agreement_goals = models.TextField(_("goals"), blank=True)
    agreement_objectives = models.TextField(_("objectives"), blank=True)
    agreement_agenda = models.TextField(_("agenda"), blank=True)

    # Closing.
    report_activities = models.TextField(_("what was done"), blank=True)
    report_results = models.TextField(_("results"), blank=True)
    report_follow_up = models.TextField(_("follow-up"), blank=True)
    testimonial = models.TextField(_("testimonial"), blank=True)
    testimonial_consent = models.BooleanField(_("the testimonial may be published"), default=False)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    host_confirmed_at = models.DateTimeField(null=True, blank=True)
    host_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_validated_at = models.DateTimeField(null=True, blank=True)
    paid_amount_eur = models.DecimalField(
        _("amount paid (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    certificate_code = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    certified_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["visitor_partner", "state"]),
            # The exchanges list shows the newest first: without it every page sorted all rows.
            models.Index(fields=["-created_at", "-id"], name="exchange_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="exchange_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~models.Q(host_organisation=models.F("visitor_organisation")),
                name="exchange_host_not_visitor",
            ),
        ]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return f"{self.reference}: {self.visitor_organisation} → {self.host_organisation or '?'}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:detail", args=[self.reference])

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def grant_approved(self) -> bool:
        return self.grant_approved_at is not None

    @property
    def payment_due_by(self):
        """Payment is due within 10 days of the validated report."""
        if self.report_validated_at is None:
            return None
        return timezone.localdate(self.report_validated_at) + timedelta(days=PAYMENT_DUE_DAYS)

    @property
    def payment_late(self) -> bool:
        return (
            self.paid_on is not None
            and self.payment_due_by is not None
            and self.paid_on > self.payment_due_by
        )


class HostRequest(models.Model):
    """A visitor asks a host organisation to receive them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="host_requests")
    host_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message to the host"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    response = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange"], condition=models.Q(status="pending"), name="one_pending_host_request"
            ),
        ]
        verbose_name = _("host request")
        verbose_name_plural = _("host requests")

    def __str__(self) -> str:
        return f"{self.exchange.reference} → {self.host_organisation}"


class AgreementSignature(models.Model):
    """A recorded acceptance of the Commitment to Quality agreement by one of its four parties."""

    class Party(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        HOST = "host", _("Host")
        VISITOR_PARTNERSHIP = "visitor_partnership", _("Visitor's partnership")
        HOST_PARTNERSHIP = "host_partnership", _("Host's partnership")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=20, choices=Party.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signatory_name = models.CharField(_("full name of the signatory"), max_length=200)
    signed_at = models.DateTimeField(auto_now_add=True)
    document_sha256 = models.CharField(
        _("SHA-256 of the signed agreement"),
        max_length=64,
        blank=True,
        help_text=_("The hash of the agreement's canonical content when it was signed."),
    )

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["exchange", "party"], name="one_signature_per_party")]
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")

    def __str__(self) -> str:
        return f"{self.exchange.reference}: {self.get_party_display()} ({self.signatory_name})"


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.exchange.reference}/{secrets.token_hex(12)}.{instance.extension}"


class Evidence(models.Model):
    """A boarding pass, invoice or other proof attached to the closing report (never public)."""

    class Kind(models.TextChoices):
        TRAVEL = "travel", _("Travel (boarding pass, ticket)")
        ACCOMMODATION = "accommodation", _("Accommodation (invoice)")
        OTHER = "other", _("Other")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name
