from allauth.account.views import logout as allauth_logout
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts import domain as role_actions
from clusterxchange.accounts import forms as member_forms
from clusterxchange.accounts import tokens as token_actions
from clusterxchange.accounts.disclosure import may_read_member_emails
from clusterxchange.accounts.models import TOKEN_ACCESS, TOKEN_AREAS, Membership
from clusterxchange.accounts.rules import (
    COORDINATOR,
    ROLE_KIND_OF_MEMBERSHIP,
    administered_among,
    administered_organisations,
    administers_organisation,
    coordinator_roles_visible_to,
    memberships_visible_to,
    role_history,
    tokens_visible_to,
)
from clusterxchange.accounts.two_factor import has_two_factor
from clusterxchange.core.domain import COORDINATORS_ONLY, require
from clusterxchange.core.forms import attempt, attempt_form, form_errors_text
from clusterxchange.core.history import readable
from clusterxchange.core.pagination import PAGE_SIZE, paginate, paginator_for
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import sentence
from clusterxchange.directory.models import ClusterMembership, Organisation, OrganisationType, Person
from clusterxchange.programmes.models import PartnerCluster, Programme


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
        raise PermissionDenied(COORDINATORS_ONLY)
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


# --- Members and roles ------------------------------------------------------------------------


def _search(request) -> str:
    form = member_forms.SearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _querystring(request, drop: str) -> str:
    params = request.GET.copy()
    params.pop(drop, None)
    return params.urlencode()


def _people_search(queryset, q: str, prefix: str = "user__"):
    if not q:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}email__icontains": q})
        | Q(**{f"{prefix}first_name__icontains": q})
        | Q(**{f"{prefix}last_name__icontains": q})
    )


@login_required
def members(request):
    """Members and roles: the programmes and organisations whose people the user administers or belongs to."""
    user = request.user
    roles = roles_of(user)
    programmes = Programme.objects.administered_by(roles).order_by("-start_date")
    if user.is_superuser:
        programmes = Programme.objects.order_by("-start_date")
    programmes = programmes.prefetch_related("texts")  # their public names, in the reader's language
    mine = Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    managed = Organisation.objects.filter(pk__in=roles.managed_organisation_ids).order_by("name")
    partner_clusters = Organisation.objects.filter(
        pk__in=PartnerCluster.objects.filter(programme_id__in=roles.coordinator_programme_ids).values(
            "cluster_id"
        )
    ).order_by("name")
    return render(
        request,
        "accounts/members.html",
        {
            "programmes": programmes,
            "memberships": mine,
            "administered": (managed | partner_clusters).distinct().order_by("name"),
        },
    )


