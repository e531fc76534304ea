"""Learning tandems between partner clusters, their capability self-assessments and strategy reviews.

Models are thin: every change goes through `tandems.domain`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.links import http_url, new_room, room_link


class Topic(models.Model):
    """A learning topic (reference data, see `tandems.reference`)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_excite_topic = models.BooleanField(_("EXCITE tandem topic"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return gettext(self.name)  # topic names are in the catalogue (tandems/reference.py)


class CapabilityLevel(models.IntegerChoices):
    """The self-assessment scale (documented in docs/tandems.md and on the assessment page)."""

    INITIAL = 1, _("1 – Initial: no service or experience yet")
    EMERGING = 2, _("2 – Emerging: first activities, ad hoc")
    ESTABLISHED = 3, _("3 – Established: a regular service for members")
    ADVANCED = 4, _("4 – Advanced: a mature service, measured and improved")
    LEADING = 5, _("5 – Leading: recognised practice that others learn from")


class CapabilityAssessment(models.Model):
    """A partner cluster's self-assessment on one topic in one reporting period (history = one row
    per period)."""

    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        on_delete=models.CASCADE,
        related_name="capability_assessments",
        verbose_name=_("partner cluster"),
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name=_("topic"))
    period = models.ForeignKey(
        "programmes.ReportingPeriod", on_delete=models.CASCADE, verbose_name=_("reporting period")
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=CapabilityLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    wants_to_learn = models.BooleanField(_("wants to learn"), default=False)
    can_teach = models.BooleanField(_("can teach"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "period__start_date", "topic__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "topic", "period"], name="unique_capability_per_period"
            ),
        ]
        verbose_name = _("capability self-assessment")
        verbose_name_plural = _("capability self-assessments")

    def __str__(self) -> str:
        return f"{self.partner.cluster} – {self.topic}: {self.level}/5 ({self.period.name})"


class TandemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Tandem(models.Model):
    """Two or more partner clusters learning from each other on one topic."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="tandems", verbose_name=_("programme")
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name=_("topic"))
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(_("goals"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=12, choices=TandemStatus.choices, default=TandemStatus.PLANNED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("learning tandem")
        verbose_name_plural = _("learning tandems")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tandems:detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class TandemRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    LEARNER = "learner", _("Learner")
    MUTUAL = "mutual", _("Mutual (both learn and teach)")


class TandemParticipant(models.Model):
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        on_delete=models.PROTECT,
        related_name="tandem_participations",
        verbose_name=_("partner cluster"),
    )
    role = models.CharField(_("role"), max_length=10, choices=TandemRole.choices)

    class Meta:
        ordering = ["tandem", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tandem", "partner"], name="unique_tandem_participant"),
        ]
        verbose_name = _("tandem participant")
        verbose_name_plural = _("tandem participants")

    def __str__(self) -> str:
        return f"{self.partner.cluster} ({self.get_role_display()})"


class SessionMode(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    ON_SITE = "on_site", _("On site")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class TandemSession(models.Model):
    """A planned session of a tandem; once held, the log records who attended and notes."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("format"), max_length=10, choices=SessionMode.choices)
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("City and host for on-site sessions.")
    )
    date = models.DateField(_("date"))
    video_link = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[http_url],
        help_text=_("For a virtual session; empty for a room on the programme's video server."),
    )
    video_room = models.CharField(max_length=40, default=new_room, editable=False)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One name per line."))
    notes = models.TextField(_("notes"), blank=True)
    logged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["tandem", "date", "pk"]
        verbose_name = _("tandem session")
        verbose_name_plural = _("tandem sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def clean(self):
        tandem = self.tandem if self.tandem_id else None
        if tandem is not None and self.date and not (tandem.start_date <= self.date <= tandem.end_date):
            raise ValidationError(
                {
                    "date": _("The session must take place within the tandem's dates (%(start)s – %(end)s).")
                    % {"start": f"{tandem.start_date:%d.%m.%Y}", "end": f"{tandem.end_date:%d.%m.%Y}"}
                }
            )
        if self.mode == SessionMode.ON_SITE and not self.location.strip():
            raise ValidationError({"location": _("Give the location of an on-site session.")})

    @property
    def video_url(self) -> str:
        """The link of a virtual session: the one given, else its room on the programme's video server
        ("" for an on-site session). Shown where the tandem is: to its clusters and coordinators."""
        if self.mode != SessionMode.VIRTUAL:
            return ""
        return self.video_link or room_link(self.tandem.programme.video_link_template, self.video_room)

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class OutcomeKind(models.TextChoices):
    NEW = "new", _("New service")
    IMPROVED = "improved", _("Improved service")


class TandemOutcome(models.Model):
    """A new or improved service that a partner cluster launched thanks to the tandem."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="outcomes")
    partner = models.ForeignKey(
        "programmes.PartnerCluster", on_delete=models.PROTECT, related_name="+", verbose_name=_("cluster")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OutcomeKind.choices)
    service = models.CharField(_("service"), max_length=200)
    description = models.TextField(_("description"))
    launched_on = models.DateField(_("launched on"), null=True, blank=True)

    class Meta:
        ordering = ["tandem", "launched_on", "pk"]
        verbose_name = _("tandem outcome")
        verbose_name_plural = _("tandem outcomes")

    def __str__(self) -> str:
        return f"{self.service} ({self.get_kind_display()})"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")


class StrategyReview(models.Model):
    """A peer review of a partner cluster's strategy; completed reviews count for the KPI."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="strategy_reviews"
    )
    reviewed = models.ForeignKey(
        "programmes.PartnerCluster",
        on_delete=models.PROTECT,
        related_name="strategy_reviews",
        verbose_name=_("reviewed cluster"),
    )
    reviewer_clusters = models.ManyToManyField(
        "programmes.PartnerCluster",
        related_name="strategy_reviews_given",
        verbose_name=_("reviewing clusters"),
    )
    reviewers = models.TextField(_("reviewers"), help_text=_("One reviewer per line: name, organisation."))
    strategy_title = models.CharField(_("strategy reviewed"), max_length=200)
    review_date = models.DateField(_("review date"))
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-review_date"]
        verbose_name = _("cluster strategy review")
        verbose_name_plural = _("cluster strategy reviews")

    def __str__(self) -> str:
        return f"{self.strategy_title} ({self.reviewed.cluster})"

    def get_absolute_url(self) -> str:
        return reverse("tandems:review", args=[self.pk])

    @property
    def reviewer_list(self) -> list[str]:
        return [line.strip() for line in self.reviewers.splitlines() if line.strip()]
