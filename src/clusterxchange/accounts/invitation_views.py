"""Invitation pages: invite one person or a file of people to a programme, organisation or event, the
list of invitations with resend and revoke, a file's sending progress, and the page a link opens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts import invitations as domain
from clusterxchange.accounts.models import Invitation, InvitationBatch, RoleKind
from clusterxchange.accounts.rules import (
    NO_ROLE_TO_INVITE_TO,
    invitation_places,
    invitations_visible_to,
    may_grant,
)
from clusterxchange.core.errors import error_page
from clusterxchange.core.forms import attempt, save_form
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.tabular import TableError, read_table, stash_upload, take_stashed_upload
from clusterxchange.core.texts import sentence
from clusterxchange.core.workers import waits_for_a_worker
from clusterxchange.directory.models import Organisation
from clusterxchange.programmes.models import Programme

# The event model through the invitation's field (accounts does not import the events app, which
# imports accounts).
TARGET_MODELS = {
    "programme": Programme,
    "organisation": Organisation,
    "event": Invitation._meta.get_field("event").related_model,
}
STATES = [("", gettext_lazy("All")), *Invitation.State.choices]


def _target(target_type: str, slug: str):
    model = TARGET_MODELS.get(target_type)
    if model is None:
        raise Http404
    return get_object_or_404(model, slug=slug)


def _grantable(user, target_type: str, target) -> list[str]:
    """The role kinds `user` may invite to on `target` (403 when none)."""
    kinds = [kind for kind in domain.KINDS_FOR[target_type] if may_grant(user, kind, target)]
    if not kinds:
        raise PermissionDenied(NO_ROLE_TO_INVITE_TO)
    return kinds


class _InvitationForm(forms.Form):
    """What an invitation by hand and a file of invitations share: the role offered (hidden when the
    inviter may offer one only) and the personal message."""

    message = forms.CharField(
        label=gettext_lazy("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kinds: list[str], target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_kind"].choices = [(kind, domain.role_label(kind, target)) for kind in kinds]
        # The fewest rights unless the inviter chooses more: KINDS_FOR lists the most rights first.
        self.fields["role_kind"].initial = kinds[-1]
        if len(kinds) == 1:
            self.fields["role_kind"].widget = forms.HiddenInput()
        self.order_fields([*self.field_order_before_message, "message"])

    field_order_before_message: list[str] = []


class InviteForm(_InvitationForm):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role_kind = forms.ChoiceField(label=gettext_lazy("Role"))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the email"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("The language the person reads; the pages follow it after they accept."),
    )
    field_order_before_message = ["email", "role_kind", "first_name", "last_name", "language"]


class InviteFileForm(_InvitationForm):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Columns: email, first_name, last_name, role, language. Only email is required."
        ),
    )
    role_kind = forms.ChoiceField(
        label=gettext_lazy("Role"), help_text=gettext_lazy("For the rows without a role.")
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the emails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("For the rows without a language."),
    )
    field_order_before_message = ["file", "role_kind", "language"]


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, target_type, slug):
    target = _target(target_type, slug)
    kinds = _grantable(request.user, target_type, target)
    form = InviteForm(
        request.POST or None,
        kinds=kinds,
        target=target,
        initial={"language": domain.default_language_of(target)},
    )

    def send(f) -> str:
        domain.invite(request.user, target=target, **f.cleaned_data)
        return request.get_full_path()  # the form again, for the next person

    return save_form(
        request,
        form,
        send,
        lambda f: _("The invitation was sent to %(email)s.") % {"email": f.cleaned_data["email"].lower()},
        "accounts/invite.html",
        {
            "target": target,
            "target_type": target_type,
            "invitation_days": settings.INVITATION_DAYS,
            "recent": invitations_visible_to(request.user)
            .filter(**{target_type: target})
            .select_related("invited_by", target_type)[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_file(request, target_type, slug):
    """Upload → every row checked, problems listed, nothing sent → confirm → the task sends them all."""
    target = _target(target_type, slug)
    kinds = _grantable(request.user, target_type, target)
    confirm_token = request.POST.get("confirm_token", "")
    form = InviteFileForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        target=target,
        initial={"language": domain.default_language_of(target)},
    )
    if confirm_token:
        form.fields["file"].required = False
    report, confirm_fields = None, {}
    if request.method == "POST" and form.is_valid():
        stashed = take_stashed_upload(request, confirm_token) if confirm_token else None
        if confirm_token and stashed is None:
            form.add_error("file", _("The checked file has expired; upload it again."))
        else:
            upload = form.cleaned_data["file"]
            name, content = stashed if stashed else (upload.name, upload.read())
            options = {"role_kind": form.cleaned_data["role_kind"], "language": form.cleaned_data["language"]}
            try:
                table = read_table(name, content)
            except TableError as error:
                form.add_error("file", str(error))
            else:
                if stashed is None:
                    report, _rows = domain.check_file(request.user, table, target, **options)
                    if report.ok:
                        confirm_fields = {
                            "confirm_token": stash_upload(request, name, content),
                            "role_kind": form.cleaned_data["role_kind"],
                            "language": form.cleaned_data["language"],
                            "message": form.cleaned_data["message"],
                        }
                else:
                    sent = attempt(
                        request,
                        lambda: domain.invite_file(
                            request.user, table, target, message=form.cleaned_data["message"], **options
                        ),
                        success=lambda batch: (
                            _("%(count)d invitations are being sent.") % {"count": batch.total}
                        ),
                    )
                    if sent:
                        return redirect("invitations:batch", pk=sent.result.pk)
    return render(
        request,
        "accounts/invite_file.html",
        {
            "form": form,
            "report": report,
            "confirm_fields": confirm_fields,
            "target": target,
            "target_type": target_type,
        },
    )


def _batch_of(request, pk) -> InvitationBatch:
    batch = get_object_or_404(InvitationBatch, pk=pk)
    if batch.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return batch


@login_required
def batch(request, pk):
    """A file's sending progress (the fragment polls itself with htmx until the task is done)."""
    batch = _batch_of(request, pk)
    context = {
        "job": batch,
        "waiting_for_worker": batch.status == InvitationBatch.Status.QUEUED and waits_for_a_worker(),
    }
    if request.htmx:
        return render(request, "accounts/_invitation_batch.html", context)
    return render(request, "accounts/invitation_batch.html", context)


