from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.links import HttpLinkField
from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType
from clusterxchange.events.domain.matchmaking import FEEDBACK_FIELDS
from clusterxchange.events.domain.organising import EVENT_FIELDS, ITEM_FIELDS
from clusterxchange.events.domain.timetable import SESSION_FIELDS
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    ParticipantType,
    ProgrammeItem,
    Registration,
    RegistrationQuestion,
    Session,
    Table,
)
from clusterxchange.events.questions import NO, QUESTION_FIELDS, YES, field_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DomainForm(forms.ModelForm):
    domain_field_names: list[str] = []

    def domain_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.domain_field_names if name in self.cleaned_data
        }


class EventForm(VersionedFormMixin, DomainForm):
    domain_field_names = EVENT_FIELDS
    # Used only by B2B matchmaking sessions: the page groups them and hides them for other kinds.
    MATCHMAKING_FIELDS = (
        "host_event",
        "acceptance",
        "meeting_cap",
        "request_expiry_days",
        "meeting_reminder_minutes",
    )

    def common_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.MATCHMAKING_FIELDS]

    def matchmaking_fields(self):
        return [field for field in self.visible_fields() if field.name in self.MATCHMAKING_FIELDS]

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "registration_deadline": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, host_clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        clusters = Organisation.objects.filter(org_type=OrganisationType.CLUSTER)
        self.fields["host_cluster"].queryset = host_clusters if host_clusters is not None else clusters
        self.fields["meeting_reminder_minutes"].required = False  # left empty: no reminder

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_reminder_minutes") is None:
            cleaned["meeting_reminder_minutes"] = Event._meta.get_field("meeting_reminder_minutes").default
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return cleaned


class ProgrammeItemForm(DomainForm):
    domain_field_names = ITEM_FIELDS

    class Meta:
        model = ProgrammeItem
        fields = ITEM_FIELDS
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class AnswersMixin:
    """The event's registration questions as fields `question_<id>` (after the form's own fields),
    plus the participant type when the event has types; `answers()` gives what the domain takes."""

    def add_questions(self, event: Event, registration: Registration | None = None) -> None:
        self.questions = list(event.questions.all())
        given = {a.question_id: a for a in registration.answers.all()} if registration else {}
        for question in self.questions:
            answer = given.get(question.pk)
            choices = [(option, option) for option in question.option_list]
            common = {"label": question.text, "required": question.required}
            if question.kind == RegistrationQuestion.Kind.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, **common)
                initial = answer.value if answer else ""
            elif question.kind == RegistrationQuestion.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
                initial = answer.values if answer else []
            else:
                if question.kind == RegistrationQuestion.Kind.YES_NO:
                    choices = [(YES, _("Yes")), (NO, _("No"))]
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
                initial = answer.value if answer else None
            self.fields[field_name(question)] = field
            self.initial.setdefault(field_name(question), initial)
        types = event.participant_types.all()
        if types.exists():
            self.fields["participant_type"] = forms.ModelChoiceField(
                queryset=types,
                label=_("You take part as"),
                help_text=_("The event decides which types of participant meet one another."),
            )
            if registration is not None:
                self.initial.setdefault("participant_type", registration.participant_type_id)

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}


class RegistrationForm(AnswersMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    role = forms.ChoiceField(choices=Registration.Role.choices, label=_("Taking part as"))
    profile = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("What you offer and look for"),
        help_text=_("Shown to the other participants of the event."),
    )
    opportunities = forms.ModelMultipleChoiceField(
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Cooperation opportunities to show"),
    )

    def __init__(self, *args, organisations, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(event)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["opportunities"].queryset = Opportunity.objects.visible_to_public().filter(
            organisation__in=organisations
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("validate", _("Validate")), ("reject", _("Reject"))])
    reason = forms.CharField(required=False, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(forms.Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Message"), max_length=2000
    )
    must_meet = forms.BooleanField(required=False, label=_("Must meet (priority)"))
    suggested = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AvailabilityForm(forms.Form):
    unavailable_sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sessions when you are NOT available"),
    )
    meeting_cap = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label=_("At most this many meetings"),
        help_text=_("Empty: the event's limit."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable_sessions"].queryset = event.sessions.all()


class SessionForm(DomainForm):
    domain_field_names = SESSION_FIELDS

    class Meta:
        model = Session
        fields = SESSION_FIELDS
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME, "break_start": TIME, "break_end": TIME}


class StaffForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person to add"),
        help_text=_("They need an account on the platform; they are told by email."),
    )


class TableCountForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=2000)


class TableAssignForm(forms.Form):
    table = forms.ModelChoiceField(queryset=Table.objects.none(), label=_("Table"))
    owner = forms.ModelChoiceField(queryset=Registration.objects.none(), required=False, label=_("Exhibitor"))
    label = forms.CharField(required=False, max_length=80, label=_("Label"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = event.tables.select_related("owner__organisation")
        self.fields["table"].label_from_instance = lambda table: (
            f"{table} – {table.owner.organisation.name}" if table.owner else str(table)
        )
        self.fields["owner"].queryset = event.registrations.filter(status="validated").select_related(
            "organisation"
        )


class MeetingOrderForm(forms.Form):
    """ "Meet A before B" by the meetings' numbers (shown in the scheduling page's lists): a choice list
    of every meeting would weigh megabytes at a trade show."""

    first = forms.IntegerField(label=_("First, the meeting no."), min_value=1)
    then = forms.IntegerField(label=_("Later, the meeting no."), min_value=1)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def _meeting(self, name: str) -> Meeting:
        meeting = (
            Meeting.objects.filter(event=self.event, pk=self.cleaned_data[name])
            .select_related("first__organisation", "second__organisation")
            .first()
        )
        if meeting is None:
            raise forms.ValidationError(
                _("No meeting of this event has the number %(number)s.") % {"number": self.cleaned_data[name]}
            )
        return meeting

    def clean_first(self) -> Meeting:
        return self._meeting("first")

    def clean_then(self) -> Meeting:
        return self._meeting("then")


class FeedbackForm(DomainForm):
    domain_field_names = FEEDBACK_FIELDS

    class Meta:
        model = MeetingFeedback
        fields = FEEDBACK_FIELDS
        widgets = {
            "usefulness": forms.Select(choices=[("", "–")] + [(n, str(n)) for n in range(1, 6)]),
            "testimonial": forms.Textarea(attrs={"rows": 2}),
        }


class LearningsForm(forms.Form):
    learnings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("What I learned"), required=False
    )
    actions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("Actions I will take"), required=False
    )


class MeetingVideoForm(forms.Form):
    """On site or online, and the video link a party gives (empty: the programme's room)."""

    online = forms.BooleanField(label=_("Online meeting"), required=False)
    video_link = HttpLinkField(label=_("Video link"), required=False)


class AnswersForm(AnswersMixin, forms.Form):
    """A participant's answers (and type) after registering."""

    def __init__(self, *args, event: Event, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(event, registration)


class QuestionForm(DomainForm):
    domain_field_names = QUESTION_FIELDS

    class Meta:
        model = RegistrationQuestion
        fields = QUESTION_FIELDS
        widgets = {"options": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Empty: after the last question.")

    def domain_fields(self) -> dict:
        fields = super().domain_fields()
        if fields.get("position") is None:
            fields.pop("position", None)
        return fields


class ParticipantTypeForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("New participant type"))


class AllowedPairsForm(forms.Form):
    """Which participant types may meet: one box per pair of types (a type with itself included)."""

    pairs = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("May meet each other")
    )

    def __init__(self, *args, types: list[ParticipantType], allowed: set[frozenset[int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {t.pk: t for t in types}
        choices = []
        for index, first in enumerate(types):
            for second in types[index:]:
                if first == second:
                    label = _("%(type)s with %(type)s") % {"type": first.name}
                else:
                    label = f"{first.name} – {second.name}"
                choices.append((f"{first.pk}-{second.pk}", label))
        self.fields["pairs"].choices = choices
        self.initial["pairs"] = [
            value for value, _label in choices if frozenset(map(int, value.split("-"))) in allowed
        ]

    def chosen_pairs(self) -> list[tuple[ParticipantType, ParticipantType]]:
        found = []
        for value in self.cleaned_data["pairs"]:
            first, second = (int(pk) for pk in value.split("-"))
            found.append((self.types[first], self.types[second]))
        return found
