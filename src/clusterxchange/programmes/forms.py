from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.links import https_urls
from clusterxchange.core.texts import sentence
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.programmes.domain import (
    CLUSTER_FIELDS,
    KPI_FIELDS,
    PARTNER_FIELDS,
    PERIOD_FIELDS,
    PROGRAMME_FIELDS,
    RULE_FIELDS,
    TEXT_FIELDS,
)
from clusterxchange.programmes.models import (
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ProgrammeText,
    ReportingPeriod,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REMINDER_SETTINGS = ["booking_reminder_days", "follow_up_months"]
COPY_FIELDS = ["name", "acronym", "start_date", "end_date", "default_language"]


class DomainForm(forms.ModelForm):
    domain_field_names: list[str] = []

    def domain_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.domain_field_names if name in self.cleaned_data
        }


class ProgrammeForm(VersionedFormMixin, DomainForm):
    domain_field_names = PROGRAMME_FIELDS
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
        help_text=_(
            "The languages the programme works in: its public texts are written in each of them, and the "
            "default language is one of them. A language removed takes its texts along (the history keeps them)."
        ),
    )

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        formfield_callback = https_urls  # Django reads it from Meta only: a website without scheme is https
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REMINDER_SETTINGS:  # left empty: the platform's default
            self.fields[name].required = False
        if not self.initial.get("languages"):  # a new programme: its default language
            self.initial["languages"] = [self.instance.default_language]

    def clean(self):
        cleaned = super().clean()
        for name in REMINDER_SETTINGS:
            if cleaned.get(name) is None:
                cleaned[name] = Programme._meta.get_field(name).default
        return cleaned

    def validate_unique(self):
        """The acronym's uniqueness is checked by the action, with its own message."""


class TextsForm(forms.Form):
    """The programme's public texts: a name and a description in each of its languages."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        written = {text.language: text for text in programme.texts.all()}
        for code in programme.languages:
            text = written.get(code) or ProgrammeText(programme=programme, language=code)
            for name in TEXT_FIELDS:
                field = ProgrammeText._meta.get_field(name).formfield()
                field.widget.attrs["lang"] = code  # the browser spell-checks in that language
                if name == "description":
                    field.widget.attrs["rows"] = 6
                else:
                    field.help_text = sentence(_("Empty: %(name)s."), name=programme.name)
                field.initial = getattr(text, name)
                self.fields[f"{name}_{code}"] = field

    def languages(self) -> list[dict]:
        """Each language's fields and whether its description is written (the page's sections)."""
        names = dict(settings.LANGUAGES)
        return [
            {
                "code": code,
                "name": names.get(code, code),
                "default": code == self.programme.default_language,
                "written": bool(self[f"description_{code}"].initial),
                "fields": [self[f"{name}_{code}"] for name in TEXT_FIELDS],
            }
            for code in self.programme.languages
        ]

    def texts(self) -> dict[str, dict]:
        return {
            code: {name: self.cleaned_data[f"{name}_{code}"] for name in TEXT_FIELDS}
            for code in self.programme.languages
        }


class CopyForm(DomainForm):
    """The new call's own name, acronym and dates; the rest is copied."""

    domain_field_names = COPY_FIELDS

    class Meta:
        model = Programme
        fields = COPY_FIELDS
        widgets = {"start_date": DATE, "end_date": DATE}

    def validate_unique(self):
        """The acronym's uniqueness is checked by the action, with its own message."""


class PeriodForm(DomainForm):
    domain_field_names = PERIOD_FIELDS

    class Meta:
        model = ReportingPeriod
        fields = PERIOD_FIELDS
        widgets = {"start_date": DATE, "end_date": DATE}

    def validate_unique(self):
        """Checked by the action, which knows the programme."""


