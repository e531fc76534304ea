"""Sign-up asks for the person's name too: the person record of their organisation is made from it."""

from django import forms
from django.utils.translation import gettext_lazy


class SignupForm(forms.Form):
    """allauth's sign-up form adds these fields (ACCOUNT_SIGNUP_FORM_CLASS) before the email and password."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
