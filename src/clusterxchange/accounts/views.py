from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts.models import ApiToken
from clusterxchange.accounts.roles import roles_of
from clusterxchange.accounts.two_factor import has_two_factor
from clusterxchange.directory.models import Organisation


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


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
        _instance, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.all(),
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")
