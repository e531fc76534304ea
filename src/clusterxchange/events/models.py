"""Company missions, study visits and B2B matchmaking sessions: registrations, meeting requests,
the time grid (sessions, slots, tables), scheduled meetings, feedback and learnings.

State changes happen only in `domain.py`; `scheduling.py` translates to and from the scheduler engine.
"""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.links import http_url, new_room
from clusterxchange.core.models import Job


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(zone)s” is not a known time zone (e.g. Europe/Berlin).") % {"zone": value}
        ) from exc


def new_token() -> str:
    return secrets.token_urlsafe(24)


class EventKind(models.TextChoices):
    MISSION = "mission", _("Company mission")
    STUDY_VISIT = "study_visit", _("Study visit")
    B2B = "b2b", _("B2B matchmaking session")


class Event(models.Model):
    class Validation(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("By the organiser")

    class Acceptance(models.TextChoices):
        OPT_IN = "opt_in", _("The recipient accepts or declines")
        AUTO = "auto", _("Requests are accepted automatically")

    class Agenda(models.TextChoices):
        NONE = "", _("Not published")
        PRELIMINARY = "preliminary", _("Preliminary")
        FINAL = "final", _("Final")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    host_cluster = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_events",
        verbose_name=_("host cluster"),
    )
    host_event = models.CharField(
        _("host event"),
        max_length=200,
        blank=True,
        help_text=_("The fair or conference this session is part of."),
    )
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO code, e.g. DE."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places for participants; empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    validation = models.CharField(
        _("validation of registrations"), max_length=10, choices=Validation.choices, default=Validation.MANUAL
    )
    acceptance = models.CharField(
        _("meeting requests"), max_length=10, choices=Acceptance.choices, default=Acceptance.OPT_IN
    )
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per participant (maximum)"), default=12, validators=[MinValueValidator(1)]
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("requests expire after (days)"), default=7, validators=[MinValueValidator(1)]
    )
    meeting_reminder_minutes = models.PositiveSmallIntegerField(
        _("reminder before each meeting (minutes)"),
        default=0,
        validators=[MaxValueValidator(240)],
        help_text=_("Each participant is reminded this long before each of their meetings; 0: no reminder."),
    )
    support_per_delegate_eur = models.DecimalField(
        _("financial support per delegate (EUR)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField(_("note"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    agenda = models.CharField(_("agenda"), max_length=12, choices=Agenda.choices, blank=True, default="")
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    # The event day's helpers (desk staff, table hosts): they check participants in and mark meetings
    # held or no-show with their own login, and may do nothing else an organiser does.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="staffed_events", verbose_name=_("event staff")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_b2b(self) -> bool:
        return self.kind == EventKind.B2B

    @property
    def is_study_visit(self) -> bool:
        return self.kind == EventKind.STUDY_VISIT

    @property
    def is_past(self) -> bool:
        return self.end_date < timezone.localdate()

    @property
    def registration_open(self) -> bool:
        if self.is_past or not self.published:
            return False
        return self.registration_deadline is None or timezone.now() <= self.registration_deadline


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        SITE_VISIT = "site_visit", _("Site visit")
        CONFERENCE = "conference", _("Conference session")
        RECEPTION = "reception", _("Reception")
        MEETINGS = "meetings", _("B2B meetings")
        TRAVEL = "travel", _("Travel")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme_items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="programme_item_end_not_before_start",
                violation_error_message=_("An item cannot end before it starts."),
            ),
        ]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return self.title


class ParticipantType(models.Model):
    """A kind of participant of one event (e.g. buyer, supplier). When an event has types, two typed
    participants may meet only if their types are an allowed pair (`meets`, symmetrical; a type may
    be paired with itself). A participant without a type (registered before the types existed) is not
    restricted until the organiser gives them one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_types")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"), default=0)
    meets = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("may meet"))

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="unique_participant_type_name",
                violation_error_message=_("This event already has a participant type of that name."),
            ),
        ]
        verbose_name = _("participant type")
        verbose_name_plural = _("participant types")

    def __str__(self) -> str:
        return self.name


class RegistrationQuestion(models.Model):
    """A question of the event's registration form, defined by the organiser."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    options = models.TextField(
        _("choices"), blank=True, help_text=_("One choice per line (for one or several choices).")
    )
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def has_options(self) -> bool:
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE}


class RegistrationAnswer(models.Model):
    """A participant's answer: the text, the chosen option, the chosen options one per line, or
    "yes"/"no"."""

    registration = models.ForeignKey("Registration", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RegistrationQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(_("answer"))

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="unique_registration_answer"),
        ]
        verbose_name = _("registration answer")
        verbose_name_plural = _("registration answers")

    def __str__(self) -> str:
        return self.value

    @property
    def values(self) -> list[str]:
        return [line for line in self.value.splitlines() if line]


