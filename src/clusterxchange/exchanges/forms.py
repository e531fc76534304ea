"""Forms of the exchange pages: they parse input; the domain actions decide."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin
from clusterxchange.core.countries import country_choices, country_choices_among
from clusterxchange.core.models import Ecosystem, Language
from clusterxchange.directory.filters import every_term_in, search_terms
from clusterxchange.directory.models import Organisation, OrganisationType, Person
from clusterxchange.exchanges.domain import AGREEMENT_FIELDS, REPORT_FIELDS
from clusterxchange.exchanges.host_profiles import HOST_PROFILE_FIELDS
from clusterxchange.exchanges.models import AgreementSignature, Evidence, Exchange, ExchangeState, HostProfile
from clusterxchange.programmes.models import PartnerCluster, Programme

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
APPLICATION_FORM_FIELDS = ["motivation", "goals", "preferences", "start_date", "end_date", "visitor_person"]


def _preselect_single(field) -> None:
    """A choice with exactly one option is preselected."""
    options = list(field.queryset.values_list("pk", flat=True)[:2])
    if len(options) == 1:
        field.initial = options[0]


class ApplicationForm(VersionedFormMixin, forms.ModelForm):
    """A new application (with programme and visitor organisation) or the edit of a draft."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    visitor_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Visiting organisation")
    )

    class Meta:
        model = Exchange
        fields = APPLICATION_FORM_FIELDS
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "preferences": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
        }

    def __init__(self, *args, organisations=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["programme"]
            del self.fields["visitor_organisation"]
            people = Person.objects.filter(organisation=self.instance.visitor_organisation_id)
        else:
            self.fields["programme"].queryset = programmes
            self.fields["visitor_organisation"].queryset = organisations
            _preselect_single(self.fields["programme"])
            _preselect_single(self.fields["visitor_organisation"])
            people = Person.objects.filter(organisation__in=organisations)
            self.order_fields(["programme", "visitor_organisation", *APPLICATION_FORM_FIELDS])
        self.fields["visitor_person"].queryset = people.select_related("organisation").order_by(
            "last_name", "first_name"
        )
        self.fields["visitor_person"].label_from_instance = lambda person: f"{person} ({person.organisation})"

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("visitor_person")
        organisation = cleaned.get("visitor_organisation") or (
            self.instance.visitor_organisation if self.instance.pk else None
        )
        if person is not None and organisation is not None and person.organisation_id != organisation.pk:
            self.add_error(
                "visitor_person", _("The travelling person must work for the visiting organisation.")
            )
        return cleaned

    def _post_clean(self):
        # The domain validates the exchange (it knows the visitor's partnership); skip the model's checks.
        pass

    def domain_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in APPLICATION_FORM_FIELDS if name in self.cleaned_data
        }


class ReasonForm(forms.Form):
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("validate", _("Validate")),
        ("decline", _("Decline")),
        ("validate_report", _("Validate the report")),
        ("certify", _("Issue the certificate")),
        ("cancel", _("Cancel")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, label=_("Action"))
    comment = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        widget=forms.TextInput(),
        help_text=_("Required to decline or cancel."),
    )
    references = forms.CharField(widget=forms.MultipleHiddenInput, required=False)


class HostRequestForm(forms.Form):
    host = forms.ModelChoiceField(queryset=Organisation.objects.all(), widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message to the host"), widget=forms.Textarea(attrs={"rows": 3}))


class HostResponseForm(forms.Form):
    response = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Exchange
        fields = AGREEMENT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in AGREEMENT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AGREEMENT_FIELDS:
            self.fields[name].required = True

    def _post_clean(self):
        pass

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in AGREEMENT_FIELDS}


