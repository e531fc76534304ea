"""Memberships and coordinators API: the same rules (accounts/rules.py), domain actions
(accounts/domain.py) and field disclosure (accounts/disclosure.py) as the members and roles pages.

Roles are given as the role kinds of the pages and invitations: "organisation-admin" /
"organisation-member" in an organisation, "coordinator" of a programme."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from clusterxchange.accounts import domain
from clusterxchange.accounts import invitations as invitation_actions
from clusterxchange.accounts.disclosure import MEMBERSHIP, may_read_member_emails
from clusterxchange.accounts.models import TARGET_FIELD, Invitation, InvitationBatch, Membership
from clusterxchange.accounts.rules import (
    COORDINATOR,
    NO_ROLE_TO_INVITE_TO,
    ROLE_KIND_OF_MEMBERSHIP,
    administered_organisations,
    coordinator_roles_visible_to,
    invitations_visible_to,
    may_grant,
    memberships_visible_to,
)
from clusterxchange.core.api_schemas import JobOut, RowErrorOut, job_out
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.core.tabular import TableError, read_table
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.programmes.models import Programme

router = Router(tags=["memberships"])

OrganisationRole = Literal["organisation-admin", "organisation-member"]


class MembershipOut(Schema):
    id: int
    organisation: str = Field(..., description="Slug of the organisation")
    name: str
    email: str | None = Field(None, description=MEMBERSHIP.describe("email"))
    role: OrganisationRole
    since: datetime


class MembershipPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MembershipOut]


class MembershipQuery(Schema):
    organisation: str | None = Field(None, description="Slug of an organisation: only its memberships")
    q: str | None = Field(None, max_length=100, description="Part of the name or email")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class MembershipIn(Schema):
    organisation: str = Field(..., description="Slug of the organisation")
    email: str = Field(..., max_length=254, description="Email of an existing account")
    role: OrganisationRole = "organisation-member"


class RoleIn(Schema):
    role: OrganisationRole


class LeaveIn(Schema):
    organisation: str = Field(..., description="Slug of the organisation to leave")
    successor_email: str | None = Field(
        None, max_length=254, description="The last admin names another of the organisation's people as admin"
    )


class CoordinatorOut(Schema):
    id: int
    programme: str = Field(..., description="Slug of the programme")
    name: str
    email: str
    since: datetime


class AccountIn(Schema):
    email: str = Field(..., max_length=254, description="Email of an existing account")


class PersonLinkOut(Schema):
    person: int
    organisation: str
    account: str | None


def _name(user) -> str:
    return user.get_full_name() or ""


def membership_out(membership, readable_emails: dict[int, bool], user) -> dict:
    organisation_id = membership.organisation_id
    if organisation_id not in readable_emails:
        readable_emails[organisation_id] = may_read_member_emails(user, organisation_id)
    email_readable = readable_emails[organisation_id]
    return {
        "id": membership.pk,
        "organisation": membership.organisation.slug,
        "name": _name(membership.user) or (membership.user.email if email_readable else ""),
        "email": membership.user.email if email_readable else None,
        "role": ROLE_KIND_OF_MEMBERSHIP[membership.role],
        "since": membership.created_at,
    }


def _visible_membership(request, membership_id: int):
    return get_object_or_404(
        memberships_visible_to(request.user).select_related("user", "organisation"), pk=membership_id
    )


@router.get("/memberships", response=MembershipPage, summary="The memberships you may see")
def list_memberships(request, query: Query[MembershipQuery]):
    """Those of the organisations you belong to or administer (a coordinator: their partners and
    the partners' member organisations; a partner manager: their cluster and its members)."""
    user = request.user
    if query.organisation:
        # One organisation: its permission once, then its memberships by the organisation's index.
        organisation = get_object_or_404(Organisation, slug=query.organisation)
        if not user.has_perm("accounts.view_organisation_members", organisation):
            raise PermissionDenied(
                "Only its people, its partner cluster's managers and the coordinators see them."
            )
        memberships = Membership.objects.filter(organisation=organisation)
    else:
        memberships = memberships_visible_to(user)
    memberships = memberships.select_related("user", "organisation")
    if query.q:
        memberships = memberships.filter(
            Q(user__email__icontains=query.q)
            | Q(user__first_name__icontains=query.q)
            | Q(user__last_name__icontains=query.q)
        )
    memberships = memberships.order_by("organisation__name", "-role", "user__last_name", "user__email", "pk")
    readable: dict[int, bool] = {}
    return api_page(
        memberships,
        query.page,
        query.page_size,
        lambda membership: membership_out(membership, readable, user),
    )


# Before the routes of one membership: "leave" would be read as a membership id.
@router.post("/memberships/leave", response={204: None}, summary="Leave an organisation")
def leave(request, payload: LeaveIn):
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    successor = domain.account_for(payload.successor_email) if payload.successor_email else None
    domain.leave_organisation(request.user, organisation, successor=successor)
    return Status(204, None)


@router.get("/memberships/{membership_id}", response=MembershipOut)
def get_membership(request, membership_id: int):
    return membership_out(_visible_membership(request, membership_id), {}, request.user)


@router.post("/memberships", response={201: MembershipOut}, summary="Give an existing account a role")
def add_membership(request, payload: MembershipIn):
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    membership = domain.grant_role(
        request.user, domain.account_for(payload.email), payload.role, organisation
    )
    return Status(201, membership_out(membership, {}, request.user))


@router.patch("/memberships/{membership_id}", response=MembershipOut, summary="Change a role")
def change_membership(request, membership_id: int, payload: RoleIn):
    membership = domain.change_role(request.user, _visible_membership(request, membership_id), payload.role)
    return membership_out(membership, {}, request.user)


@router.delete("/memberships/{membership_id}", response={204: None}, summary="Remove from the organisation")
def remove_membership(
    request, membership_id: int, reason: str = Query("", max_length=500, description="Sent to the person")
):
    domain.remove_role(request.user, _visible_membership(request, membership_id), reason)
    return Status(204, None)


def _programme(request, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.has_perm("accounts.view_programme_members", programme):
        raise PermissionDenied("Only the programme's coordinators and partner managers see its coordinators.")
    return programme


def coordinator_out(role) -> dict:
    data = {
        "id": role.pk,
        "programme": role.programme.slug,
        "name": _name(role.user) or role.user.email,
        "email": role.user.email,
        "since": role.created_at,
    }
    return data


@router.get("/programmes/{slug}/coordinators", response=list[CoordinatorOut])
def list_coordinators(request, slug: str):
    programme = _programme(request, slug)
    roles = (
        coordinator_roles_visible_to(request.user)
        .filter(programme=programme)
        .select_related("user", "programme")
        .order_by("user__last_name", "user__email")
    )
    return [coordinator_out(role) for role in roles]


@router.post(
    "/programmes/{slug}/coordinators", response={201: CoordinatorOut}, summary="Appoint a coordinator"
)
def appoint_coordinator(request, slug: str, payload: AccountIn):
    programme = _programme(request, slug)
    role = domain.grant_role(request.user, domain.account_for(payload.email), COORDINATOR, programme)
    return Status(201, coordinator_out(role))


@router.delete("/programmes/{slug}/coordinators/{role_id}", response={204: None})
def remove_coordinator(request, slug: str, role_id: int):
    programme = _programme(request, slug)
    role = get_object_or_404(
        coordinator_roles_visible_to(request.user)
        .filter(programme=programme)
        .select_related("user", "programme"),
        pk=role_id,
    )
    domain.remove_coordinator(request.user, role)
    return Status(204, None)


def _administered_person(request, person_id: int) -> Person:
    administered = administered_organisations(request.user)
    people = Person.objects.select_related("organisation", "user")
    if administered is not None:
        people = people.filter(organisation__in=administered)
    person = people.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def person_link_out(person) -> dict:
    return {
        "person": person.pk,
        "organisation": person.organisation.slug,
        "account": person.user.email if person.user_id else None,
    }


@router.put(
    "/people/{person_id}/account", response=PersonLinkOut, summary="Link a person record to an account"
)
def link_person(request, person_id: int, payload: AccountIn):
    person = domain.link_person_record(
        request.user, _administered_person(request, person_id), domain.account_for(payload.email)
    )
    return person_link_out(person)


@router.delete("/people/{person_id}/account", response=PersonLinkOut, summary="Unlink a person record")
def unlink_person(request, person_id: int):
    person = domain.unlink_person_record(request.user, _administered_person(request, person_id))
    return person_link_out(person)


# Invitations (accounts/invitations.py): mounted at /api/invitations ---------------------------------

invitations_router = Router(tags=["invitations"])

RoleKindName = Literal["coordinator", "organisation-admin", "organisation-member", "event-participant"]
StateName = Literal["pending", "accepted", "expired", "revoked"]
LanguageCode = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]
TARGET_HELP = "Slug of the programme (coordinator), organisation (admin, member) or event (participant)"


class InvitationOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role_kind: str
    target_type: str
    target: str = Field(..., description="Slug of the programme, organisation or event")
    target_name: str
    language: str
    state: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    sent_count: int
    last_sent_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[InvitationOut]


class InvitationQuery(Schema):
    state: StateName | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class InvitationIn(Schema):
    email: str
    role_kind: RoleKindName
    target: str = Field(..., description=TARGET_HELP)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    message: str = Field("", max_length=2000)
    language: LanguageCode = settings.LANGUAGE_CODE  # type: ignore[valid-type]


class FileReportOut(Schema):
    ok: bool
    total_rows: int
    errors: list[RowErrorOut]
    batch: int | None = Field(
        None, description="The sending batch, when the file was valid and not a dry run"
    )


class BatchOut(JobOut):
    sent: int = Field(..., description="The invitations sent (as `done`)")


def invitation_out(invitation: Invitation) -> dict:
    target = invitation.target
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "role_kind": invitation.role_kind,
        "target_type": TARGET_FIELD[invitation.role_kind],
        "target": target.slug,
        "target_name": str(target),
        "language": invitation.language,
        "state": invitation.state,
        "invited_by": invitation.invited_by.email if invitation.invited_by else None,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "sent_count": invitation.sent_count,
        "last_sent_at": invitation.last_sent_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
    }