class Registration(models.Model):
    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Travelling delegate")
        LOCAL = "local", _("Local participant")
        EXHIBITOR = "exhibitor", _("Exhibitor (own table)")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="event_registrations"
    )
    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("partner cluster"),
    )
    role = models.CharField(_("taking part as"), max_length=10, choices=Role.choices, default=Role.LOCAL)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    profile = models.TextField(
        _("what you offer and look for"), blank=True, help_text=_("Shown to the other participants.")
    )
    opportunities = models.ManyToManyField(
        "directory.Opportunity",
        blank=True,
        related_name="event_registrations",
        verbose_name=_("opportunities"),
    )
    meeting_cap = models.PositiveSmallIntegerField(
        _("at most this many meetings"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    unavailable_sessions = models.ManyToManyField(
        "Session", blank=True, related_name="absent", verbose_name=_("sessions when not available")
    )
    support_eur = models.DecimalField(
        _("financial support (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    exchange = models.ForeignKey(
        "exchanges.Exchange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("trip recorded as exchange"),
    )
    participant_type = models.ForeignKey(
        ParticipantType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        verbose_name=_("participant type"),
    )
    reason = models.TextField(_("reason"), blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    learnings = models.TextField(_("what I learned"), blank=True)
    actions = models.TextField(_("actions I will take"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Arrival on the day, recorded by the event staff at check-in (badge QR code or search by name).
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation", "user"],
                name="unique_event_registration",
                violation_error_message=_("You are already registered for this event."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        who = self.person or self.user
        return f"{self.organisation} ({who})" if who else str(self.organisation)

    @property
    def person_name(self) -> str:
        """The name printed on the badge: the registered person, else the user's full name, else ""
        (never an email address: a badge is worn in public)."""
        if self.person_id:
            return str(self.person)
        return self.user.get_full_name() if self.user_id else ""

    @property
    def cap(self) -> int:
        """The participant's own limit, never above the event's (which the organiser may lower later)."""
        return min(self.meeting_cap or self.event.meeting_cap, self.event.meeting_cap)

    @property
    def display_name(self) -> str:
        return self.organisation.name


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received_requests")
    message = models.TextField(_("message"), blank=True)
    must_meet = models.BooleanField(_("must meet"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    suggested = models.BooleanField(default=False, help_text=_("Sent from a suggestion."))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")), name="meeting_request_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="unique_open_meeting_request",
            ),
        ]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class Session(models.Model):
    """A block of meetings on one day (e.g. the morning), cut into slots of the event's length."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=80)
    date = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    gap_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    break_start = models.TimeField(_("break from"), null=True, blank=True)
    break_end = models.TimeField(_("break until"), null=True, blank=True)
    online = models.BooleanField(
        _("online"), default=False, help_text=_("The meetings of this session take place by video.")
    )

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.name} {self.date:%d.%m.%Y}"


class Slot(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    label = models.CharField(_("label"), max_length=80, blank=True)
    owner = models.OneToOneField(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_table",
        verbose_name=_("fixed to exhibitor"),
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_table_number"),
        ]
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self) -> str:
        return self.label or str(_("Table %(number)s") % {"number": self.number})


class MeetingQuerySet(models.QuerySet):
    """Whether a meeting was held: the organiser's mark where there is one, else the participants'
    feedback (held when either party says it took place). One rule for the KPI, the event's figures
    and the exports."""

    def _said_held(self):
        return models.Exists(MeetingFeedback.objects.filter(meeting=models.OuterRef("pk"), took_place=True))

    def held_condition(self) -> models.Q:
        return models.Q(attendance=Meeting.Attendance.HELD) | (
            models.Q(attendance=Meeting.Attendance.UNKNOWN) & models.Q(self._said_held())
        )

    def held(self):
        return self.filter(self.held_condition())

    def with_held_source(self):
        """Annotate `held` (bool) and `held_source`: "organiser" (marked), "participants" (no mark, some
        feedback) or "" (neither: counted as not held)."""
        return self.annotate(
            held=models.Case(
                models.When(self.held_condition(), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            held_source=models.Case(
                models.When(~models.Q(attendance=Meeting.Attendance.UNKNOWN), then=models.Value("organiser")),
                models.When(
                    models.Exists(MeetingFeedback.objects.filter(meeting=models.OuterRef("pk"))),
                    then=models.Value("participants"),
                ),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
        )


class Meeting(models.Model):
    """An accepted request, to be placed at a slot and a table."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not marked")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    must_meet = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    locked = models.BooleanField(_("locked"), default=False)
    # Hybrid events: a meeting is online when it says so or its session is online (events/hybrid.py).
    online = models.BooleanField(_("online"), default=False)
    video_link = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[http_url],
        help_text=_("Leave empty for a room on the programme's video server."),
    )
    video_room = models.CharField(max_length=40, default=new_room, editable=False)
    # Why the scheduler did not place the meeting, or a note on the place it kept or was moved to:
    # a stored reason (events.schedule_reasons.note), said in the reader's language by
    # schedule_reasons.notes; empty when there is nothing to say.
    scheduler_note = models.JSONField(default=dict, blank=True)
    # "Meet A before B": the scheduler places this meeting in a later slot than each of these.
    after = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="followed_by", verbose_name=_("comes after")
    )
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=200, blank=True)
    # The organiser's (or a table host's) mark on the day; it overrides the participants' feedback.
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_at = models.DateTimeField(null=True, blank=True)
    # What the participants last saw in a published agenda (to tell who must hear of a change).
    published_slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "table__number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.first.organisation} – {self.second.organisation}"

    def other_party(self, registration: Registration) -> Registration:
        return self.second if registration.pk == self.first_id else self.first

    @property
    def parties(self) -> tuple[Registration, Registration]:
        return (self.first, self.second)

    @property
    def is_published(self) -> bool:
        return self.published_slot_id is not None


class SchedulingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Outcome(models.TextChoices):
        """What the solver could say about the agenda it wrote (or why it wrote none)."""

        OPTIMAL = "optimal", _("Proven optimal")
        FEASIBLE = "feasible", _("Best found")
        INFEASIBLE = "infeasible", _("Not every meeting can be placed")
        UNKNOWN = "unknown", _("No agenda found in time")
        BAD_INPUT = "bad_input", _("Contradictory settings")

    class Mode(models.TextChoices):
        EXACT = "exact", _("Every meeting, fewest breaks")
        OVERSUBSCRIBED = "oversubscribed", _("Most important meetings first")
        RESCHEDULE = "reschedule", _("Fewest moves of published meetings")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scheduling_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    meetings = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    mode = models.CharField(max_length=16, choices=Mode.choices, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    breaks = models.PositiveIntegerField(null=True, blank=True)
    lower_bound = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.JSONField(
        default=list, blank=True
    )  # the engine's reasons: kind and ids (`schedule_reasons`)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"

    @property
    def lost(self) -> bool:
        """Still queued or running `LOST_AFTER` after it was queued: its task was lost (the queue lost
        it, or its worker stopped), since a run takes minutes at most (the engine's time budget is two).
        Shown failed, with the reason, to each reader in their language; it stops blocking a new run,
        and a task that turns up late leaves it alone (`scheduling.run`)."""
        return (
            self.status in {self.Status.QUEUED, self.Status.RUNNING}
            and self.created_at is not None
            and self.created_at < timezone.now() - LOST_AFTER
        )

    @property
    def shown_status(self) -> str:
        return self.Status.FAILED if self.lost else self.status

    def get_shown_status_display(self) -> str:
        return self.Status(self.shown_status).label

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED} or self.lost


# A scheduling run not finished this long after it was queued has lost its task (`SchedulingRun.lost`).
LOST_AFTER = timedelta(minutes=30)


def lost_run_reason() -> str:
    """What a lost run's page and API answer say, in the active language."""
    return gettext(
        "This run did not finish within %(minutes)s minutes of being queued: its task was lost (no task "
        "worker took it up, or its worker stopped). Nothing was changed: run the scheduler again."
    ) % {"minutes": int(LOST_AFTER.total_seconds() // 60)}


class MeetingFeedback(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="feedback")
    took_place = models.BooleanField(_("the meeting took place"))
    usefulness = models.PositiveSmallIntegerField(
        _("how useful (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    follow_up = models.BooleanField(_("a follow-up was agreed"), default=False)
    testimonial = models.TextField(_("testimonial"), blank=True)
    publish_consent = models.BooleanField(_("the testimonial may be published"), default=False)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="unique_meeting_feedback"),
            models.CheckConstraint(
                condition=models.Q(usefulness__isnull=True) | models.Q(usefulness__gte=1, usefulness__lte=5),
                name="feedback_usefulness_1_to_5",
            ),
        ]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")

    def __str__(self) -> str:
        return f"{self.meeting} – {self.registration}"


class EventImport(Job):
    """An uploaded file of participants or meeting requests, imported by a background task
    (events/imports.py): all its rows or none. `done` counts the rows gone through; `rows` holds the
    file's rows mapped to our fields until the task has read them; `errors` the rows that stopped it."""

    DETAIL_FIELDS = ("message", "rows", "errors")
    INPUT_FIELDS = ("rows",)

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants")
        REQUESTS = "requests", _("Meeting requests")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "field", "message"}]
    created = models.PositiveIntegerField(default=0)

    class Meta(Job.Meta):
        verbose_name = _("event import")
        verbose_name_plural = _("event imports")

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.done}/{self.total})"
