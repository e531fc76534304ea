from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.links import HttpLinkField
from clusterxchange.programmes.models import PartnerCluster, ReportingPeriod
from clusterxchange.tandems.domain import (
    OUTCOME_FIELDS,
    REVIEW_FIELDS,
    SESSION_FIELDS,
    TANDEM_FIELDS,
    Participation,
    Rating,
)
from clusterxchange.tandems.models import (
    CapabilityLevel,
    StrategyReview,
    Tandem,
    TandemOutcome,
    TandemRole,
    TandemSession,
    Topic,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARTICIPANT_SLOTS = 3


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.cluster)


class PartnerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj.cluster)


class TandemForm(VersionedFormMixin, forms.ModelForm):
    """A tandem with up to three participating clusters (the first two required)."""

    class Meta:
        model = Tandem
        fields = ["topic", *TANDEM_FIELDS]
        widgets = {"goals": forms.Textarea(attrs={"rows": 4}), "start_date": DATE, "end_date": DATE}

    def __init__(self, *args, partners=None, with_participants=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.all()
        if not with_participants:
            self.fields.pop("topic")
            return
        partners = partners if partners is not None else PartnerCluster.objects.none()
        for slot in range(1, PARTICIPANT_SLOTS + 1):
            required = slot <= 2
            self.fields[f"partner_{slot}"] = PartnerChoiceField(
                queryset=partners.select_related("cluster"),
                required=required,
                label=_("Cluster %(n)d") % {"n": slot},
            )
            self.fields[f"role_{slot}"] = forms.ChoiceField(
                choices=[("", "—"), *TandemRole.choices],
                required=required,
                label=_("Role of cluster %(n)d") % {"n": slot},
            )

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in TANDEM_FIELDS}

    def participations(self):

        result = []
        for slot in range(1, PARTICIPANT_SLOTS + 1):
            partner, role = self.cleaned_data.get(f"partner_{slot}"), self.cleaned_data.get(f"role_{slot}")
            if partner is not None:
                result.append(Participation(partner=partner, role=role or TandemRole.MUTUAL))
        return result


class SessionForm(forms.ModelForm):
    video_link = HttpLinkField(
        label=_("video link"),
        required=False,
        help_text=_("For a virtual session; empty for a room on the programme's video server."),
    )

    class Meta:
        model = TandemSession
        fields = SESSION_FIELDS
        widgets = {"date": DATE, "agenda": forms.Textarea(attrs={"rows": 3})}

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in SESSION_FIELDS}


class SessionLogForm(forms.Form):
    held = forms.TypedChoiceField(
        choices=[("1", _("The session was held")), ("0", _("The session was cancelled"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
        label=_("What happened"),
    )
    attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Attendees"),
        help_text=_("One name per line."),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, label=_("Notes"))


class OutcomeForm(forms.ModelForm):
    partner = PartnerChoiceField(queryset=PartnerCluster.objects.none(), label=_("Cluster"))

    class Meta:
        model = TandemOutcome
        fields = ["partner", *OUTCOME_FIELDS]
        widgets = {"launched_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners.select_related("cluster")

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in OUTCOME_FIELDS}


class AssessmentForm(forms.Form):
    """One row per topic: level on the 1–5 scale, wants to learn, can teach."""

    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label=_("Reporting period"))

    def __init__(self, *args, periods, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.topics = list(topics)
        for topic in self.topics:
            self.fields[f"level_{topic.pk}"] = forms.TypedChoiceField(
                choices=[("", "—"), *CapabilityLevel.choices],
                coerce=int,
                required=False,
                empty_value=None,
                label=str(topic),
            )
            self.fields[f"learn_{topic.pk}"] = forms.BooleanField(required=False, label=_("wants to learn"))
            self.fields[f"teach_{topic.pk}"] = forms.BooleanField(required=False, label=_("can teach"))

    def rows(self):
        return [
            (topic, self[f"level_{topic.pk}"], self[f"learn_{topic.pk}"], self[f"teach_{topic.pk}"])
            for topic in self.topics
        ]

    def ratings(self):

        return [
            Rating(
                topic=topic,
                level=self.cleaned_data[f"level_{topic.pk}"],
                wants_to_learn=self.cleaned_data[f"learn_{topic.pk}"],
                can_teach=self.cleaned_data[f"teach_{topic.pk}"],
            )
            for topic in self.topics
            if self.cleaned_data.get(f"level_{topic.pk}") is not None
        ]

    def clean(self):
        cleaned = super().clean()
        for topic in self.topics:
            if cleaned.get(f"level_{topic.pk}") is None and (
                cleaned.get(f"learn_{topic.pk}") or cleaned.get(f"teach_{topic.pk}")
            ):
                self.add_error(f"level_{topic.pk}", _("Rate the topic on the scale too."))
        return cleaned


class ReviewForm(VersionedFormMixin, forms.ModelForm):
    reviewed = PartnerChoiceField(queryset=PartnerCluster.objects.none(), label=_("Reviewed cluster"))
    reviewer_clusters = PartnerMultipleChoiceField(
        queryset=PartnerCluster.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Reviewing clusters"),
    )

    class Meta:
        model = StrategyReview
        fields = ["reviewed", "reviewer_clusters", *REVIEW_FIELDS]
        widgets = {
            "review_date": DATE,
            "reviewers": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, partners, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partners.select_related("cluster")
        self.fields["reviewed"].queryset = partners
        self.fields["reviewer_clusters"].queryset = partners
        if editing:
            self.fields.pop("reviewed")

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REVIEW_FIELDS}
