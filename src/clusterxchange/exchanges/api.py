"""Exchanges API: the same domain actions and permissions as the pages.

Conventions:
- every endpoint needs a login (token or session); anonymous callers get 401;
- an exchange the caller may not see answers **404**, exactly like one that does not exist (its
  existence is not revealed); a party that may see it but not do the action gets **403**;
- an action the exchange's state does not allow gets **409** with the reason; invalid input gets
  **422** naming the field;
- dates are ISO 8601 (``2023-09-30``); amounts in EUR are **strings** with two decimals
  (``"780.00"``), distances are numbers in km.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from clusterxchange.core.concurrency import if_match, with_etag
from clusterxchange.core.engine_messages import applied_rule_english
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.exchanges import agreement, domain, grants
from clusterxchange.exchanges.disclosure import readable_host_requests, readable_timeline
from clusterxchange.exchanges.lifecycle import TRANSITIONS, available_transitions, waiting_transitions
from clusterxchange.exchanges.models import (
    AgreementSignature,
    Evidence,
    Exchange,
    ExchangeState,
    HostRequest,
)
from clusterxchange.exchanges.rules import visible_exchanges
from clusterxchange.programmes.models import Programme

router = Router(tags=["exchanges"])


# Schemas ------------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str
    country: str
    org_type: str
    is_sme: bool | None


class PartnerRef(Schema):
    cluster: str = Field(..., description="Slug of the partner cluster")
    name: str


class GrantOut(Schema):
    approved: bool
    amount_eur: str | None = Field(None, description="EUR, two decimals, as a string")
    working_days: int | None
    distance_km: float | None
    rules_applied: list[str]
    approved_at: datetime | None


class SignatureOut(Schema):
    party: str
    signatory_name: str = Field(..., description="The signing account's name (never typed)")
    signed_at: datetime
    document_sha256: str = Field(..., description="SHA-256 of the agreement's canonical content signed")


class AgreementOut(Schema):
    goals: str
    objectives: str
    agenda: str
    document_sha256: str = Field(
        ..., description="SHA-256 of the agreement's canonical content now; a signature binds to it"
    )
    required_parties: list[str]
    signatures: list[SignatureOut]


class ReportOut(Schema):
    activities: str
    results: str
    follow_up: str
    testimonial: str
    testimonial_consent: bool
    submitted_at: datetime | None
    host_confirmed_at: datetime | None
    validated_at: datetime | None


class PaymentOut(Schema):
    amount_eur: str | None
    paid_on: date | None
    due_by: date | None
    late: bool


class CodeMessage(Schema):
    code: str
    message: str


class HostRequestOut(Schema):
    id: int
    host: OrganisationRef
    message: str
    status: str
    response: str
    created_at: datetime
    responded_at: datetime | None


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class ExchangeSummary(Schema):
    reference: str
    programme: str = Field(..., description="Programme slug")
    state: str
    state_label: str
    visitor: OrganisationRef
    visitor_partner: PartnerRef
    host: OrganisationRef | None
    host_partner: PartnerRef | None
    start_date: date
    end_date: date
    grant_amount_eur: str | None
    updated_at: datetime


class ExchangeOut(ExchangeSummary):
    motivation: str
    goals: str
    preferences: str
    visitor_person: int | None
    grant: GrantOut
    agreement: AgreementOut
    report: ReportOut
    payment: PaymentOut
    certificate_code: str | None
    certified_at: datetime | None
    closing_reason: str
    host_requests: list[HostRequestOut]
    evidence: list[EvidenceOut] | None = Field(
        None, description="Only for the visitor, the host, the visitor's partnership and coordinators."
    )
    actions: list[str] = Field(..., description="Lifecycle actions the caller may take now")
    actions_later: list[CodeMessage] = Field(
        ..., description="Actions the caller may take in this state once their date comes, with the reason"
    )
    created_at: datetime


class ExchangePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ExchangeSummary]


class ExchangeQuery(Schema):
    state: ExchangeState | None = None
    programme: str | None = Field(None, description="Programme slug or acronym")
    partner: str | None = Field(None, description="Slug of a partner cluster (the visitor's or the host's)")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class ApplicationIn(Schema):
    programme: str = Field(..., description="Programme slug or acronym")
    visitor_organisation: str = Field(..., description="Slug of the visiting organisation (yours)")
    visitor_person: int | None = Field(None, description="Id of the travelling person")
    motivation: str = Field(..., min_length=1)
    goals: str = ""
    preferences: str = ""
    start_date: date
    end_date: date


class ApplicationPatch(Schema):
    visitor_person: int | None = None
    motivation: str | None = Field(None, min_length=1)
    goals: str | None = None
    preferences: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class ActionIn(Schema):
    comment: str = Field("", description="Required for decline, cancel and return_report")
    amount: Decimal | None = Field(None, ge=0, description="record_payment: the amount paid (EUR)")
    paid_on: date | None = Field(None, description="record_payment: the date of the payment")


class HostRequestIn(Schema):
    host: str = Field(..., description="Slug of the host organisation")
    message: str


class HostAnswerIn(Schema):
    accept: bool
    response: str = ""


class AgreementPatch(Schema):
    goals: str | None = None
    objectives: str | None = None
    agenda: str | None = None


class SignatureIn(Schema):
    party: AgreementSignature.Party = Field(..., description="Your own role in this exchange")
    document_sha256: str = Field(
        ..., description="The agreement's `document_sha256` as you read it: refused (422) if it changed since"
    )
    password: str = Field("", description="Your password again (when two-factor login is off)")
    code: str = Field("", description="The code of your authenticator app (when two-factor login is on)")


class ReportPatch(Schema):
    activities: str | None = None
    results: str | None = None
    follow_up: str | None = None
    testimonial: str | None = None
    testimonial_consent: bool | None = None


class TimelineEntry(Schema):
    at: datetime
    action: str = Field(..., description="e.g. submit, validate, match, approve_grant, sign_agreement")
    from_state: str
    to_state: str
    actor: str | None = Field(None, description="Name of the person who acted")
    comment: str


class HolidayOut(Schema):
    day: date
    name: str


class AssessmentOut(Schema):
    host: OrganisationRef
    start_date: date
    end_date: date
    eligible: bool
    reasons: list[CodeMessage]
    working_days: int
    public_holidays: list[HolidayOut]
    distance_km: float | None
    lump_sum_eur: str = Field(..., description="EUR, two decimals, as a string; 0.00 when not eligible")
    applied_rules: list[CodeMessage]


# Helpers --------------------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _related(queryset):
    return queryset.select_related(
        "programme",
        "visitor_organisation",
        "host_organisation",
        "visitor_partner__cluster",
        "host_partner__cluster",
    )


def _get(request, reference: str) -> Exchange:
    """The exchange, or 404 for one that does not exist or that the caller may not see."""
    exchange = _related(Exchange.objects.filter(reference=reference)).first()
    if exchange is None or not request.user.has_perm("exchanges.view_exchange", exchange):
        raise Http404
    return exchange


def _org(org: Organisation | None) -> dict | None:
    if org is None:
        return None
    return {
        "slug": org.slug,
        "name": org.name,
        "country": str(org.country),
        "org_type": org.org_type,
        "is_sme": org.is_sme,
    }


def _partner(partner) -> dict | None:
    if partner is None:
        return None
    return {"cluster": partner.cluster.slug, "name": partner.cluster.name}


def exchange_summary(exchange: Exchange) -> dict:
    return {
        "reference": exchange.reference,
        "programme": exchange.programme.slug,
        "state": exchange.state,
        "state_label": str(exchange.get_state_display()),
        "visitor": _org(exchange.visitor_organisation),
        "visitor_partner": _partner(exchange.visitor_partner),
        "host": _org(exchange.host_organisation),
        "host_partner": _partner(exchange.host_partner),
        "start_date": exchange.start_date,
        "end_date": exchange.end_date,
        "grant_amount_eur": _amount(exchange.grant_amount_eur) if exchange.grant_approved else None,
        "updated_at": exchange.updated_at,
    }


def exchange_out(user, exchange: Exchange) -> dict:
    exchange = _related(Exchange.objects.filter(pk=exchange.pk)).get()
    show_evidence = user.has_perm("exchanges.view_evidence", exchange)
    return {
        **exchange_summary(exchange),
        "motivation": exchange.motivation,
        "goals": exchange.goals,
        "preferences": exchange.preferences,
        "visitor_person": exchange.visitor_person_id,
        "grant": {
            "approved": exchange.grant_approved,
            "amount_eur": _amount(exchange.grant_amount_eur),
            "working_days": exchange.grant_working_days,
            "distance_km": float(exchange.grant_distance_km)
            if exchange.grant_distance_km is not None
            else None,
            "rules_applied": [applied_rule_english(rule) for rule in exchange.grant_rules_applied or []],
            "approved_at": exchange.grant_approved_at,
        },
        "agreement": {
            "goals": exchange.agreement_goals,
            "objectives": exchange.agreement_objectives,
            "agenda": exchange.agreement_agenda,
            "required_parties": [str(p) for p in domain.required_parties(exchange)]
            if exchange.host_organisation_id
            else [],
            "document_sha256": agreement.document_sha256(exchange),
            "signatures": [
                {
                    "party": s.party,
                    "signatory_name": s.signatory_name,
                    "signed_at": s.signed_at,
                    "document_sha256": s.document_sha256,
                }
                for s in exchange.signatures.all()
            ],
        },
        "report": {
            "activities": exchange.report_activities,
            "results": exchange.report_results,
            "follow_up": exchange.report_follow_up,
            "testimonial": exchange.testimonial,
            "testimonial_consent": exchange.testimonial_consent,
            "submitted_at": exchange.report_submitted_at,
            "host_confirmed_at": exchange.host_confirmed_at,
            "validated_at": exchange.report_validated_at,
        },
        "payment": {
            "amount_eur": _amount(exchange.paid_amount_eur),
            "paid_on": exchange.paid_on,
            "due_by": exchange.payment_due_by,
            "late": exchange.payment_late,
        },
        "certificate_code": exchange.certificate_code,
        "certified_at": exchange.certified_at,
        "closing_reason": exchange.closing_reason,
        "host_requests": [
            host_request_out(hr)
            for hr in readable_host_requests(
                user, exchange, exchange.host_requests.select_related("host_organisation")
            )
        ],
        "evidence": [evidence_out(e) for e in exchange.evidence.all()] if show_evidence else None,
        "actions": [t.name for t in available_transitions(user, exchange)],
        "actions_later": [
            {"code": t.name, "message": reason} for t, reason in waiting_transitions(user, exchange)
        ],
        "created_at": exchange.created_at,
    }


def host_request_out(host_request: HostRequest) -> dict:
    return {
        "id": host_request.pk,
        "host": _org(host_request.host_organisation),
        "message": host_request.message,
        "status": host_request.status,
        "response": host_request.response,
        "created_at": host_request.created_at,
        "responded_at": host_request.responded_at,
    }


def evidence_out(evidence: Evidence) -> dict:
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "uploaded_at": evidence.uploaded_at,
    }


def _programme(value: str) -> Programme:
    programme = Programme.objects.filter(Q(slug=value) | Q(acronym__iexact=value)).first()
    if programme is None:
        raise ValidationError({"programme": [f"Unknown programme: {value}"]})
    return programme


def _person(value: int | None, organisation: Organisation) -> Person | None:
    if value is None:
        return None
    person = Person.objects.filter(pk=value, organisation=organisation).first()
    if person is None:
        raise ValidationError(
            {"visitor_person": ["This person does not belong to the visiting organisation."]}
        )
    return person


def _organisation(field: str, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ValidationError({field: [f"Unknown organisation: {slug}"]})
    return organisation


# Exchanges -----------------------------------------------------------------------------------------


@router.get(
    "",
    response=ExchangePage,
    summary="Exchanges the caller is a party to",
    description="The visitor, the host (or a host asked to receive it), both partnerships and the "
    "programme's coordinators see an exchange; nobody else.",
)
def list_exchanges(request, query: Query[ExchangeQuery]):
    queryset = _related(visible_exchanges(request.user)).order_by("-start_date", "reference")
    if query.state:
        queryset = queryset.filter(state=query.state)
    if query.programme:
        queryset = queryset.filter(Q(programme__slug=query.programme) | Q(programme__acronym=query.programme))
    if query.partner:
        queryset = queryset.filter(
            Q(visitor_partner__cluster__slug=query.partner) | Q(host_partner__cluster__slug=query.partner)
        )
    return api_page(queryset, query.page, query.page_size, exchange_summary)


@router.post("", response={201: ExchangeOut}, summary="Apply for an exchange (a draft)")
def create_exchange(request, payload: ApplicationIn):
    programme = _programme(payload.programme)
    visitor = _organisation("visitor_organisation", payload.visitor_organisation)
    fields = payload.dict(exclude={"programme", "visitor_organisation", "visitor_person"})
    if payload.visitor_person is not None:
        fields["visitor_person"] = _person(payload.visitor_person, visitor)
    exchange = domain.create_exchange(request.user, programme, visitor, fields)
    return Status(201, exchange_out(request.user, exchange))


@router.get(
    "/{reference}",
    response=ExchangeOut,
    description="404 for an exchange that does not exist and for one the caller is no party to "
    "(its existence is not revealed). Amounts in EUR are strings with two decimals.",
)
def get_exchange(request, reference: str, response: HttpResponse):
    return exchange_out(request.user, with_etag(response, _get(request, reference)))


@router.patch("/{reference}", response=ExchangeOut, summary="Edit a draft application (the visitor)")
def update_exchange(request, reference: str, payload: ApplicationPatch, response: HttpResponse):
    exchange = _get(request, reference)
    fields = payload.dict(exclude_unset=True)
    if "motivation" in fields and fields["motivation"] is None:
        raise ValidationError({"motivation": ["The motivation cannot be empty."]})
    if "visitor_person" in fields:
        fields["visitor_person"] = _person(fields["visitor_person"], exchange.visitor_organisation)
    for name in ("goals", "preferences"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    for name in ("start_date", "end_date"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: ["This date is required."]})
    exchange = domain.update_application(request.user, exchange, fields, expected_version=if_match(request))
    return exchange_out(request.user, with_etag(response, exchange))


@router.post(
    "/{reference}/actions/{action}",
    response=ExchangeOut,
    summary="Run a lifecycle transition",
    description="Actions: "
    + ", ".join(f"`{name}`" for name in TRANSITIONS)
    + ". `decline`, `cancel` and `return_report` need a `comment` (the reason); `record_payment` needs "
    "`amount` and `paid_on`. A state that does not allow the action answers 409 with the reason.",
)
def run_action(request, reference: str, action: str, payload: ActionIn):
    exchange = _get(request, reference)
    if action not in TRANSITIONS:
        raise Http404
    data = {}
    if action == "record_payment":
        data = {"amount": payload.amount, "paid_on": payload.paid_on}
    exchange = domain.perform(request.user, exchange, action, comment=payload.comment, **data)
    return exchange_out(request.user, exchange)


@router.get("/{reference}/timeline", response=list[TimelineEntry], summary="Who did what, when")
def timeline(request, reference: str):
    exchange = _get(request, reference)
    entries = AuditEntry.objects.filter(object_type="exchanges.exchange", object_id=str(exchange.pk))
    entries = readable_timeline(
        request.user, exchange, entries.select_related("actor").order_by("created_at", "id")
    )
    return [
        {
            "at": entry.created_at,
            "action": entry.action.removeprefix("exchanges."),
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "actor": (entry.actor.get_full_name() or entry.actor.email) if entry.actor else None,
            "comment": entry.comment,
        }
        for entry in entries
    ]


# Matching -------------------------------------------------------------------------------------------


@router.post("/{reference}/host-requests", response={201: HostRequestOut}, summary="Ask a host (the visitor)")
def create_host_request(request, reference: str, payload: HostRequestIn):
    exchange = _get(request, reference)
    host = _organisation("host", payload.host)
    host_request = domain.request_host(request.user, exchange, host, payload.message)
    return Status(201, host_request_out(host_request))


def _host_request(request, reference: str, request_id: int) -> HostRequest:
    exchange = _get(request, reference)
    return get_object_or_404(
        HostRequest.objects.select_related("host_organisation"), pk=request_id, exchange=exchange
    )


@router.post(
    "/{reference}/host-requests/{request_id}/answer",
    response=ExchangeOut,
    summary="Accept or decline a request (the asked host)",
)
def answer_host_request(request, reference: str, request_id: int, payload: HostAnswerIn):
    host_request = _host_request(request, reference, request_id)
    exchange = domain.respond_to_host_request(
        request.user, host_request, accept=payload.accept, response=payload.response
    )
    return exchange_out(request.user, exchange)


@router.post(
    "/{reference}/host-requests/{request_id}/withdraw",
    response=HostRequestOut,
    summary="Withdraw a pending request (the visitor)",
)
def withdraw_host_request(request, reference: str, request_id: int):
    host_request = _host_request(request, reference, request_id)
    return host_request_out(domain.withdraw_host_request(request.user, host_request))


@router.get(
    "/{reference}/grant-assessment",
    response=AssessmentOut,
    summary="Preview the grant with a candidate host",
    description="Eligibility with every reason, working days (weekends and the host country's public "
    "holidays excluded), the distance, the lump sum and the rules applied, with the programme's current "
    "rules. Without `host`, the exchange's host.",
)
def grant_assessment(request, reference: str, host: str | None = None):
    exchange = _get(request, reference)
    if host:
        candidate = _organisation("host", host)
    elif exchange.host_organisation is not None:
        candidate = exchange.host_organisation
    else:
        raise ValidationError({"host": ["Name a candidate host: this exchange has none yet."]})
    assessment = grants.assess_exchange(exchange, candidate)
    reasons = [{"code": r.code.value, "message": r.message} for r in assessment.reasons]
    if candidate.pk == exchange.visitor_organisation_id and not any(
        r["code"] == "same_organisation" for r in reasons
    ):
        reasons.insert(0, {"code": "same_organisation", "message": "An organisation cannot host itself."})
    return {
        "host": _org(candidate),
        "start_date": exchange.start_date,
        "end_date": exchange.end_date,
        "eligible": assessment.eligible and not reasons,
        "reasons": reasons,
        "working_days": assessment.working_days,
        "public_holidays": [{"day": h.day, "name": h.name} for h in assessment.public_holidays],
        "distance_km": round(assessment.distance_km, 1) if assessment.distance_km is not None else None,
        "lump_sum_eur": _amount(assessment.lump_sum if not reasons else Decimal(0)),
        "applied_rules": [{"code": r.code.value, "message": r.message} for r in assessment.applied_rules],
    }


# Grant, agreement, closing ----------------------------------------------------------------------


@router.post(
    "/{reference}/grant/approve",
    response=ExchangeOut,
    summary="Approve and freeze the grant (the visitor's partnership)",
)
def approve_grant(request, reference: str):
    exchange = domain.approve_grant(request.user, _get(request, reference))
    return exchange_out(request.user, exchange)


@router.patch(
    "/{reference}/agreement",
    response=ExchangeOut,
    summary="Write the Commitment to Quality agreement (visitor or host)",
)
def update_agreement(request, reference: str, payload: AgreementPatch, response: HttpResponse):
    exchange = _get(request, reference)
    fields = {f"agreement_{name}": value or "" for name, value in payload.dict(exclude_unset=True).items()}
    exchange = domain.update_agreement(request.user, exchange, fields, expected_version=if_match(request))
    return exchange_out(request.user, with_etag(response, exchange))


@router.post(
    "/{reference}/agreement/signatures",
    response={201: ExchangeOut},
    summary="Sign the agreement for your own role (password or authenticator code again)",
)
def sign_agreement(request, reference: str, payload: SignatureIn):
    exchange = domain.sign_agreement(
        request.user,
        _get(request, reference),
        str(payload.party),
        password=payload.password,
        code=payload.code,
        document_sha256=payload.document_sha256,
    )
    return Status(201, exchange_out(request.user, exchange))


@router.patch("/{reference}/report", response=ExchangeOut, summary="Write the closing report (the visitor)")
def update_report(request, reference: str, payload: ReportPatch, response: HttpResponse):
    exchange = _get(request, reference)
    names = {
        "activities": "report_activities",
        "results": "report_results",
        "follow_up": "report_follow_up",
        "testimonial": "testimonial",
        "testimonial_consent": "testimonial_consent",
    }
    fields = {}
    for name, value in payload.dict(exclude_unset=True).items():
        if value is None:
            value = False if name == "testimonial_consent" else ""
        fields[names[name]] = value
    exchange = domain.save_report(request.user, exchange, fields, expected_version=if_match(request))
    return exchange_out(request.user, with_etag(response, exchange))


@router.post(
    "/{reference}/evidence",
    response={201: EvidenceOut},
    summary="Upload evidence: PDF, JPEG or PNG (the visitor)",
)
def upload_evidence(
    request, reference: str, file: File[UploadedFile], kind: Form[Evidence.Kind] = Evidence.Kind.OTHER
):
    evidence = domain.add_evidence(request.user, _get(request, reference), file, kind=str(kind))
    return Status(201, evidence_out(evidence))


@router.post(
    "/{reference}/host-confirmation",
    response=ExchangeOut,
    summary="Confirm that the exchange took place (the host)",
)
def confirm_by_host(request, reference: str):
    exchange = domain.confirm_by_host(request.user, _get(request, reference))
    return exchange_out(request.user, exchange)