@login_required
def programme_members(request, slug):
    """A programme's coordinators, and its partner clusters with their managers."""
    programme = get_object_or_404(Programme, slug=slug)
    require(request.user, "accounts.view_programme_members", programme)
    coordinates = request.user.has_perm("accounts.grant_role", (COORDINATOR, programme))
    coordinators = (
        coordinator_roles_visible_to(request.user)
        .filter(programme=programme)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    partners = list(PartnerCluster.objects.filter(programme=programme).select_related("cluster"))
    managers: dict[int, list] = {}
    for membership in (
        Membership.objects.filter(
            organisation_id__in=[partner.cluster_id for partner in partners], role=Membership.Role.MANAGER
        )
        .select_related("user")
        .order_by("user__last_name", "user__email")
    ):
        managers.setdefault(membership.organisation_id, []).append(membership)
    administered = administered_among(request.user, [partner.cluster_id for partner in partners])
    for partner in partners:
        partner.managers = managers.get(partner.cluster_id, [])
        partner.emails_readable = may_read_member_emails(request.user, partner.cluster_id)
        partner.members_page = partner.cluster_id in administered
    return render(
        request,
        "accounts/programme_members.html",
        {
            "programme": programme,
            "coordinators": coordinators,
            "partners": partners,
            "coordinates": coordinates,
            "appoint_form": member_forms.AppointCoordinatorForm(),
        },
    )


ROLE_HISTORY_LABELS = {
    "accounts.role.assign": gettext_lazy("Role given"),
    "accounts.role.change": gettext_lazy("Role changed"),
    "accounts.role.remove": gettext_lazy("Removed from the organisation"),
    "accounts.role.leave": gettext_lazy("Left the organisation"),
}
MEMBERSHIP_ROLE_LABELS = {
    Membership.Role.MANAGER: pgettext_lazy("organisation role", "Admin"),
    Membership.Role.MEMBER: gettext_lazy("Member"),
}


def _role_history(request, organisation, emails_readable: bool):
    """A page of the organisation's role history: who did it and the person (their names; their addresses
    where the viewer reads the members' addresses), the role before and after."""

    def name(user) -> str:
        return user.get_full_name() or (user.email if emails_readable else "—")

    def lines(entry) -> list[tuple[str, str, str]]:
        return [
            (_("Person"), "", name(entry.subject) if entry.subject else "—"),
            (
                _("Role"),
                MEMBERSHIP_ROLE_LABELS.get(entry.from_state, ""),
                MEMBERSHIP_ROLE_LABELS.get(entry.to_state, ""),
            ),
        ]

    page = paginate(
        request, role_history(organisation).select_related("actor", "subject"), per_page=25, param="history"
    )
    return readable(page, ROLE_HISTORY_LABELS, lines, name)


def _organisation_members_context(request, organisation):
    user = request.user
    q = _search(request)
    memberships = _people_search(
        Membership.objects.filter(organisation=organisation).select_related("user"), q
    ).order_by("-role", "user__last_name", "user__first_name", "user__email")
    page = paginate(request, memberships)
    people_by_user = {
        person.user_id: person
        for person in Person.objects.filter(
            organisation=organisation, user_id__in=[membership.user_id for membership in page]
        )
    }
    for membership in page:
        membership.person = people_by_user.get(membership.user_id)
        membership.role_kind = ROLE_KIND_OF_MEMBERSHIP[membership.role]
    administers = administers_organisation(user, organisation)
    context = {
        "organisation": organisation,
        "page": page,
        "q": q,
        "search_form": member_forms.SearchForm(request.GET),
        "querystring": _querystring(request, "page"),
        "emails_readable": may_read_member_emails(user, organisation.pk),
        "administers": administers,
        "own_membership": Membership.objects.filter(user=user, organisation=organisation).first(),
        "role_choices": member_forms.ORGANISATION_ROLE_CHOICES,
        "add_form": member_forms.AddMemberForm(),
        "leave_form": member_forms.LeaveForm(),
    }
    if administers:
        unlinked = Person.objects.filter(organisation=organisation, user__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )
        context["unlinked_people"] = paginator_for(unlinked, PAGE_SIZE).get_page(request.GET.get("people"))
        context["people_querystring"] = _querystring(request, "people")
        context["link_form"] = member_forms.LinkPersonForm()
    if user.has_perm("accounts.view_role_history", organisation):
        context["history"] = _role_history(request, organisation, context["emails_readable"])
        context["history_querystring"] = _querystring(request, "history")
    if organisation.org_type == OrganisationType.CLUSTER:
        orgs = ClusterMembership.objects.filter(cluster=organisation).select_related("member")
        if q:
            orgs = orgs.filter(member__name__icontains=q)
        context["member_organisations"] = paginator_for(
            orgs.order_by("member__name", "pk"), PAGE_SIZE
        ).get_page(request.GET.get("orgs"))
        context["orgs_querystring"] = _querystring(request, "orgs")
        context["may_ask_member_organisations"] = user.has_perm(
            "directory.add_clustermembershiprequest", organisation
        )
    return context


@login_required
def organisation_members(request, slug):
    """An organisation's people with an account, their roles and since when; for a cluster, also its
    member organisations; for its administrators, the person records not linked to an account."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "accounts.view_organisation_members", organisation)
    return render(
        request, "accounts/organisation_members.html", _organisation_members_context(request, organisation)
    )


def _visible_membership(request, pk):
    return get_object_or_404(
        memberships_visible_to(request.user).select_related("user", "organisation"), pk=pk
    )


def _back_to_members(organisation):
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def membership_change(request, pk):
    membership = _visible_membership(request, pk)
    form = member_forms.ChangeRoleForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: role_actions.change_role(request.user, membership, form.cleaned_data["role"]),
        success=_("The role of %(person)s was changed.") % {"person": membership.user},
    )
    return _back_to_members(membership.organisation)


@login_required
@require_POST
def membership_remove(request, pk):
    membership = _visible_membership(request, pk)
    form = member_forms.RemoveForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: role_actions.remove_role(request.user, membership, form.cleaned_data["reason"]),
        success=sentence(
            _("%(person)s was removed from %(organisation)s."),
            person=membership.user,
            organisation=membership.organisation,
        ),
    )
    return _back_to_members(membership.organisation)


@login_required
@require_POST
def membership_add(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "accounts.view_organisation_members", organisation)
    form = member_forms.AddMemberForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: role_actions.grant_role(
            request.user, form.cleaned_data["account"], form.cleaned_data["role"], organisation
        ),
        success=lambda _role: _("%(person)s was added.") % {"person": form.cleaned_data["account"]},
    )
    return _back_to_members(organisation)


@login_required
@require_POST
def organisation_leave(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = member_forms.LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _back_to_members(organisation)
    done = attempt(
        request,
        lambda: role_actions.leave_organisation(
            request.user, organisation, successor=form.cleaned_data["successor"]
        ),
        success=sentence(_("You left %(organisation)s."), organisation=organisation),
    )
    if done or not request.user.has_perm("accounts.view_organisation_members", organisation):
        return redirect("accounts:members")
    return _back_to_members(organisation)


@login_required
@require_POST
def coordinator_appoint(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    require(request.user, "accounts.view_programme_members", programme)
    form = member_forms.AppointCoordinatorForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: role_actions.grant_role(request.user, form.cleaned_data["account"], COORDINATOR, programme),
        success=lambda _role: (
            _("%(person)s is now a coordinator.") % {"person": form.cleaned_data["account"]}
        ),
    )
    return redirect("accounts:programme_members", slug=programme.slug)


@login_required
@require_POST
def coordinator_remove(request, pk):
    role = get_object_or_404(
        coordinator_roles_visible_to(request.user).select_related("user", "programme"), pk=pk
    )
    done = attempt(
        request,
        lambda: role_actions.remove_coordinator(request.user, role),
        success=_("%(person)s is no longer a coordinator.") % {"person": role.user},
    )
    if done and not request.user.has_perm("accounts.view_programme_members", role.programme):
        return redirect("accounts:members")
    return redirect("accounts:programme_members", slug=role.programme.slug)


def _administered_person(request, pk):
    """A person record of an organisation the user administers (404 for any other)."""
    administered = administered_organisations(request.user)
    people = Person.objects.select_related("organisation", "user")
    if administered is not None:
        people = people.filter(organisation__in=administered)
    return get_object_or_404(people, pk=pk)


@login_required
@require_POST
def person_link(request, pk):
    person = _administered_person(request, pk)
    form = member_forms.LinkPersonForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: role_actions.link_person_record(request.user, person, form.cleaned_data["account"]),
        success=lambda _person: (
            _("%(person)s is linked to the account %(email)s.")
            % {"person": person, "email": form.cleaned_data["account"].email}
        ),
    )
    return _back_to_members(person.organisation)


@login_required
@require_POST
def person_unlink(request, pk):
    person = _administered_person(request, pk)
    attempt(
        request,
        lambda: role_actions.unlink_person_record(request.user, person),
        success=_("%(person)s is no longer linked to an account.") % {"person": person},
    )
    return _back_to_members(person.organisation)


def logout(request, *args, **kwargs):
    """allauth's logout, which also has the browser forget what this site stored on the device: the
    participant's agenda that the agenda's service worker keeps for offline reading (events) must not
    outlive the session on a shared phone or computer."""
    response = allauth_logout(request, *args, **kwargs)
    if request.method == "POST" and not request.user.is_authenticated:
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response