class SignatureForm(forms.Form):
    """Signing for one's own role: the name is the account's; the password (or authenticator code)
    again proves it is the account's owner; the hash names the version read."""

    party = forms.ChoiceField(choices=AgreementSignature.Party.choices, widget=forms.HiddenInput)
    document_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"), required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    code = forms.CharField(label=_("Code from your authenticator app"), required=False, max_length=20)


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Exchange
        fields = REPORT_FIELDS
        widgets = {
            "report_activities": forms.Textarea(attrs={"rows": 4}),
            "report_results": forms.Textarea(attrs={"rows": 4}),
            "report_follow_up": forms.Textarea(attrs={"rows": 3}),
            "testimonial": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        pass

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=Evidence.Kind.choices, label=_("Kind"))
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 10 MB)"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount paid (EUR)"), max_digits=9, decimal_places=2, min_value=0)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_INPUT)

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exchange is not None:
            self.fields["amount"].initial = exchange.grant_amount_eur
        self.fields["paid_on"].initial = timezone.localdate()


class HostProfileForm(forms.ModelForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        label=_("Working languages"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = HostProfile
        fields = HOST_PROFILE_FIELDS
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 5}),
            "available_from": DATE_INPUT,
            "available_until": DATE_INPUT,
        }

    def __init__(self, *args, organisations=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["organisation"].queryset = organisations
        _preselect_single(self.fields["programme"])
        _preselect_single(self.fields["organisation"])
        self.order_fields(["programme", "organisation", *HOST_PROFILE_FIELDS, "languages"])

    def _post_clean(self):
        pass

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in HOST_PROFILE_FIELDS}


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 16 characters printed on the certificate."),
    )


class ExchangeFilter(django_filters.FilterSet):
    SCOPES = [
        ("visitor", _("My applications")),
        ("host", _("Hosted by my organisation")),
        ("partnership", _("My partnership's queue")),
    ]
    q = django_filters.CharFilter(method="search", label=_("Reference or organisation"))
    state = django_filters.ChoiceFilter(choices=ExchangeState.choices, label=_("State"), empty_label=_("Any"))
    scope = django_filters.ChoiceFilter(
        choices=SCOPES, method="in_scope", label=_("Show"), empty_label=_("All")
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="visitor_partner",
        queryset=PartnerCluster.objects.none(),
        label=_("Visitor's partnership"),
        empty_label=_("Any"),
    )
    start_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label=_("Stay from"), widget=DATE_INPUT
    )
    start_until = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("Stay until"), widget=DATE_INPUT
    )

    class Meta:
        model = Exchange
        fields = ["q", "state", "scope", "partner", "start_from", "start_until"]

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        if roles is not None and (roles.is_coordinator or roles.is_cluster_manager):
            # The partners of the programmes the user administers (a subquery: no join to de-duplicate).
            self.filters["partner"].queryset = (
                PartnerCluster.objects.filter(
                    programme__in=Programme.objects.administered_by(roles).values("pk")
                )
                .select_related("cluster", "programme")
                .order_by("programme__acronym", "cluster__name")
            )
        else:
            del self.filters["partner"]

    def search(self, queryset, name, value):
        return every_term_in(
            queryset, value, "reference", "visitor_organisation__name", "host_organisation__name"
        )

    def in_scope(self, queryset, name, value):
        roles = self.roles
        if roles is None:
            return queryset
        if value == "visitor":
            return queryset.filter(visitor_organisation_id__in=roles.organisation_ids)
        if value == "host":
            return queryset.filter(host_organisation_id__in=roles.organisation_ids)
        if value == "partnership":
            return queryset.filter(
                Q(visitor_partner__cluster_id__in=roles.managed_cluster_ids)
                | Q(programme_id__in=roles.coordinator_programme_ids)
            )
        return queryset


class HostSearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(choices=country_choices, label=_("Country"), empty_label=_("Any"))
    org_type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, label=_("Type"), empty_label=_("Any")
    )
    ecosystem = django_filters.ModelChoiceFilter(
        field_name="ecosystems",
        queryset=Ecosystem.objects.all(),
        to_field_name="code",
        label=_("Ecosystem"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "country", "org_type", "ecosystem"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        present = queryset.order_by().values_list("country", flat=True).distinct()
        self.filters["country"].extra["choices"] = country_choices_among(present)

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(search_document__contains=term)
        return queryset
