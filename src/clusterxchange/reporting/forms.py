"""The dashboard's filters (a GET form): a reporting period or dates, a partner, and for the
exchange figures a country, an ecosystem and an organisation type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.countries import country_choices, country_choices_among
from clusterxchange.core.models import Ecosystem
from clusterxchange.directory.models import OrganisationType
from clusterxchange.programmes.models import PartnerCluster, ReportingPeriod
from clusterxchange.reporting.measures import Scope


class ScopeForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Reporting period"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Whole programme"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=PartnerCluster.objects.none(),
        required=False,
        empty_label=_("All partners"),
    )
    country = forms.ChoiceField(label=_("Visitor's country"), required=False)
    ecosystem = forms.ModelChoiceField(
        label=_("Industrial ecosystem"),
        queryset=Ecosystem.objects.all(),
        required=False,
        empty_label=_("All ecosystems"),
    )
    org_type = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=[("", _("All types")), *OrganisationType.choices],
    )

    def __init__(self, programme, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.programme = programme
        self.fields["period"].queryset = programme.periods.all()
        self.fields["partner"].queryset = programme.partners.select_related("cluster")
        self.fields["partner"].label_from_instance = lambda partner: partner.cluster.name
        eligible = programme.eligible_countries.values_list("country", flat=True)
        countries = country_choices_among(eligible) if eligible else country_choices()
        self.fields["country"].choices = [("", _("All countries")), *countries]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data

    def scope(self) -> Scope:
        """The scope of the valid filters; a period wins over dates."""
        if not self.is_bound:
            return Scope()
        self.is_valid()
        data = self.cleaned_data  # the valid fields only: an invalid filter is dropped, the others kept
        period = data.get("period")
        start, end = (period.start_date, period.end_date) if period else (data.get("start"), data.get("end"))
        ecosystem = data.get("ecosystem")
        return Scope(
            start=start,
            end=end,
            partner=data.get("partner"),
            country=data.get("country") or "",
            ecosystem_id=ecosystem.pk if ecosystem else None,
            org_type=data.get("org_type") or "",
        )


def scope_params(scope: Scope, **overrides) -> dict[str, str]:
    """Query parameters that reproduce a scope (dates in ISO 8601), with some filters replaced."""
    params = {
        "start": scope.start.isoformat() if scope.start else "",
        "end": scope.end.isoformat() if scope.end else "",
        "partner": str(scope.partner.pk) if scope.partner else "",
        "country": scope.country,
        "ecosystem": str(scope.ecosystem_id) if scope.ecosystem_id else "",
        "org_type": scope.org_type,
    }
    params.update({key: "" if value is None else str(value) for key, value in overrides.items()})
    return {key: value for key, value in params.items() if value}