@login_required
def invitation_list(request):
    """The invitations the user may see, by state, with resend and revoke."""
    state = request.GET.get("state", "")
    if state not in dict(STATES):
        state = ""
    invitations = (
        invitations_visible_to(request.user)
        .in_state(state)
        .select_related("invited_by", "programme", "organisation", "event")
        .order_by("-created_at", "-pk")
    )
    page = paginate(request, invitations)
    user = request.user
    rows = [
        (
            invitation,
            invitation.is_open or invitation.state == Invitation.State.EXPIRED,
            user.has_perm("accounts.resend_invitation", invitation),
            user.has_perm("accounts.revoke_invitation", invitation),
        )
        for invitation in page
    ]
    return render(
        request,
        "accounts/invitations.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": STATES,
            "querystring": querystring_without_page(request),
            "places": invitation_places(user),
        },
    )


def _back_to_list(request):
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("invitations:list")


@login_required
@require_POST
def resend(request, pk):
    invitation = get_object_or_404(invitations_visible_to(request.user), pk=pk)
    attempt(
        request,
        lambda: domain.resend(request.user, invitation),
        success=_("The invitation was sent again to %(email)s; the previous link no longer works.")
        % {"email": invitation.email},
    )
    return _back_to_list(request)


@login_required
@require_POST
def revoke(request, pk):
    invitation = get_object_or_404(invitations_visible_to(request.user), pk=pk)
    attempt(
        request,
        lambda: domain.revoke(request.user, invitation),
        success=_("The invitation to %(email)s was revoked.") % {"email": invitation.email},
    )
    return _back_to_list(request)


class AccountForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def where_useful(request, invitation: Invitation) -> str:
    """The page where the new role is of use: an organisation's page, the event's registration (or,
    without an organisation to register with, the event's page and what to do first)."""
    target = invitation.target
    if invitation.role_kind == RoleKind.EVENT_PARTICIPANT:
        if roles_of(request.user).organisation_ids:
            return reverse("events:register", args=[target.slug])
        messages.info(request, _("To register for the event, first join your organisation or register it."))
        return target.get_absolute_url()
    if invitation.role_kind == RoleKind.COORDINATOR:
        return reverse("programmes:overview", args=[target.slug])
    return target.get_absolute_url()


@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The page an invitation link opens: accept (logged in with the invited address), log in first (an
    account with that address exists), or create the account; a dead link says why and what to do."""
    invitation = Invitation.find(token)
    if invitation is None:
        return error_page(request, 404, "accounts/invitation_unknown.html")
    context = {
        "invitation": invitation,
        "inviter": domain.inviter_name(invitation),
        "role": domain.role_in_sentence(invitation.role_kind, invitation.target),
    }
    refusal = domain.link_refusal(invitation)
    if refusal:
        return render(request, "accounts/invitation_closed.html", {**context, "refusal": refusal}, status=410)
    user = request.user
    if user.is_authenticated:
        if not domain.is_for(user, invitation):
            return render(request, "accounts/invitation_other_account.html", context)
        if request.method == "POST":
            accepted = attempt(
                request,
                lambda: domain.accept(user, invitation),
                success=sentence(
                    _("Welcome: you are now %(role)s of %(target)s."),
                    role=domain.role_in_sentence(invitation.role_kind, invitation.target),
                    target=invitation.target,
                ),
            )
            if accepted:
                return redirect(where_useful(request, invitation))
        return render(request, "accounts/invitation_accept.html", context)
    if domain.account_exists(invitation):
        return render(
            request,
            "accounts/invitation_accept.html",
            {**context, "log_in_first": True, "next": request.path},
        )
    form = AccountForm(
        request.POST or None, initial={"first_name": invitation.first_name, "last_name": invitation.last_name}
    )
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            lambda: domain.create_account_and_accept(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            ),
            success=sentence(
                _("Welcome: your account is ready and you are now %(role)s of %(target)s."),
                role=domain.role_in_sentence(invitation.role_kind, invitation.target),
                target=invitation.target,
            ),
            form=form,
        )
        if created:
            login(request, created.result, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(where_useful(request, invitation))
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})
