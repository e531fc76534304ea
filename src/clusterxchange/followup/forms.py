from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.followup.models import Outcome


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did it lead to an agreement?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    value_eur = forms.CharField(label=_("Expected value (EUR, optional)"), required=False, max_length=20)
    recommend = forms.ChoiceField(
        label=_("Would you recommend it to others?"),
        required=False,
        choices=[("", _("No answer")), ("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
