from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.messaging import groups


class MessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("Recipients"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Placeholders such as {name} are replaced for each recipient (see the list below)."),
    )

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.audiences = groups.audiences(sender)
        self.fields["audience"].choices = [("", "—")] + [
            (str(group.label), [(f"{group.key}:{target.value}", target.label) for target in targets])
            for group, targets in self.audiences
        ]


class NotificationTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
