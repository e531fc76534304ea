"""The joining API (mounted with the directory's, at the API's root): join requests, organisation
registrations, the requests of a cluster to an organisation of the directory to join it, and the
expressions of interest in cooperation opportunities, with the pages' domain actions and permissions."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.domain import require
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import (
    ClusterMembershipRequest,
    JoinRequest,
    Opportunity,
    OpportunityInterest,
    Organisation,
    OrganisationRegistration,
    OrganisationType,
    RequestStatus,
)
from clusterxchange.directory.rules import interest_organisations, interests_received, interests_sent
from clusterxchange.joining import domain
from clusterxchange.joining.rules import (
    cluster_requests_sent,
    cluster_requests_to_decide,
    interests_overseen,
    join_requests_to_decide,
    registrations_to_decide,
)

router = Router(tags=["directory"])


def _operation_id(view_name: str) -> str:
    """The id the operation had in the directory's API, where joining began: clients generated from the
    schema keep their method names."""
    return f"clusterxchange_directory_api_{view_name}"


@dataclass(frozen=True, eq=False)
class DecisionEndpoints:
    """What the decision and withdraw endpoints of every request of joining share (a directory
    `Decision`: join request, organisation registration, cluster's request, interest in an opportunity):
    find it, refuse a caller who may not see it (403 with `hidden`), call the domain action (which checks
    the permission to decide or withdraw) and answer with what the caller may see of it (`out`)."""

    queryset: QuerySet
    view_permission: str
    hidden: str
    out: Callable[..., dict]
    decide_action: Callable
    withdraw_action: Callable

    def get(self, request, pk: int):
        decision = get_object_or_404(self.queryset, pk=pk)
        require(request.user, self.view_permission, decision, message=self.hidden)
        return decision

    def decide(self, request, pk: int, approve: bool, reason: str) -> dict:
        decided = self.decide_action(request.user, self.get(request, pk), approve, reason)
        return self.out(request.user, decided)

    def withdraw(self, request, pk: int) -> dict:
        return self.out(request.user, self.withdraw_action(request.user, self.get(request, pk)))


class JoinScopeQuery(Schema):
    scope: Literal["mine", "to-decide"] = Field(
        "mine",
        description="`mine`: the caller's own requests; `to-decide`: the pending ones the caller may decide.",
    )


class JoinDecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: str = Field("", max_length=2000, description="Required to refuse: the requester reads it.")


class JoinRequestIn(Schema):
    organisation: str = Field(..., description="Slug of the organisation to join")
    message: str = Field("", max_length=2000)


class JoinRequestOut(Schema):
    id: int
    organisation: str = Field(..., description="Slug of the organisation")
    organisation_name: str
    status: str
    message: str
    reason: str
    created_at: str
    decided_at: str | None
    requester_name: str
    requester_email: str | None = Field(None, description="Shown to those who decide the request only")
    deciders: str = Field("", description="Who decides, while the request is pending")


class OrganisationRegistrationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    org_type: OrganisationType
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")
    city: str = Field("", max_length=120)
    website: str = ""
    vat_number: str = Field("", max_length=20)
    staff_count: int | None = None
    turnover_eur: Decimal | None = None
    balance_sheet_eur: Decimal | None = None
    cluster: str = Field(..., description="Slug of the partner cluster the organisation belongs to")
    message: str = Field("", max_length=2000)
    confirm_different: bool = Field(
        False, description="The organisation differs from the similar ones named in a previous 409 answer"
    )


class OrganisationRegistrationOut(Schema):
    id: int
    name: str
    org_type: str
    country: str
    city: str
    website: str
    vat_number: str
    staff_count: int | None
    turnover_eur: Decimal | None
    balance_sheet_eur: Decimal | None
    is_sme: bool | None
    cluster: str = Field(..., description="Slug of the partner cluster")
    status: str
    message: str
    reason: str
    created_at: str
    decided_at: str | None
    organisation: str | None = Field(None, description="Slug of the organisation created on approval")
    requester_name: str
    requester_email: str | None = Field(None, description="Shown to those who decide the registration only")
    deciders: str = ""


class ClusterScopeQuery(Schema):
    scope: Literal["mine", "to-decide", "sent"] = Field(
        "mine",
        description="`mine`: the requests the caller sent; `to-decide`: the pending ones the caller may decide; "
        "`sent`: those sent on behalf of the clusters the caller asks for (managers: their clusters; "
        "coordinators: every cluster).",
    )
    cluster: str | None = Field(None, description="Slug of a cluster: only the requests sent on its behalf")


class ClusterRequestIn(Schema):
    cluster: str = Field(..., description="Slug of the cluster the organisation is asked to join")
    organisation: str = Field(..., description="Slug of the organisation of the directory asked to join it")
    message: str = Field("", max_length=2000)


class ClusterRequestOut(Schema):
    id: int
    cluster: str = Field(..., description="Slug of the cluster")
    cluster_name: str
    organisation: str = Field(..., description="Slug of the organisation asked")
    organisation_name: str
    status: str
    message: str
    reason: str
    created_at: str
    decided_at: str | None
    requester_name: str = Field(..., description="Who asked on behalf of the cluster")
    requester_email: str | None = Field(None, description="Shown to those who decide the request only")
    deciders: str = Field("", description="Who decides, while the request is pending")


def _requester(user, obj, permission: str) -> dict:
    return {
        "requester_name": obj.user.get_full_name() or obj.user.email.split("@", 1)[0],
        "requester_email": obj.user.email if user.has_perm(permission, obj) else None,
    }


def join_request_out(user, join_request) -> dict:
    return {
        "id": join_request.pk,
        "organisation": join_request.organisation.slug,
        "organisation_name": join_request.organisation.name,
        "status": join_request.status,
        "message": join_request.message,
        "reason": join_request.reason,
        "created_at": join_request.created_at.isoformat(),
        "decided_at": join_request.decided_at.isoformat() if join_request.decided_at else None,
        "deciders": domain.deciders_of_join_request(join_request) if join_request.is_pending else "",
        **_requester(user, join_request, "directory.decide_joinrequest"),
    }


def cluster_request_out(user, cluster_request) -> dict:
    return {
        "id": cluster_request.pk,
        "cluster": cluster_request.cluster.slug,
        "cluster_name": cluster_request.cluster.name,
        "organisation": cluster_request.organisation.slug,
        "organisation_name": cluster_request.organisation.name,
        "status": cluster_request.status,
        "message": cluster_request.message,
        "reason": cluster_request.reason,
        "created_at": cluster_request.created_at.isoformat(),
        "decided_at": cluster_request.decided_at.isoformat() if cluster_request.decided_at else None,
        "deciders": domain.deciders_of_join_request(cluster_request) if cluster_request.is_pending else "",
        **_requester(user, cluster_request, "directory.decide_clustermembershiprequest"),
    }


def registration_out(user, registration) -> dict:
    return {
        "id": registration.pk,
        **{name: getattr(registration, name) for name in domain.REGISTRATION_FIELDS},
        "country": str(registration.country),
        "is_sme": registration.is_sme,
        "cluster": registration.cluster.slug,
        "status": registration.status,
        "message": registration.message,
        "reason": registration.reason,
        "created_at": registration.created_at.isoformat(),
        "decided_at": registration.decided_at.isoformat() if registration.decided_at else None,
        "organisation": registration.organisation.slug if registration.organisation_id else None,
        "deciders": domain.deciders_of_registration(registration) if registration.is_pending else "",
        **_requester(user, registration, "directory.decide_organisationregistration"),
    }


@router.get(
    "/join-requests",
    response=list[JoinRequestOut],
    summary="Join requests: the caller's own, or to decide",
    operation_id=_operation_id("list_join_requests"),
)
def list_join_requests(request, query: Query[JoinScopeQuery]):
    if query.scope == "mine":
        queryset = JoinRequest.objects.filter(user=request.user)
    else:
        queryset = join_requests_to_decide(request.user)
    queryset = queryset.select_related("user", "organisation").order_by("-created_at")[:MAX_PAGE_SIZE]
    return [join_request_out(request.user, item) for item in queryset]


@router.post(
    "/join-requests",
    response={201: JoinRequestOut},
    summary="Ask to join an organisation",
    operation_id=_operation_id("create_join_request"),
)
def create_join_request(request, payload: JoinRequestIn):
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    join_request = domain.ask_to_join(request.user, organisation, payload.message)
    return Status(201, join_request_out(request.user, join_request))


JOIN_REQUESTS = DecisionEndpoints(
    queryset=JoinRequest.objects.select_related("user", "organisation"),
    view_permission="directory.view_joinrequest",
    hidden="You may not see this request.",
    out=join_request_out,
    decide_action=domain.decide_join_request,
    withdraw_action=domain.withdraw_join_request,
)


@router.post(
    "/join-requests/{request_id}/decision",
    response=JoinRequestOut,
    summary="Approve or refuse",
    operation_id=_operation_id("decide_join_request"),
)
def decide_join_request(request, request_id: int, payload: JoinDecisionIn):
    return JOIN_REQUESTS.decide(request, request_id, payload.decision == "approve", payload.reason)


@router.post(
    "/join-requests/{request_id}/withdraw",
    response=JoinRequestOut,
    summary="Withdraw one's request",
    operation_id=_operation_id("withdraw_join_request"),
)
def withdraw_join_request(request, request_id: int):
    return JOIN_REQUESTS.withdraw(request, request_id)


@router.get(
    "/organisation-registrations",
    response=list[OrganisationRegistrationOut],
    summary="New organisations registered: the caller's own, or to decide",
    operation_id=_operation_id("list_registrations"),
)
def list_registrations(request, query: Query[JoinScopeQuery]):
    if query.scope == "mine":
        queryset = OrganisationRegistration.objects.filter(user=request.user)
    else:
        queryset = registrations_to_decide(request.user)
    queryset = queryset.select_related("user", "cluster", "organisation").order_by("-created_at")[
        :MAX_PAGE_SIZE
    ]
    return [registration_out(request.user, item) for item in queryset]


@router.post(
    "/organisation-registrations",
    response={201: OrganisationRegistrationOut},
    summary="Register a new organisation under a partner cluster (listed once approved)",
    operation_id=_operation_id("create_registration"),
)
def create_registration(request, payload: OrganisationRegistrationIn):
    data = payload.dict()
    cluster = domain.partner_clusters().filter(slug=data.pop("cluster")).first()
    message, confirm = data.pop("message"), data.pop("confirm_different")
    data["country"] = data["country"].upper()
    registration = domain.register_organisation(
        request.user, data, cluster, message=message, confirm_different=confirm
    )
    return Status(201, registration_out(request.user, registration))


REGISTRATIONS = DecisionEndpoints(
    queryset=OrganisationRegistration.objects.select_related("user", "cluster", "organisation"),
    view_permission="directory.view_organisationregistration",
    hidden="You may not see this registration.",
    out=registration_out,
    decide_action=domain.decide_registration,
    withdraw_action=domain.withdraw_registration,
)


@router.post(
    "/organisation-registrations/{registration_id}/decision",
    response=OrganisationRegistrationOut,
    summary="Approve (the organisation is created) or refuse",
    operation_id=_operation_id("decide_registration"),
)
def decide_registration(request, registration_id: int, payload: JoinDecisionIn):
    return REGISTRATIONS.decide(request, registration_id, payload.decision == "approve", payload.reason)


@router.post(
    "/organisation-registrations/{registration_id}/withdraw",
    response=OrganisationRegistrationOut,
    summary="Withdraw one's registration",
    operation_id=_operation_id("withdraw_registration"),
)
def withdraw_registration(request, registration_id: int):
    return REGISTRATIONS.withdraw(request, registration_id)


CLUSTER_SCOPES = {
    "mine": lambda user: ClusterMembershipRequest.objects.filter(user=user),
    "to-decide": cluster_requests_to_decide,
    "sent": cluster_requests_sent,
}


@router.get(
    "/cluster-membership-requests",
    response=list[ClusterRequestOut],
    summary="A cluster's requests to organisations of the directory to join it: sent, or to decide",
)
def list_cluster_requests(request, query: Query[ClusterScopeQuery]):
    queryset = CLUSTER_SCOPES[query.scope](request.user)
    if query.cluster is not None:
        queryset = queryset.filter(cluster__slug=query.cluster)
    queryset = queryset.select_related("user", "cluster", "organisation").order_by("-created_at", "-pk")[
        :MAX_PAGE_SIZE
    ]
    return [cluster_request_out(request.user, item) for item in queryset]


@router.post(
    "/cluster-membership-requests",
    response={201: ClusterRequestOut},
    summary="Ask an organisation of the directory to join a cluster (its admins decide)",
)
def create_cluster_request(request, payload: ClusterRequestIn):
    cluster = get_object_or_404(Organisation, slug=payload.cluster)
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    cluster_request = domain.ask_to_join_cluster(request.user, cluster, organisation, payload.message)
    return Status(201, cluster_request_out(request.user, cluster_request))


CLUSTER_REQUESTS = DecisionEndpoints(
    queryset=ClusterMembershipRequest.objects.select_related("user", "cluster", "organisation"),
    view_permission="directory.view_clustermembershiprequest",
    hidden="You may not see this request.",
    out=cluster_request_out,
    decide_action=domain.decide_cluster_request,
    withdraw_action=domain.withdraw_cluster_request,
)


@router.post(
    "/cluster-membership-requests/{request_id}/decision",
    response=ClusterRequestOut,
    summary="Approve (the organisation joins the cluster) or refuse",
)
def decide_cluster_request(request, request_id: int, payload: JoinDecisionIn):
    return CLUSTER_REQUESTS.decide(request, request_id, payload.decision == "approve", payload.reason)


@router.post(
    "/cluster-membership-requests/{request_id}/withdraw",
    response=ClusterRequestOut,
    summary="Withdraw a request one sent",
)
def withdraw_cluster_request(request, request_id: int):
    return CLUSTER_REQUESTS.withdraw(request, request_id)


# Expressions of interest in a cooperation opportunity ---------------------------------------------------

INTEREST_SCOPES = {"received": interests_received, "sent": interests_sent, "overseen": interests_overseen}


class InterestQuery(Schema):
    scope: Literal["received", "sent", "overseen"] = Field(
        "received",
        description="`received`: the interests in the opportunities of the caller's organisations; "
        "`sent`: those the caller's organisations expressed; `overseen`: those in the opportunities of the "
        "organisations the caller administers and may decide for (cluster managers: their clusters and "
        "members; coordinators: their programmes' partner clusters and members, and organisations in no "
        "cluster; empty for everyone else).",
    )
    status: Literal["pending", "approved", "refused", "withdrawn"] | None = Field(
        None, description="pending (sent, waiting), approved (accepted), refused (declined) or withdrawn"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class InterestIn(Schema):
    opportunity: int = Field(..., description="Id of the opportunity")
    organisation: str | None = Field(
        None,
        description="Slug of the caller's organisation the interest is for (optional when they have one)",
    )
    message: str = Field(..., min_length=1, max_length=2000)


class InterestDecisionIn(Schema):
    decision: Literal["accept", "decline"]
    reason: str = Field("", max_length=2000, description="Optional when declining: the sender reads it.")


class InterestOut(Schema):
    id: int
    opportunity: int = Field(..., description="Id of the opportunity")
    opportunity_title: str
    owner: str = Field(..., description="Slug of the opportunity's organisation")
    owner_name: str
    organisation: str = Field(..., description="Slug of the interested organisation")
    organisation_name: str
    status: str = Field(..., description="pending, approved (accepted), refused (declined) or withdrawn")
    message: str
    reason: str
    created_at: str
    decided_at: str | None
    sender_name: str
    contact_email: str | None = Field(
        None, description="The other organisation's contact email, once the interest is accepted"
    )


class InterestPage(Schema):
    count: int
    page: int
    pages: int
    results: list[InterestOut]


def interest_out(user, interest: OpportunityInterest) -> dict:
    owner = interest.opportunity.organisation
    other = owner if interest.organisation_id in roles_of(user).organisation_ids else interest.organisation
    accepted = interest.status == RequestStatus.APPROVED
    return {
        "id": interest.pk,
        "opportunity": interest.opportunity_id,
        "opportunity_title": interest.opportunity.title,
        "owner": owner.slug,
        "owner_name": owner.name,
        "organisation": interest.organisation.slug,
        "organisation_name": interest.organisation.name,
        "status": interest.status,
        "message": interest.message,
        "reason": interest.reason,
        "created_at": interest.created_at.isoformat(),
        "decided_at": interest.decided_at.isoformat() if interest.decided_at else None,
        "sender_name": interest.user.get_full_name() or interest.user.email,
        "contact_email": (other.email or None) if accepted else None,
    }


@router.get(
    "/opportunity-interests",
    response=InterestPage,
    summary="Expressions of interest in cooperation opportunities: received by the caller's organisations, "
    "sent, or in the organisations the caller administers",
)
def list_interests(request, query: Query[InterestQuery]):
    queryset = INTEREST_SCOPES[query.scope](request.user)
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    queryset = queryset.select_related("user", "organisation", "opportunity__organisation").order_by(
        "-created_at", "-pk"
    )
    return api_page(queryset, query.page, query.page_size, lambda item: interest_out(request.user, item))


@router.post(
    "/opportunity-interests",
    response={201: InterestOut},
    summary="Express an organisation's interest in an opportunity (its organisation's admins are emailed)",
)
def create_interest(request, payload: InterestIn):
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation"), pk=payload.opportunity
    )
    require(
        request.user, "directory.view_opportunity", opportunity, message="You may not see this opportunity."
    )
    require(request.user, "directory.add_opportunityinterest", opportunity)
    if payload.organisation is not None:
        organisation = get_object_or_404(Organisation, slug=payload.organisation)
    else:
        choices = list(interest_organisations(request.user, opportunity)[:2])
        if len(choices) != 1:
            raise ValidationError({"organisation": "Name the organisation the interest is for."})
        organisation = choices[0]
    interest = domain.send_interest(request.user, opportunity, organisation, payload.message)
    return Status(201, interest_out(request.user, interest))


INTERESTS = DecisionEndpoints(
    queryset=OpportunityInterest.objects.select_related("user", "organisation", "opportunity__organisation"),
    view_permission="directory.view_opportunityinterest",
    hidden="You may not see this interest.",
    out=interest_out,
    decide_action=domain.decide_interest,
    withdraw_action=domain.withdraw_interest,
)


@router.post(
    "/opportunity-interests/{interest_id}/decision",
    response=InterestOut,
    summary="Accept (both organisations see each other's contact email) or decline",
)
def decide_interest(request, interest_id: int, payload: InterestDecisionIn):
    return INTERESTS.decide(request, interest_id, payload.decision == "accept", payload.reason)


@router.post(
    "/opportunity-interests/{interest_id}/withdraw",
    response=InterestOut,
    summary="Withdraw an interest one's organisation sent",
)
def withdraw_interest(request, interest_id: int):
    return INTERESTS.withdraw(request, interest_id)