def _target(role_kind: str, slug: str):
    model = Invitation._meta.get_field(TARGET_FIELD[role_kind]).related_model
    return get_object_or_404(model, slug=slug)


def _visible(request, invitation_id: int) -> Invitation:
    return get_object_or_404(
        invitations_visible_to(request.user).select_related(
            "invited_by", "programme", "organisation", "event"
        ),
        pk=invitation_id,
    )


@invitations_router.get("", response=InvitationPage, summary="The invitations the caller may see, by state")
def list_invitations(request, query: Query[InvitationQuery]):
    invitations = (
        invitations_visible_to(request.user)
        .in_state(query.state or "")
        .select_related("invited_by", "programme", "organisation", "event")
        .order_by("-created_at", "-pk")
    )
    return api_page(invitations, query.page, query.page_size, invitation_out)


@invitations_router.post(
    "", response={201: InvitationOut}, summary="Invite someone by email (the link is emailed to them)"
)
def create_invitation(request, payload: InvitationIn):
    data = payload.dict()
    target = _target(data.pop("role_kind"), data.pop("target"))
    invitation = invitation_actions.invite(request.user, role_kind=payload.role_kind, target=target, **data)
    return Status(201, invitation_out(invitation))


@invitations_router.get("/{int:invitation_id}", response=InvitationOut)
def get_invitation(request, invitation_id: int):
    return invitation_out(_visible(request, invitation_id))


