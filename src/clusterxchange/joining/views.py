"""The joining pages, under /welcome/: what a logged-in person does next, find an organisation and ask
to join it, register a new one, and the requests to decide. Thin: parse, check permission, call
`domain`, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts.models import Membership
from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, attempt_form, save_form
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import (
    ClusterMembership,
    ClusterMembershipRequest,
    JoinRequest,
    Opportunity,
    OpportunityInterest,
    Organisation,
    OrganisationRegistration,
    OrganisationType,
    Person,
    RequestStatus,
)
from clusterxchange.directory.rules import interest_organisations, interests_received, interests_sent
from clusterxchange.joining import domain
from clusterxchange.joining.forms import (
    ClusterRequestForm,
    DecisionForm,
    FindOrganisationForm,
    InterestForm,
    JoinRequestForm,
    RegistrationForm,
)
from clusterxchange.joining.rules import (
    cluster_requests_to_decide,
    interest_oversight,
    interests_overseen,
    join_requests_to_decide,
    may_decide_anything,
    pending_decision_count,
    registrations_to_decide,
)
from clusterxchange.programmes.models import Programme
from clusterxchange.programmes.steps import setup_steps


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
            join_request.deciders = domain.deciders_of_join_request(join_request)
    for registration in registrations:
        if registration.is_pending:
            registration.deciders = domain.deciders_of_registration(registration)
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
        "joining/welcome.html",
        {
            "coordinated": _coordinated_setups(roles),
            "managed_clusters": Organisation.objects.filter(pk__in=roles.managed_cluster_ids).order_by(
                "name"
            ),
            "can_create_event": roles.is_cluster_manager and user.has_perm("events.add_event"),
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


def _coordinated_setups(roles) -> list[tuple[Programme, list]]:
    """The programmes a coordinator coordinates, each with the set-up steps still missing something
    (the set-up overview's own steps), so the next steps page can send them where work is left."""
    if not roles.is_coordinator:
        return []
    programmes = Programme.objects.filter(pk__in=roles.coordinator_programme_ids).order_by("-start_date")
    return [
        (programme, [step for step in setup_steps(programme) if not step.done]) for programme in programmes
    ]


@login_required
def find_organisation(request):
    form = FindOrganisationForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(domain.find_organisations(query)) if query else []
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
        "joining/find.html",
        {"form": form, "query": query, "results": results, "limit": domain.SEARCH_LIMIT},
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
            domain.ask_to_join(request.user, organisation, form.cleaned_data["message"]) and "join:welcome"
        ),
        _("Your request was sent. You will get an email when it is decided."),
        "joining/ask.html",
        {"organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_organisation(request):
    clusters = domain.partner_clusters()
    form = RegistrationForm(request.POST or None, clusters=clusters)
    similar = []
    if request.method == "POST" and form.is_valid():
        similar = domain.similar_organisations(
            form.cleaned_data["name"], str(form.cleaned_data["country"]), form.cleaned_data["website"]
        )
    form.ask_confirmation(bool(similar) or bool(request.POST.get("confirm_different")))
    return save_form(
        request,
        form,
        lambda form: (
            domain.register_organisation(
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
        "joining/register.html",
        {"similar": similar},
    )


@login_required
def requests_to_decide(request):
    if not may_decide_anything(request.user):
        raise PermissionDenied(_("Only organisation admins and coordinators decide requests."))
    join_requests = join_requests_to_decide(request.user).select_related("user", "organisation")
    registrations = registrations_to_decide(request.user).select_related("user", "cluster")
    cluster_requests = cluster_requests_to_decide(request.user).select_related(
        "user", "cluster", "organisation"
    )
    return render(
        request,
        "joining/requests.html",
        {
            "join_requests": paginate(request, join_requests.order_by("created_at", "pk"), param="joins"),
            "joins_query": querystring_without_page(request, "joins"),
            "registrations": paginate(request, registrations.order_by("created_at", "pk"), param="new"),
            "new_query": querystring_without_page(request, "new"),
            "cluster_requests": paginate(
                request, cluster_requests.order_by("created_at", "pk"), param="clusters"
            ),
            "clusters_query": querystring_without_page(request, "clusters"),
            "form": DecisionForm(),
        },
    )


def _decide(request, obj, permission: str, action, section: str):
    """Decide `obj` with the domain `action`, then back to the requests page where it was decided, at
    its `section` (the decided request leaves the list)."""
    require(request.user, permission, obj)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse."))
        return back_to_list(request, reverse("join:requests"), section)
    approve = form.cleaned_data["decision"] == "approve"
    attempt(
        request,
        lambda: action(request.user, obj, approve, form.cleaned_data["reason"]),
        success=_("Approved.") if approve else _("Refused; the person was told why."),
    )
    return back_to_list(request, reverse("join:requests"), section)


@login_required
@require_POST
def decide_join_request(request, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("organisation"), pk=pk)
    return _decide(
        request, join_request, "directory.decide_joinrequest", domain.decide_join_request, "join-title"
    )


@login_required
@require_POST
def decide_registration(request, pk):
    registration = get_object_or_404(OrganisationRegistration.objects.select_related("cluster"), pk=pk)
    return _decide(
        request,
        registration,
        "directory.decide_organisationregistration",
        domain.decide_registration,
        "registrations-title",
    )


@login_required
@require_POST
def withdraw_join_request(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk)
    require(request.user, "directory.withdraw_joinrequest", join_request)
    attempt(
        request,
        lambda: domain.withdraw_join_request(request.user, join_request),
        success=_("Your request was withdrawn."),
    )
    return redirect("join:welcome")


@login_required
@require_POST
def withdraw_registration(request, pk):
    registration = get_object_or_404(OrganisationRegistration, pk=pk)
    require(request.user, "directory.withdraw_organisationregistration", registration)
    attempt(
        request,
        lambda: domain.withdraw_registration(request.user, registration),
        success=_("Your registration was withdrawn."),
    )
    return redirect("join:welcome")


# A cluster asks an organisation of the directory to join it: find, ask, decide (above), withdraw ----------


def _cluster_asked_by(request, slug) -> Organisation:
    cluster = get_object_or_404(Organisation, slug=slug, org_type=OrganisationType.CLUSTER)
    require(request.user, "directory.add_clustermembershiprequest", cluster)
    return cluster


@login_required
def cluster_find(request, slug):
    """Find an organisation of the directory (name, VAT number, website) to ask it to join the cluster;
    the cluster's pending requests below."""
    cluster = _cluster_asked_by(request, slug)
    form = FindOrganisationForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(domain.find_organisations(query)) if query else []
    ids = [organisation.pk for organisation in results]
    members = set(
        ClusterMembership.objects.filter(cluster=cluster, member_id__in=ids).values_list(
            "member_id", flat=True
        )
    )
    pending = ClusterMembershipRequest.objects.filter(cluster=cluster, status=RequestStatus.PENDING)
    asked = set(pending.filter(organisation_id__in=ids).values_list("organisation_id", flat=True))
    for organisation in results:
        organisation.is_member = organisation.pk in members
        organisation.asked = organisation.pk in asked
        organisation.is_self = organisation.pk == cluster.pk
    return render(
        request,
        "joining/cluster_find.html",
        {
            "cluster": cluster,
            "form": form,
            "query": query,
            "results": results,
            "limit": domain.SEARCH_LIMIT,
            "pending": pending.select_related("organisation", "user").order_by("created_at", "pk")[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_ask(request, slug, organisation_slug):
    cluster = _cluster_asked_by(request, slug)
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    form = ClusterRequestForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda form: domain.ask_to_join_cluster(
            request.user, cluster, organisation, form.cleaned_data["message"]
        ),
        _("The request was sent to the organisation's admins. You will get an email when it is decided."),
        "joining/cluster_ask.html",
        {"cluster": cluster, "organisation": organisation},
        redirect_to=reverse("join:cluster_find", args=[cluster.slug]),
    )


@login_required
@require_POST
def decide_cluster_request(request, pk):
    cluster_request = get_object_or_404(
        ClusterMembershipRequest.objects.select_related("cluster", "organisation"), pk=pk
    )
    return _decide(
        request,
        cluster_request,
        "directory.decide_clustermembershiprequest",
        domain.decide_cluster_request,
        "clusters-title",
    )


@login_required
@require_POST
def withdraw_cluster_request(request, pk):
    cluster_request = get_object_or_404(ClusterMembershipRequest.objects.select_related("cluster"), pk=pk)
    require(request.user, "directory.withdraw_clustermembershiprequest", cluster_request)
    attempt(
        request,
        lambda: domain.withdraw_cluster_request(request.user, cluster_request),
        success=_("The request was withdrawn."),
    )
    return redirect("join:cluster_find", slug=cluster_request.cluster.slug)


# Expressions of interest in a cooperation opportunity: send (from its page), list, decide, withdraw --------

INTEREST_TABS = {"received": interests_received, "sent": interests_sent, "overseen": interests_overseen}


def _interest_tabs(user) -> dict[str, str]:
    """The tabs of the Interests page the user has, with their labels: received and sent for everyone;
    the interests in the organisations they administer for cluster managers and coordinators."""
    tabs = {"received": _("Received"), "sent": _("Sent")}
    oversight = interest_oversight(user)
    if oversight is not None:
        tabs["overseen"] = _("In the programme") if oversight == "programme" else _("In my clusters")
    return tabs


def _interests_url(tab) -> str:
    return f"{reverse('join:interests')}?tab={tab if tab in INTEREST_TABS else 'received'}"


@login_required
@require_POST
def send_interest(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation"), pk=pk)
    require(request.user, "directory.add_opportunityinterest", opportunity)
    form = InterestForm(request.POST, organisations=interest_organisations(request.user, opportunity))
    attempt_form(
        request,
        form,
        lambda: domain.send_interest(
            request.user, opportunity, form.cleaned_data["organisation"], form.cleaned_data["message"]
        ),
        success=_("Your interest was sent. You will get an email when the organisation answers."),
    )
    return redirect(opportunity)


@login_required
def interests(request):
    """The interests of the user's organisations: received on their opportunities, or sent; for cluster
    managers and coordinators also those in the organisations they administer (a tab only they have); by
    status. Once one is accepted, each side sees the other's contact email (whoever decides for the
    opportunity's organisation sees the sender's)."""
    tabs = _interest_tabs(request.user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "received"
    queryset = (
        INTEREST_TABS[tab](request.user)
        .select_related("user", "organisation", "opportunity__organisation", "decided_by")
        # A cluster manager may decide for the members of their clusters: one query for the page.
        .prefetch_related("opportunity__organisation__memberships_as_member")
    )
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    page = paginate(request, queryset.order_by("-created_at", "-pk"))
    for interest in page:
        interest.may_decide = interest.is_pending and request.user.has_perm(
            "directory.decide_opportunityinterest", interest
        )
        interest.may_withdraw = interest.is_pending and request.user.has_perm(
            "directory.withdraw_opportunityinterest", interest
        )
    return render(
        request,
        "joining/interests.html",
        {
            "tab": tab,
            "tabs": tabs,
            "status": status,
            "statuses": RequestStatus.choices,
            "interests": page,
            "querystring": querystring_without_page(request),
        },
    )


def _interest(request, pk, permission: str) -> OpportunityInterest:
    interest = get_object_or_404(
        OpportunityInterest.objects.select_related("opportunity__organisation", "organisation"), pk=pk
    )
    require(request.user, permission, interest)
    return interest


@login_required
@require_POST
def decide_interest(request, pk):
    interest = _interest(request, pk, "directory.decide_opportunityinterest")
    form = DecisionForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: domain.decide_interest(
            request.user, interest, form.cleaned_data["decision"] == "approve", form.cleaned_data["reason"]
        ),
        success=lambda _result: (
            _("Accepted: the organisation was told and sees your contact address.")
            if form.cleaned_data["decision"] == "approve"
            else _("Declined; the organisation was told.")
        ),
    )
    return back_to_list(
        request, _interests_url(request.POST.get("tab", "received")), f"interest-{interest.pk}"
    )


@login_required
@require_POST
def withdraw_interest(request, pk):
    interest = _interest(request, pk, "directory.withdraw_opportunityinterest")
    attempt(
        request,
        lambda: domain.withdraw_interest(request.user, interest),
        success=_("Your interest was withdrawn."),
    )
    return redirect(_interests_url("sent"))
