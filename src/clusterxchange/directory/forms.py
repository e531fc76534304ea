from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.links import https_urls
from clusterxchange.core.models import Ecosystem, Language, NaceCode
from clusterxchange.directory.domain import OPPORTUNITY_FIELDS, ORGANISATION_FIELDS, PERSON_FIELDS
from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType, Person


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    ecosystems = forms.ModelMultipleChoiceField(
        queryset=Ecosystem.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Industrial ecosystems"),
    )
    sectors = forms.ModelMultipleChoiceField(
        queryset=NaceCode.objects.filter(level=NaceCode.Level.DIVISION),
        required=False,
        label=_("Sectors (NACE Rev. 2 divisions)"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Organisation
        fields = [*ORGANISATION_FIELDS, "ecosystems", "sectors"]
        formfield_callback = https_urls
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "latitude": _(
                "Needed to visit or host an exchange: the grant depends on the distance between the two "
                "organisations. In decimal degrees, e.g. 50.06 for Kraków."
            ),
            "longitude": _("In decimal degrees, e.g. 19.94 for Kraków; west of Greenwich is negative."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_cluster:
            for name in ("member_count", "esca_label"):
                self.fields.pop(name)
        if "latitude" in self.fields:
            self.fields["latitude"].help_text = " ".join(
                str(text) for text in (self.fields["latitude"].help_text, self._where_coordinates_come_from())
            )

    def _where_coordinates_come_from(self):
        if self.instance.coordinates_from_city:
            return _("These are the centre of the city; correct them if needed.")
        return _("Left empty, they are taken from the city's centre when the city is known.")

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ORGANISATION_FIELDS if name in self.cleaned_data}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("org_type") != OrganisationType.CLUSTER:
            cleaned["member_count"] = None
            cleaned["esca_label"] = ""
        return cleaned


class PersonForm(VersionedFormMixin, forms.ModelForm):
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        label=_("Languages"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "languages"]

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class OpportunityForm(VersionedFormMixin, forms.ModelForm):
    ecosystems = forms.ModelMultipleChoiceField(
        queryset=Ecosystem.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Industrial ecosystems"),
    )

    class Meta:
        model = Opportunity
        fields = [*OPPORTUNITY_FIELDS, "ecosystems"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in OPPORTUNITY_FIELDS}


class ImportForm(forms.Form):
    KIND_CHOICES = [("organisations", _("Organisations")), ("people", _("People"))]

    kind = forms.ChoiceField(choices=KIND_CHOICES, label=_("What the file holds"))
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("At most 5 MB and 10,000 rows."))
    cluster = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Add imported organisations to cluster")
    )

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:
            self.fields["cluster"].queryset = clusters
            choices = list(clusters[:2])
            if len(choices) == 1:  # the only choice is chosen already (a manager of one cluster)
                self.fields["cluster"].initial = choices[0].pk
