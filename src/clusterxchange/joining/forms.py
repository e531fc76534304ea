"""The forms of the joining pages: find an organisation, ask to join it, register a new one, decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.countries import country_choices
from clusterxchange.core.links import https_urls
from clusterxchange.directory.models import Organisation, OrganisationRegistration
from clusterxchange.joining.domain import REGISTRATION_FIELDS


class FindOrganisationForm(forms.Form):
    q = forms.CharField(
        label=_("Name, VAT number or website"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. Alpha Sensors, FR12345678901, alpha.eu")}
        ),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's admins (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and your role in the organisation help them decide."),
    )


class ClusterRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's admins (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the cluster asks them to join helps them decide."),
    )


class RegistrationForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Partner cluster"),
        help_text=_(
            "The programme's partner cluster your organisation belongs to: its managers approve the registration."
        ),
    )
    message = forms.CharField(
        label=_("Message to the cluster's managers (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_different = forms.BooleanField(
        label=_("My organisation is not one of the similar organisations shown above"), required=False
    )

    class Meta:
        model = OrganisationRegistration
        fields = [*REGISTRATION_FIELDS]
        formfield_callback = https_urls
        help_texts = {
            "staff_count": _("Staff headcount in annual work units, by the EU SME definition."),
            "turnover_eur": _("Last approved accounting period."),
        }

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:
            self.fields["cluster"].queryset = clusters
        self.fields["country"].choices = country_choices()

    def ask_confirmation(self, similar: bool) -> None:
        """The "it is a different organisation" box is shown only beside similar organisations."""
        if not similar:
            self.fields["confirm_different"].widget = forms.HiddenInput()

    def _post_clean(self):
        """The registration is validated by the domain action (domain.register_organisation)."""

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in REGISTRATION_FIELDS}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to refuse: the person reads it."),
    )


class InterestForm(forms.Form):
    """An expression of interest in an opportunity, for one of the sender's organisations."""

    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your organisation offers or seeks: the opportunity's organisation reads it."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_organisation(self):
        """Required only when the sender is a member of several organisations that may send it."""
        organisation = self.cleaned_data["organisation"]
        if organisation is None:
            choices = list(self.fields["organisation"].queryset[:2])
            if len(choices) != 1:
                raise forms.ValidationError(_("Choose the organisation the interest is for."))
            organisation = choices[0]
        return organisation
