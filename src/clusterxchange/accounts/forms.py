"""Forms of the members and roles pages."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from clusterxchange.accounts.domain import NO_ACCOUNT
from clusterxchange.accounts.models import User
from clusterxchange.accounts.rules import ORGANISATION_ADMIN, ORGANISATION_MEMBER
from clusterxchange.core.addresses import address_in

ORGANISATION_ROLE_CHOICES = [
    (ORGANISATION_MEMBER, gettext_lazy("Member")),
    (ORGANISATION_ADMIN, pgettext_lazy("organisation role", "Admin")),
]


class AccountByEmailField(forms.EmailField):
    """An existing account, given by its email address."""

    default_error_messages = {"no_account": NO_ACCOUNT}

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        user = User.objects.filter(address_in("email", [email]), is_active=True).first()
        if user is None:
            raise forms.ValidationError(self.error_messages["no_account"], code="no_account")
        return user


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)


class AppointCoordinatorForm(forms.Form):
    account = AccountByEmailField(label=gettext_lazy("Email of the account"))


class AddMemberForm(forms.Form):
    account = AccountByEmailField(label=gettext_lazy("Email of the account"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ORGANISATION_ROLE_CHOICES)


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ORGANISATION_ROLE_CHOICES)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the person)"), required=False, max_length=500
    )


class LeaveForm(forms.Form):
    successor = AccountByEmailField(
        label=gettext_lazy("Email of the colleague to name as admin"),
        required=False,
        help_text=gettext_lazy("Needed when you are the organisation's last admin."),
    )


class LinkPersonForm(forms.Form):
    account = AccountByEmailField(label=gettext_lazy("Email of the account"))
