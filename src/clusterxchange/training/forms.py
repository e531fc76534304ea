from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.links import https_urls
from clusterxchange.core.models import Language
from clusterxchange.directory.models import Person
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.tandems.models import Topic
from clusterxchange.training.domain import ENTRY_FIELDS, RECORD_FIELDS
from clusterxchange.training.imports import parse_sessions
from clusterxchange.training.models import TrainingEntry, TrainingRecord

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(VersionedFormMixin, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, label=_("Topics")
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        label=_("Languages"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sessions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-03-04 10:00-12:00"}),
        label=_("Dated sessions"),
        help_text=_("One per line: date, start and end time, e.g. 2026-03-04 10:00-12:00 (site time zone)."),
    )

    class Meta:
        model = TrainingEntry
        fields = [f for f in ENTRY_FIELDS if f != "is_demo"] + ["topics", "languages"]
        formfield_callback = https_urls
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["sessions"] = "\n".join(
                f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M}"
                for s in self.instance.sessions.all()
            )

    def clean_sessions(self):
        try:
            return parse_sessions(self.cleaned_data["sessions"].replace("\n", ";"))
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(value)s” is not a date like 2026-03-04 10:00-12:00.") % {"value": exc.args[0]}
            ) from exc

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS if name in self.cleaned_data}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note to the submitter")
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("At most 5 MB and 10,000 rows."))
    dry_run = forms.BooleanField(required=False, initial=True, label=_("Only check the file, import nothing"))


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.cluster)


class RecordForm(VersionedFormMixin, forms.ModelForm):
    partner = PartnerChoiceField(queryset=PartnerCluster.objects.none(), label=_("Partner cluster"))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Staff member"))
    entry = forms.ModelChoiceField(queryset=TrainingEntry.objects.published(), label=_("Course"))
    certificate = forms.FileField(required=False, label=_("Certificate (PDF, JPG or PNG)"))

    class Meta:
        model = TrainingRecord
        fields = ["partner", "person", "entry", *RECORD_FIELDS]
        widgets = {"enrolled_on": DATE, "completed_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partners, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners.select_related("cluster")
        self.fields["person"].queryset = Person.objects.filter(
            organisation_id__in=partners.values("cluster_id")
        ).select_related("organisation")
        if editing:
            for name in ("partner", "person", "entry"):
                self.fields.pop(name)

    def _post_clean(self):
        """Model validation runs in the domain action (with the certificate checked there too)."""

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECORD_FIELDS}
