"""Directory pages: thin — parse, check permission, call the domain, render."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts.models import Membership
from clusterxchange.core.cached_counts import cached_html
from clusterxchange.core.files import table_download
from clusterxchange.core.forms import attempt, save_form
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.tabular import TableError, read_table, stash_upload, take_stashed_upload
from clusterxchange.directory import domain, joining
from clusterxchange.directory.audiences import Viewer, log_refusal, withheld
from clusterxchange.directory.columns import (
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    organisation_row,
    person_row,
)
from clusterxchange.directory.disclosure import (
    ORGANISATION,
    PERSON,
    organisation_audiences,
    person_audiences,
    readable_organisation_fields,
    reads_some_contacts,
    with_contact_flags,
)
from clusterxchange.directory.filters import OpportunityFilter, OrganisationFilter, PersonFilter
from clusterxchange.directory.forms import (
    DecisionForm,
    FindOrganisationForm,
    ImportForm,
    JoinRequestForm,
    OpportunityForm,
    OrganisationForm,
    PersonForm,
    RegistrationForm,
)
from clusterxchange.directory.imports import import_organisations, import_people
from clusterxchange.directory.matching import partner_suggestions
from clusterxchange.directory.models import (
    JoinRequest,
    Opportunity,
    Organisation,
    OrganisationRegistration,
    OrganisationType,
    Person,
    RequestStatus,
)
from clusterxchange.directory.rules import (
    join_requests_to_decide,
    may_decide_anything,
    pending_decision_count,
    registrations_to_decide,
)
from clusterxchange.directory.signals import COUNT_SCOPE, person_viewed

EXPORT_LIMIT = 50_000


def _export_withheld(request, declaration, columns: list[str], kind: str) -> list[str]:
    """The columns this user reads on no row of the list (empty in the file): named and logged."""
    names = withheld(declaration, Viewer.of(request.user), columns)
    if names:
        log_refusal(request.user, f"{kind} export columns", names)
    return names


def organisation_list(request, clusters_only: bool = False):
    queryset = Organisation.objects.all()
    if clusters_only:
        queryset = queryset.filter(org_type=OrganisationType.CLUSTER)
    filterset = OrganisationFilter(request.GET, queryset=queryset)
    if clusters_only:  # every organisation listed is a cluster: no type to choose
        del filterset.form.fields["org_type"]
    organisations = filterset.qs.prefetch_related("ecosystems")
    export_format = request.GET.get("export")
    if export_format in {"csv", "xlsx"}:
        kind = "clusters" if clusters_only else "organisations"
        viewer = Viewer.of(request.user)
        rows = (
            organisation_row(org, ORGANISATION.readable(organisation_audiences(viewer, org), org))
            for org in organisations.prefetch_related("sectors", "clusters")[:EXPORT_LIMIT]
        )
        hidden = _export_withheld(request, ORGANISATION, ORGANISATION_COLUMNS, kind)
        return table_download(kind, export_format, ORGANISATION_COLUMNS, rows, hidden)
    page = paginate(request, organisations, count_scope=COUNT_SCOPE)
    # The filters and results are the same for every reader (public fields only): kept in the cache
    # until an organisation changes, keyed by the query string.
    key = (clusters_only, sorted(request.GET.lists()))
    shared = {"filter": filterset, "page": page, "querystring": querystring_without_page(request)}
    results = cached_html(COUNT_SCOPE, "directory/_organisation_results.html", shared, key)
    if request.htmx:
        return HttpResponse(results)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "filters": cached_html(COUNT_SCOPE, "directory/_organisation_filters.html", shared, key),
            "results": results,
            "clusters_only": clusters_only,
            "can_add": request.user.has_perm("directory.add_organisation"),
            "can_import": request.user.has_perm("directory.import"),
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("ecosystems", "sectors", "clusters"), slug=slug
    )
    opportunities = organisation.opportunities.select_related("type")
    can_edit = request.user.has_perm("directory.change_organisation", organisation)
    if not can_edit:
        opportunities = opportunities.visible_to_public()
    people = organisation.people.prefetch_related("languages")
    if not request.user.has_perm("directory.view_contact_details"):
        people = people.filter(listed=True)
    people = with_contact_flags(request.user, people)
    members = None
    partnerships = []
    if organisation.is_cluster:
        members = organisation.cluster_members.order_by("name")
        # The cluster's own reporting pages (its exchanges and their map) for those who may see them.
        partnerships = [
            partner
            for partner in organisation.programme_partnerships.select_related("programme")
            if request.user.has_perm("reporting.view_partner_records", partner)
        ]
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "opportunities": opportunities,
            "people": people,
            "people_contacts": any(person.contacts_readable for person in people),
            "members": members,
            "partnerships": partnerships,
            "can_edit": can_edit,
            "members_page": request.user.has_perm("accounts.view_organisation_members", organisation),
            "fields": readable_organisation_fields(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not request.user.has_perm("directory.add_organisation"):
        raise PermissionDenied
    roles = roles_of(request.user)
    cluster = None
    if not roles.is_coordinator:
        cluster = Organisation.objects.filter(pk__in=roles.managed_cluster_ids).order_by("name").first()
    form = OrganisationForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda f: domain.create_organisation(
            request.user,
            f.domain_fields(),
            ecosystems=f.cleaned_data["ecosystems"],
            sectors=f.cleaned_data["sectors"],
            cluster=cluster,
        ),
        _("The organisation was created."),
        "directory/organisation_form.html",
        {"cluster": cluster},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    return save_form(
        request,
        form,
        lambda f: domain.update_organisation(
            request.user,
            organisation,
            f.domain_fields(),
            ecosystems=f.cleaned_data["ecosystems"],
            sectors=f.cleaned_data["sectors"],
            expected_version=f.expected_version,
        ),
        _("Your changes were saved."),
        "directory/organisation_form.html",
        {"organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_delete(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.delete_organisation", organisation):
        raise PermissionDenied
    if request.method == "POST":
        deleted = attempt(
            request,
            lambda: domain.delete_organisation(request.user, organisation),
            success=_("“%(name)s” was deleted.") % {"name": organisation.name},
        )
        return redirect("directory:organisations") if deleted else redirect(organisation)
    return render(request, "directory/confirm_delete.html", {"object": organisation})


def person_list(request):
    queryset = Person.objects.select_related("organisation").prefetch_related("languages")
    show_contacts = request.user.has_perm("directory.view_contact_details")
    if not show_contacts:
        queryset = queryset.filter(listed=True)
    filterset = PersonFilter(request.GET, queryset=queryset)
    export_format = request.GET.get("export")
    if export_format in {"csv", "xlsx"}:
        viewer = Viewer.of(request.user)
        rows = (
            person_row(person, PERSON.readable(person_audiences(viewer, person)))
            for person in filterset.qs[:EXPORT_LIMIT]
        )
        hidden = _export_withheld(request, PERSON, PERSON_COLUMNS, "people")
        return table_download("people", export_format, PERSON_COLUMNS, rows, hidden)
    page = paginate(request, filterset.qs)
    page.object_list = with_contact_flags(request.user, page.object_list)
    return render(
        request,
        "directory/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "show_contacts": reads_some_contacts(request.user),
            "querystring": querystring_without_page(request),
        },
    )


def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("directory.view_person", person):
        raise PermissionDenied
    person_viewed.send(Person, actor=request.user, person=person)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "show_contacts": with_contact_flags(request.user, [person])[0].contacts_readable,
            "can_edit": request.user.has_perm("directory.change_person", person),
        },
    )


def opportunity_list(request):
    queryset = Opportunity.objects.visible_to_public().select_related("organisation", "type")
    filterset = OpportunityFilter(request.GET, queryset=queryset)
    return render(
        request,
        "directory/opportunity_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "querystring": querystring_without_page(request),
        },
    )


def opportunity_detail(request, pk):
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "type").prefetch_related("ecosystems"), pk=pk
    )
    if not request.user.has_perm("directory.view_opportunity", opportunity):
        raise PermissionDenied
    return render(
        request,
        "directory/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "can_edit": request.user.has_perm("directory.change_opportunity", opportunity),
        },
    )


@dataclass(frozen=True)
class _Owned:
    """A kind of record an organisation owns, added and edited on its own form page: its model,
    form, name (in its permissions, template and context), the form's many-to-many field the domain
    takes apart, and its domain actions."""

    model: type
    form: type
    name: str
    relations: str
    create: Callable
    update: Callable
    created: str


PEOPLE = _Owned(
    Person,
    PersonForm,
    "person",
    "languages",
    domain.create_person,
    domain.update_person,
    gettext_lazy("The person was added."),
)
OPPORTUNITIES = _Owned(
    Opportunity,
    OpportunityForm,
    "opportunity",
    "ecosystems",
    domain.create_opportunity,
    domain.update_opportunity,
    gettext_lazy("The opportunity was saved."),
)


@login_required
@require_http_methods(["GET", "POST"])
def owned_create(request, slug, kind: _Owned):
    """Add a record of ``kind`` (PEOPLE or OPPORTUNITIES, given by the URL) to an organisation."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(f"directory.add_{kind.name}", organisation):
        raise PermissionDenied
    return save_form(
        request,
        kind.form(request.POST or None),
        lambda f: kind.create(
            request.user, organisation, f.domain_fields(), **{kind.relations: f.cleaned_data[kind.relations]}
        ),
        kind.created,
        f"directory/{kind.name}_form.html",
        {"organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def owned_edit(request, pk, kind: _Owned):
    record = get_object_or_404(kind.model.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm(f"directory.change_{kind.name}", record):
        raise PermissionDenied
    return save_form(
        request,
        kind.form(request.POST or None, instance=kind.model.objects.get(pk=pk)),
        lambda f: kind.update(
            request.user,
            record,
            f.domain_fields(),
            **{kind.relations: f.cleaned_data[kind.relations]},
            expected_version=f.expected_version,
        ),
        _("Your changes were saved."),
        f"directory/{kind.name}_form.html",
        {"organisation": record.organisation, kind.name: record},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """Upload → dry run listing every invalid row → confirm → write all rows or none."""
    if not request.user.has_perm("directory.import"):
        raise PermissionDenied
    roles = roles_of(request.user)
    clusters = Organisation.objects.filter(org_type=OrganisationType.CLUSTER)
    if not roles.is_coordinator:
        clusters = clusters.filter(pk__in=roles.managed_cluster_ids)
    confirm_token = request.POST.get("confirm_token", "")
    form = ImportForm(request.POST or None, request.FILES or None, clusters=clusters)
    if confirm_token:
        form.fields["file"].required = False
    report, confirm_fields = None, {}
    if request.method == "POST" and form.is_valid():
        cluster = form.cleaned_data["cluster"]
        upload = form.cleaned_data["file"]
        stashed = take_stashed_upload(request, confirm_token) if confirm_token else None
        if cluster is None and not roles.is_coordinator:
            form.add_error("cluster", _("Choose the cluster that the organisations join."))
        elif confirm_token and stashed is None:
            form.add_error("file", _("The checked file has expired; upload it again."))
        else:
            name, content = stashed if stashed else (upload.name, upload.read())
            try:
                table = read_table(name, content)
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                dry_run = stashed is None
                if form.cleaned_data["kind"] == "people":
                    report = import_people(request.user, table, dry_run=dry_run)
                else:
                    report = import_organisations(request.user, table, dry_run=dry_run, cluster=cluster)
                if report.ok and not dry_run:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d record was imported.",
                            "%(count)d records were imported.",
                            report.created,
                        )
                        % {"count": report.created},
                    )
                    return redirect(
                        "directory:people" if report.kind == "people" else "directory:organisations"
                    )
                if report.ok:
                    confirm_fields = {
                        "confirm_token": stash_upload(request, name, content),
                        "kind": form.cleaned_data["kind"],
                    }
                    if cluster is not None:
                        confirm_fields["cluster"] = cluster.pk
    return render(
        request, "directory/import.html", {"form": form, "report": report, "confirm_fields": confirm_fields}
    )


def cluster_list(request):
    return organisation_list(request, clusters_only=True)


@login_required
def organisation_suggestions(request, slug):
    """Suggested partners: private to those who manage the organisation's profile."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied
    return render(
        request,
        "directory/organisation_suggestions.html",
        {"organisation": organisation, "suggestions": partner_suggestions(organisation)},
    )


# Joining: the welcome page, find an organisation and ask to join, register one, decide -----------------


def _requests_of(user):
    join_requests = list(
        JoinRequest.objects.filter(user=user).select_related("organisation").order_by("-created_at")[:20]
    )
    registrations = list(
        OrganisationRegistration.objects.filter(user=user)
        .select_related("cluster", "organisation")
        .order_by("-created_at")[:20]
    )
    for join_request in join_requests:
        if join_request.is_pending:
            join_request.deciders = joining.deciders_of_join_request(join_request)
    for registration in registrations:
        if registration.is_pending:
            registration.deciders = joining.deciders_of_registration(registration)
    return join_requests, registrations


@login_required
def welcome(request):
    """Next steps for a logged-in person: what they can do now and what they are waiting for."""
    user = request.user
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    )
    join_requests, registrations = _requests_of(user)
    roles = roles_of(user)
    return render(
        request,
        "directory/join/welcome.html",
        {
            "memberships": memberships,
            "join_requests": join_requests,
            "registrations": registrations,
            "waiting": any(item.is_pending for item in [*join_requests, *registrations]),
            "find_form": FindOrganisationForm(),
            "is_coordinator": roles.is_coordinator,
            "can_apply": user.has_perm("exchanges.add_exchange"),
            "person": Person.objects.filter(user=user).first(),
            "to_decide": pending_decision_count(user),
        },
    )


@login_required
def find_organisation(request):
    form = FindOrganisationForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(joining.find_organisations(query)) if query else []
    if results:
        ids = [organisation.pk for organisation in results]
        member_of = set(
            Membership.objects.filter(user=request.user, organisation_id__in=ids).values_list(
                "organisation_id", flat=True
            )
        )
        asked = set(
            JoinRequest.objects.filter(
                user=request.user, organisation_id__in=ids, status=RequestStatus.PENDING
            ).values_list("organisation_id", flat=True)
        )
        for organisation in results:
            organisation.is_mine = organisation.pk in member_of
            organisation.asked = organisation.pk in asked
    return render(
        request,
        "directory/join/find.html",
        {"form": form, "query": query, "results": results, "limit": joining.SEARCH_LIMIT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask_to_join(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = JoinRequestForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda form: (
            joining.ask_to_join(request.user, organisation, form.cleaned_data["message"]) and "join:welcome"
        ),
        _("Your request was sent. You will get an email when it is decided."),
        "directory/join/ask.html",
        {"organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_organisation(request):
    clusters = joining.partner_clusters()
    form = RegistrationForm(request.POST or None, clusters=clusters)
    similar = []
    if request.method == "POST" and form.is_valid():
        similar = joining.similar_organisations(
            form.cleaned_data["name"], str(form.cleaned_data["country"]), form.cleaned_data["website"]
        )
    form.ask_confirmation(bool(similar) or bool(request.POST.get("confirm_different")))
    return save_form(
        request,
        form,
        lambda form: (
            joining.register_organisation(
                request.user,
                form.domain_fields(),
                form.cleaned_data["cluster"],
                message=form.cleaned_data["message"],
                confirm_different=form.cleaned_data["confirm_different"],
            )
            and "join:welcome"
        ),
        _(
            "Your organisation was registered. It appears in the directory once the cluster's managers approve it."
        ),
        "directory/join/register.html",
        {"similar": similar},
    )


@login_required
def requests_to_decide(request):
    if not may_decide_anything(request.user):
        raise PermissionDenied
    join_requests = join_requests_to_decide(request.user).select_related("user", "organisation")
    registrations = registrations_to_decide(request.user).select_related("user", "cluster")
    return render(
        request,
        "directory/join/requests.html",
        {
            "join_requests": paginate(request, join_requests.order_by("created_at", "pk"), param="joins"),
            "joins_query": querystring_without_page(request, "joins"),
            "registrations": paginate(request, registrations.order_by("created_at", "pk"), param="new"),
            "new_query": querystring_without_page(request, "new"),
            "form": DecisionForm(),
        },
    )


def _decide(request, obj, permission: str, action):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse."))
        return redirect("join:requests")
    approve = form.cleaned_data["decision"] == "approve"
    attempt(
        request,
        lambda: action(request.user, obj, approve, form.cleaned_data["reason"]),
        success=_("Approved.") if approve else _("Refused; the person was told why."),
    )
    return redirect("join:requests")


@login_required
@require_POST
def decide_join_request(request, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("organisation"), pk=pk)
    return _decide(request, join_request, "directory.decide_joinrequest", joining.decide_join_request)


@login_required
@require_POST
def decide_registration(request, pk):
    registration = get_object_or_404(OrganisationRegistration.objects.select_related("cluster"), pk=pk)
    return _decide(
        request, registration, "directory.decide_organisationregistration", joining.decide_registration
    )


@login_required
@require_POST
def withdraw_join_request(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk)
    if not request.user.has_perm("directory.withdraw_joinrequest", join_request):
        raise PermissionDenied
    attempt(
        request,
        lambda: joining.withdraw_join_request(request.user, join_request),
        success=_("Your request was withdrawn."),
    )
    return redirect("join:welcome")


@login_required
@require_POST
def withdraw_registration(request, pk):
    registration = get_object_or_404(OrganisationRegistration, pk=pk)
    if not request.user.has_perm("directory.withdraw_organisationregistration", registration):
        raise PermissionDenied
    attempt(
        request,
        lambda: joining.withdraw_registration(request.user, registration),
        success=_("Your registration was withdrawn."),
    )
    return redirect("join:welcome")
