from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts import tokens as token_actions
from clusterxchange.accounts.models import TOKEN_ACCESS, TOKEN_AREAS
from clusterxchange.accounts.roles import roles_of
from clusterxchange.accounts.rules import tokens_visible_to
from clusterxchange.accounts.two_factor import has_two_factor
from clusterxchange.directory.models import Organisation


def scope_choices():
    return [
        (f"{area}:{access}", f"{area_label}: {access_label}")
        for area, area_label in TOKEN_AREAS.items()
        for access, access_label in TOKEN_ACCESS.items()
    ]


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What the token may do"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[f"{area}:read" for area in TOKEN_AREAS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=_("Valid for (days)"),
            min_value=1,
            max_value=settings.API_TOKEN_DAYS,
            initial=settings.API_TOKEN_DAYS,
            help_text=_("At most %(days)d days.") % {"days": settings.API_TOKEN_DAYS},
        )


@login_required
def my_account(request):
    roles = roles_of(request.user)
    return render(
        request,
        "accounts/my_account.html",
        {
            "organisations": Organisation.objects.filter(pk__in=roles.organisation_ids),
            "managed_clusters": Organisation.objects.filter(pk__in=roles.managed_cluster_ids),
            "roles": roles,
            "programme_roles": request.user.programme_roles.select_related("programme"),
            "offer_two_factor": roles.is_coordinator or roles.is_cluster_manager,
            "two_factor_enabled": has_two_factor(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _instance, new_token = token_actions.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["scopes"], form.cleaned_data["days"]
        )
        form = TokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.all(),
            "new_token": new_token,
            "coordinator": roles_of(request.user).is_coordinator,
        },
    )


@login_required
def programme_tokens(request):
    """A coordinator's list of the API tokens of their programmes' people, to revoke any of them."""
    if not roles_of(request.user).is_coordinator:
        raise PermissionDenied
    tokens = tokens_visible_to(request.user).exclude(user=request.user).select_related("user").distinct()
    return render(request, "accounts/programme_tokens.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(tokens_visible_to(request.user).distinct(), pk=pk)
    token_actions.revoke(request.user, token)
    messages.success(request, _("The token was revoked."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("accounts:api_tokens")