class KpiForm(DomainForm):
    """The KPI and its name in each of the programme's languages (``KpiTarget.names``), one field per
    language as the programme's public texts have (TextsForm)."""

    domain_field_names = [name for name in KPI_FIELDS if name != "names"]

    class Meta:
        model = KpiTarget
        fields = [name for name in KPI_FIELDS if name != "names"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = self.instance.programme.languages
        names = dict(settings.LANGUAGES)
        for code in self.languages:
            field = forms.CharField(
                label=_("Name in %(language)s") % {"language": names.get(code, code)},
                max_length=200,
                required=False,
                help_text=_("Empty: the name above."),
                initial=(self.instance.names or {}).get(code, ""),
            )
            field.widget.attrs["lang"] = code  # the browser spell-checks in that language
            self.fields[f"name_{code}"] = field

    def domain_fields(self) -> dict:
        names = {code: self.cleaned_data[f"name_{code}"] for code in self.languages}
        # A name in a language the programme no longer works in stays (the form does not show it).
        kept = {
            code: text for code, text in (self.instance.names or {}).items() if code not in self.languages
        }
        return {**super().domain_fields(), "names": {**kept, **{c: t for c, t in names.items() if t}}}

    def validate_unique(self):
        """Checked by the action, which knows the programme."""


class CountriesForm(forms.Form):
    countries = forms.MultipleChoiceField(
        label=_("Eligible countries"),
        choices=lambda: list(countries),  # named and sorted in the reader's language, at each request
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )


class PartnerForm(DomainForm):
    """An existing cluster organisation as a partner. The cluster is chosen from a search (the page
    never lists every organisation): the field takes the organisation's id."""

    domain_field_names = PARTNER_FIELDS
    cluster = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), label=_("Cluster organisation"), widget=forms.HiddenInput
    )

    class Meta:
        model = PartnerCluster
        fields = PARTNER_FIELDS


class PartnerEditForm(DomainForm):
    domain_field_names = PARTNER_FIELDS

    class Meta:
        model = PartnerCluster
        fields = PARTNER_FIELDS


class NewClusterPartnerForm(forms.ModelForm):
    """A partner that is not in the directory yet: its cluster organisation is created with it."""

    is_coordinator = PartnerCluster._meta.get_field("is_coordinator").formfield()
    grant_budget_eur = PartnerCluster._meta.get_field("grant_budget_eur").formfield()

    class Meta:
        model = Organisation
        fields = CLUSTER_FIELDS
        formfield_callback = https_urls

    def __init__(self, *args, eligible: list[str] | None = None, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the cluster organisation")
        if eligible:
            # A partner is in one of the programme's countries (and a short list renders fast).
            names = dict(countries)
            choices = sorted(((code, names.get(code, code)) for code in eligible), key=lambda c: str(c[1]))
            self.fields["country"].choices = [("", "---------"), *choices]

    def validate_unique(self):
        """The slug is made unique by the action."""

    def cluster_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CLUSTER_FIELDS}

    def partner_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS}


TYPE_CHOICES = OrganisationType.choices


class GrantRulesForm(DomainForm):
    """The grant rules with one lump sum (cap) per eligible host country."""

    domain_field_names = RULE_FIELDS
    visitor_types = forms.MultipleChoiceField(
        label=_("Organisation types that may visit"),
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "None chosen: the scheme's default (every type but large companies, public authorities and training providers)."
        ),
    )
    host_types = forms.MultipleChoiceField(
        label=_("Organisation types that may host"),
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every type."),
    )

    class Meta:
        model = GrantRuleSet
        fields = RULE_FIELDS

    def __init__(self, *args, eligible: list[str], caps: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        for code in eligible:
            self.fields[f"cap_{code}"] = forms.DecimalField(
                label=_("Lump sum for a stay in %(country)s (EUR)") % {"country": dict(countries)[code]},
                max_digits=8,
                decimal_places=2,
                required=False,
                initial=caps.get(code),
            )

    def cap_fields(self):
        return [self[f"cap_{code}"] for code in self.eligible]

    def rule_fields(self):
        return [self[name] for name in RULE_FIELDS]

    def caps(self) -> dict[str, Decimal]:
        """The lump sums entered; an empty one is left out (the action names it as missing)."""
        return {
            code: self.cleaned_data[f"cap_{code}"]
            for code in self.eligible
            if self.cleaned_data.get(f"cap_{code}") is not None
        }


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


class PreviewForm(forms.Form):
    """An example stay whose grant the rules page shows as the rules are typed."""

    visitor_country = forms.ChoiceField(label=_("Visitor's country"))
    host_country = forms.ChoiceField(label=_("Host's country"))
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    distance_km = forms.DecimalField(label=_("Distance (km)"), min_value=0, max_digits=7, decimal_places=1)

    def __init__(self, *args, eligible: list[str], **kwargs):
        kwargs.setdefault("prefix", "example")
        super().__init__(*args, **kwargs)
        names = dict(countries)
        choices = [(code, names.get(code, code)) for code in eligible] or list(countries)
        self.fields["visitor_country"].choices = choices
        self.fields["host_country"].choices = choices
        monday = next_monday()
        self.fields["visitor_country"].initial = choices[0][0]
        self.fields["host_country"].initial = choices[1][0] if len(choices) > 1 else choices[0][0]
        self.fields["start"].initial = monday
        self.fields["end"].initial = monday + timedelta(days=4)
        self.fields["distance_km"].initial = Decimal(500)