@invitations_router.post(
    "/{int:invitation_id}/resend", response=InvitationOut, summary="Send again with a new link"
)
def resend_invitation(request, invitation_id: int):
    return invitation_out(invitation_actions.resend(request.user, _visible(request, invitation_id)))


@invitations_router.post(
    "/{int:invitation_id}/revoke", response=InvitationOut, summary="Withdraw the invitation"
)
def revoke_invitation(request, invitation_id: int):
    return invitation_out(invitation_actions.revoke(request.user, _visible(request, invitation_id)))


@invitations_router.post(
    "/files",
    response={200: FileReportOut, 202: FileReportOut},
    summary="Check a CSV/XLSX file of invitations (dry_run) or send them all in the background",
)
def invitation_file(
    request,
    file: File[UploadedFile],
    role_kind: Form[RoleKindName],
    target: Form[str],
    language: Form[LanguageCode] = settings.LANGUAGE_CODE,  # type: ignore[valid-type]
    message: Form[str] = "",
    dry_run: Form[bool] = True,
):
    """Columns: email, first_name, last_name, role, language (only email required). Nothing is sent
    unless every row is valid; a valid file sent with dry_run=false answers 202 with the batch."""
    target_object = _target(role_kind, target)
    if not any(
        may_grant(request.user, kind, target_object)
        for kind in invitation_actions.KINDS_FOR[TARGET_FIELD[role_kind]]
    ):
        raise PermissionDenied(NO_ROLE_TO_INVITE_TO)
    try:
        table = read_table(file.name or "upload.csv", file.read())
    except TableError as error:
        raise ValidationError({"file": str(error)}) from error
    report, _rows = invitation_actions.check_file(
        request.user, table, target_object, role_kind=role_kind, language=language
    )
    out = {"ok": report.ok, "total_rows": report.total_rows, "errors": report.errors, "batch": None}
    if not report.ok or dry_run:
        return Status(200, out)
    batch = invitation_actions.invite_file(
        request.user, table, target_object, role_kind=role_kind, language=language, message=message
    )
    return Status(202, {**out, "batch": batch.pk})


@invitations_router.get("/files/{int:batch_id}", response=BatchOut, summary="The sending progress of a file")
def get_batch(request, batch_id: int):
    batch = get_object_or_404(InvitationBatch, pk=batch_id)
    if batch.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return {**job_out(batch), "sent": batch.done}
