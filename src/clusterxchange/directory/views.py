"""Directory pages: thin — parse, check permission, call the domain, render."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from clusterxchange.core.cached_counts import cached_html
from clusterxchange.core.domain import require
from clusterxchange.core.files import table_download
from clusterxchange.core.forms import active_filters, attempt, live_search_answer, save_form
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.tabular import TableError, read_table, stash_upload, take_stashed_upload
from clusterxchange.directory import domain
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
    ImportForm,
    OpportunityForm,
    OrganisationForm,
    PersonForm,
)
from clusterxchange.directory.imports import import_organisations, import_people
from clusterxchange.directory.matching import partner_suggestions
from clusterxchange.directory.models import (
    Opportunity,
    OpportunityStatus,
    Organisation,
    OrganisationType,
    Person,
    RequestStatus,
)
from clusterxchange.directory.rules import (
    clusters_to_act_for,
    interest_organisations,
    interests_received,
    interests_sent,
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
        return live_search_answer(request, results, filterset.form)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "filters": cached_html(COUNT_SCOPE, "directory/_organisation_filters.html", shared, key),
            "results": results,
            "clusters_only": clusters_only,
            "active_filters": active_filters(filterset.form, request.GET),
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
    require(request.user, "directory.add_organisation")
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
    require(request.user, "directory.change_organisation", organisation)
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
    require(request.user, "directory.delete_organisation", organisation)
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
            "active_filters": active_filters(filterset.form, request.GET),
            "page": page,
            "show_contacts": reads_some_contacts(request.user),
            "querystring": querystring_without_page(request),
        },
    )


def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    require(request.user, "directory.view_person", person)
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
            "active_filters": active_filters(filterset.form, request.GET),
            "page": paginate(request, filterset.qs),
            "querystring": querystring_without_page(request),
        },
    )


def opportunity_detail(request, pk):
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "type").prefetch_related("ecosystems"), pk=pk
    )
    require(request.user, "directory.view_opportunity", opportunity)
    organisation = opportunity.organisation
    user = request.user
    can_edit = user.has_perm("directory.change_opportunity", opportunity)
    is_open = opportunity.status == OpportunityStatus.PUBLISHED and not opportunity.is_expired
    may_send = is_open and user.has_perm("directory.add_opportunityinterest", opportunity)
    sent = list(interests_sent(user).filter(opportunity=opportunity).select_related("organisation"))
    waiting = {interest.organisation_id for interest in sent if interest.is_pending}
    return render(
        request,
        "directory/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "can_edit": can_edit,
            # the way to answer is an expression of interest; the address stays for the others who may read it
            "contact_email": organisation.email
            if not may_send and not can_edit and "email" in readable_organisation_fields(user, organisation)
            else "",
            # the organisations that may still express interest (one waiting interest each)
            "interest_organisations": [
                o for o in interest_organisations(user, opportunity) if o.pk not in waiting
            ]
            if may_send
            else [],
            "interests_sent": sent,
            "interests_waiting": interests_received(user)
            .filter(opportunity=opportunity, status=RequestStatus.PENDING)
            .count(),
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
    require(request.user, f"directory.add_{kind.name}", organisation)
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
    require(request.user, f"directory.change_{kind.name}", record)
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
    require(request.user, "directory.import")
    roles = roles_of(request.user)
    clusters = clusters_to_act_for(request.user)
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
    require(request.user, "directory.change_organisation", organisation)
    return render(
        request,
        "directory/organisation_suggestions.html",
        {"organisation": organisation, "suggestions": partner_suggestions(organisation)},
    )
