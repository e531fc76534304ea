"""Exchange actions: the only code that changes exchanges.

Each action locks the exchange row, checks that the actor may act and that the state allows it
(refusing with the reason otherwise), validates, writes in one transaction, records an audit entry
(who, when, from, to, comment) and notifies the parties by email after the commit.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.concurrency import check_version
from clusterxchange.core.domain import Refused, apply_fields, require
from clusterxchange.core.engine_messages import engine_message, stored_applied_rule
from clusterxchange.core.money import later_money, money
from clusterxchange.core.texts import sentence
from clusterxchange.core.uploads import check_upload
from clusterxchange.directory.matching import record_outcome
from clusterxchange.directory.models import Organisation
from clusterxchange.engines.matching import MatchingUse
from clusterxchange.exchanges import agreement, grants
from clusterxchange.exchanges.lifecycle import STEPS, TRANSITIONS
from clusterxchange.exchanges.models import (
    AgreementSignature,
    Evidence,
    Exchange,
    ExchangeState,
    HostRequest,
    new_verification_code,
)
from clusterxchange.exchanges.notifications import (
    AGREEMENT_SIGNED,
    GRANT_APPROVED,
    HOST_ACCEPTED,
    HOST_ASKED,
    HOST_CONFIRMED,
    HOST_DECLINED,
    SIGNATURES_WITHDRAWN,
    STATE_CHANGED,
    members_of,
    notify,
)
from clusterxchange.exchanges.rules import (
    is_host,
    is_host_partnership,
    is_visitor,
    is_visitor_partnership,
)
from clusterxchange.exchanges.timing import too_early
from clusterxchange.programmes.models import PartnerCluster, Programme

EXCHANGE_HOST = MatchingUse.EXCHANGE_HOST.value
APPLICATION_FIELDS = ["motivation", "goals", "preferences", "start_date", "end_date", "visitor_person"]
AGREEMENT_FIELDS = ["agreement_goals", "agreement_objectives", "agreement_agenda"]
REPORT_FIELDS = [
    "report_activities",
    "report_results",
    "report_follow_up",
    "testimonial",
    "testimonial_consent",
]


def _locked(exchange: Exchange) -> Exchange:
    return (
        Exchange.objects.select_for_update(of=("self",))
        .select_related(
            "programme", "visitor_organisation", "host_organisation", "visitor_partner", "host_partner"
        )
        .get(pk=exchange.pk)
    )


def _require_view(actor, exchange: Exchange) -> None:
    require(actor, "exchanges.view_exchange", exchange, message=_("You are not a party to this exchange."))


def _refuse_state(exchange: Exchange, action: str, allowed: set[str]) -> None:
    if exchange.state not in allowed:
        names = ", ".join(str(ExchangeState(state).label) for state in sorted(allowed))
        raise Refused(
            _(
                "“%(action)s” is not possible while the exchange is “%(state)s”; "
                "it is possible when the exchange is: %(allowed)s."
            )
            % {"action": action, "state": exchange.get_state_display(), "allowed": names}
        )


def _check_step(actor, exchange: Exchange, name: str) -> None:
    """The step (lifecycle.STEPS) is this actor's to take and open in the exchange's state."""
    step = STEPS[name]
    require(actor, step.permission, exchange, message=str(step.only))
    _refuse_state(exchange, str(step.name), set(step.states))


def _editing(actor, exchange: Exchange, step: str, expected_version: str | None) -> Exchange:
    """The exchange locked for an edit by the step `step` (lifecycle.STEPS): the version the editor read
    is still the record's, the actor is a party, and the step is theirs and open in this state."""
    exchange = _locked(exchange)
    check_version(exchange, expected_version)
    _require_view(actor, exchange)
    _check_step(actor, exchange, step)
    return exchange


def _refuse_too_early(step: str, exchange: Exchange) -> None:
    """The step's dates (timing.EXCHANGE_TIME_RULES) not reached yet: refused with the reason."""
    reason = too_early(step, exchange)
    if reason:
        raise Refused(reason)


def _record(actor, exchange: Exchange, action: str, from_state: str, comment: str = "", **changes) -> None:
    audit.record(
        actor,
        f"exchanges.{action}",
        exchange,
        from_state=from_state,
        to_state=exchange.state,
        comment=comment,
        changes={key: str(value) for key, value in changes.items()},
    )


def _validate_dates(start: date | None, end: date | None, *, allow_past: bool = False) -> None:
    errors = {}
    if start and end and end < start:
        errors["end_date"] = _("The last day cannot be before the first day.")
    if start and not allow_past and start < timezone.localdate():
        errors["start_date"] = _("The stay cannot start in the past.")
    if errors:
        raise ValidationError(errors)


def _validate_person(person, organisation: Organisation) -> None:
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "visitor_person": sentence(
                    _("The travelling person must work for %(name)s."), name=organisation.name
                )
            }
        )


# Applications ------------------------------------------------------------------------------------


@transaction.atomic
def create_exchange(actor, programme: Programme, visitor: Organisation, fields: dict) -> Exchange:
    require(
        actor,
        "exchanges.apply_for",
        visitor,
        message=_("You can only apply for an organisation you belong to."),
    )
    partner = PartnerCluster.objects.responsible_for(programme, visitor)
    if partner is None:
        raise ValidationError(
            {
                "visitor_organisation": sentence(
                    _("%(name)s is not a member of a partner cluster of %(programme)s."),
                    name=visitor.name,
                    programme=programme,
                )
            }
        )
    _validate_dates(fields.get("start_date"), fields.get("end_date"))
    _validate_person(fields.get("visitor_person"), visitor)
    exchange = Exchange(
        programme=programme, visitor_organisation=visitor, visitor_partner=partner, created_by=actor
    )
    for name in APPLICATION_FIELDS:
        if name in fields:
            setattr(exchange, name, fields[name])
    exchange.full_clean()
    exchange.save()
    _record(actor, exchange, "create", "")
    return exchange


@transaction.atomic
def update_application(
    actor, exchange: Exchange, fields: dict, *, expected_version: str | None = None
) -> Exchange:
    exchange = _editing(actor, exchange, "edit_application", expected_version)
    _validate_dates(fields.get("start_date", exchange.start_date), fields.get("end_date", exchange.end_date))
    _validate_person(fields.get("visitor_person"), exchange.visitor_organisation)
    apply_fields(exchange, fields, APPLICATION_FIELDS)
    exchange.full_clean()
    exchange.save()
    _record(actor, exchange, "update", exchange.state)
    return exchange


def visitor_reasons(exchange: Exchange) -> list[str]:
    """What already rules the visitor out, before a host is known."""
    rules = grants.rules_for(exchange.programme)
    reasons = []
    visitor = grants.party(exchange.visitor_organisation)
    if visitor.organisation_type not in rules.visitor_types:
        reasons.append(
            _("%(type)s organisations may host but not visit in this programme.")
            % {"type": exchange.visitor_organisation.get_org_type_display()}
        )
    if rules.visit_once and grants.prior_visits(exchange.visitor_organisation, excluding=exchange):
        reasons.append(
            _("%(name)s has already visited once; an organisation may visit only once.")
            % {"name": exchange.visitor_organisation.name}
        )
    if str(exchange.visitor_organisation.country) not in rules.eligible_countries:
        reasons.append(
            _("%(country)s does not take part in this programme.")
            % {"country": exchange.visitor_organisation.country.name}
        )
    return reasons


# State transitions --------------------------------------------------------------------------------


@transaction.atomic
def perform(actor, exchange: Exchange, action: str, *, comment: str = "", **data) -> Exchange:
    """Run one of the lifecycle's transitions (see `lifecycle.TRANSITIONS`)."""
    transition = TRANSITIONS[action]
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    if not transition.allowed(actor, exchange):
        raise PermissionDenied(str(transition.only))
    _refuse_state(exchange, str(transition.label), set(transition.sources))
    _refuse_too_early(action, exchange)
    if transition.needs_reason and not comment.strip():
        raise ValidationError({"comment": _("Please give a reason.")})
    from_state = exchange.state
    changes = GUARDS_AND_EFFECTS.get(action, _no_effect)(actor, exchange, data)
    exchange.state = transition.target
    if transition.target in {ExchangeState.DECLINED, ExchangeState.CANCELLED, ExchangeState.WITHDRAWN}:
        exchange.closing_reason = comment
        exchange.host_requests.filter(status=HostRequest.Status.PENDING).update(
            status=HostRequest.Status.WITHDRAWN
        )
    exchange.save()
    _record(actor, exchange, action, from_state, comment, **(changes or {}))
    notify(
        exchange,
        STATE_CHANGED,
        {"action": transition.label, "state": ExchangeState(exchange.state).label},
        comment,
    )
    return exchange


def _no_effect(actor, exchange, data):
    return {}


def _check_application(actor, exchange, data):
    """On submit and on validation: the dates and the visitor are still eligible."""
    _validate_dates(exchange.start_date, exchange.end_date)
    reasons = visitor_reasons(exchange)
    if reasons:
        raise ValidationError(reasons)
    return {}


def _on_submit_report(actor, exchange, data):
    missing = [
        str(Exchange._meta.get_field(name).verbose_name)
        for name in ("report_activities", "report_results")
        if not getattr(exchange, name).strip()
    ]
    errors = []
    if missing:
        errors.append(_("Fill in the report first: %(fields)s.") % {"fields": ", ".join(missing)})
    if not exchange.evidence.exists():
        errors.append(_("Upload at least one piece of evidence (boarding pass, invoice)."))
    if errors:
        raise ValidationError(errors)
    exchange.report_submitted_at = timezone.now()
    return {}


def _on_validate_report(actor, exchange, data):
    if exchange.host_confirmed_at is None:
        raise ValidationError(_("The host has not yet confirmed that the exchange took place."))
    exchange.report_validated_at = timezone.now()
    return {}


def _on_record_payment(actor, exchange, data):
    paid_on = data.get("paid_on")
    errors = {}
    try:
        amount = Decimal(str(data.get("amount")))
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        errors["amount"] = _("Enter the amount paid.")
    elif exchange.grant_amount_eur is not None and amount > exchange.grant_amount_eur:
        errors["amount"] = _("The payment cannot exceed the approved grant of %(grant)s.") % {
            "grant": money(exchange.grant_amount_eur)
        }
    if paid_on is None:
        errors["paid_on"] = _("Enter the date of the payment.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    elif exchange.report_validated_at and paid_on < timezone.localdate(exchange.report_validated_at):
        errors["paid_on"] = _("The payment cannot precede the validation of the report.")
    if errors:
        raise ValidationError(errors)
    exchange.paid_amount_eur = amount
    exchange.paid_on = paid_on
    return {"paid_amount_eur": exchange.paid_amount_eur, "paid_on": paid_on, "late": exchange.payment_late}


def _on_certify(actor, exchange, data):
    exchange.certificate_code = new_verification_code()
    exchange.certified_at = timezone.now()
    return {"certificate_code": exchange.certificate_code}


GUARDS_AND_EFFECTS = {
    "submit": _check_application,
    "validate": _check_application,
    "submit_report": _on_submit_report,
    "validate_report": _on_validate_report,
    "record_payment": _on_record_payment,
    "certify": _on_certify,
}


def bulk_perform(
    actor, exchanges, action: str, *, comment: str = ""
) -> tuple[list[Exchange], list[tuple[Exchange, str]]]:
    """Apply one action to many exchanges; each succeeds or fails on its own, with its reason."""
    done, failed = [], []
    for exchange in exchanges:
        try:
            done.append(perform(actor, exchange, action, comment=comment))
        except (PermissionDenied, Refused) as error:
            failed.append((exchange, str(error)))
        except ValidationError as error:
            failed.append((exchange, " ".join(error.messages)))
    return done, failed


# Matching -----------------------------------------------------------------------------------------


def host_reasons(
    exchange: Exchange, host: Organisation, *, rules=None, visits_before: int | None = None
) -> list[str]:
    """Why this host cannot receive this visitor (empty when it can). A page that checks many hosts
    passes the programme's `rules` and the visitor's `visits_before` once."""
    if host.pk == exchange.visitor_organisation_id:
        return [_("An organisation cannot host itself.")]
    assessment = grants.assess_exchange(exchange, host, rules=rules, visits_before=visits_before)
    return [engine_message(reason) for reason in assessment.reasons]


@transaction.atomic
def request_host(actor, exchange: Exchange, host: Organisation, message: str) -> HostRequest:
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    _check_step(actor, exchange, "ask_host")
    if not message.strip():
        raise ValidationError({"message": _("Write a message to the host.")})
    if exchange.host_requests.filter(status=HostRequest.Status.PENDING).exists():
        raise ValidationError(_("A request is already waiting for an answer; withdraw it first."))
    reasons = host_reasons(exchange, host)
    if reasons:
        raise ValidationError(reasons)
    host_request = HostRequest.objects.create(
        exchange=exchange, host_organisation=host, message=message, created_by=actor
    )
    _record(actor, exchange, "request_host", exchange.state, message, host=host, host_id=host.pk)
    notify(
        exchange,
        HOST_ASKED,
        {"visitor": exchange.visitor_organisation},
        message,
        recipients=members_of(exchange, host),
    )
    return host_request


@transaction.atomic
def withdraw_host_request(actor, host_request: HostRequest) -> HostRequest:
    exchange = _locked(host_request.exchange)
    require(actor, "exchanges.request_host", exchange, message=_("Only the visitor withdraws a request."))
    host_request = HostRequest.objects.select_for_update().get(pk=host_request.pk)
    if host_request.status != HostRequest.Status.PENDING:
        raise Refused(_("Only a pending request can be withdrawn."))
    host_request.status = HostRequest.Status.WITHDRAWN
    host_request.save(update_fields=["status"])
    _record(
        actor,
        exchange,
        "withdraw_host_request",
        exchange.state,
        host=host_request.host_organisation,
        host_id=host_request.host_organisation_id,
    )
    return host_request


@transaction.atomic
def respond_to_host_request(
    actor, host_request: HostRequest, *, accept: bool, response: str = ""
) -> Exchange:
    exchange = _locked(host_request.exchange)
    host_request = HostRequest.objects.select_for_update().get(pk=host_request.pk)
    require(
        actor,
        "exchanges.respond_host_request",
        host_request,
        message=_("Only the asked host answers this request."),
    )
    if host_request.status != HostRequest.Status.PENDING:
        raise Refused(_("This request was already answered or withdrawn."))
    _refuse_state(exchange, _("Accept the request"), {ExchangeState.VALIDATED})
    host_request.response = response
    host_request.responded_by = actor
    host_request.responded_at = timezone.now()
    from_state = exchange.state
    if not accept:
        host_request.status = HostRequest.Status.DECLINED
        host_request.save()
        record_outcome(
            EXCHANGE_HOST,
            exchange.visitor_organisation,
            host_request.host_organisation,
            "declined",
            source="host request",
        )
        _record(
            actor,
            exchange,
            "host_declined",
            from_state,
            response,
            host=host_request.host_organisation,
            host_id=host_request.host_organisation_id,
        )
        notify(
            exchange,
            HOST_DECLINED,
            {"host": host_request.host_organisation},
            response,
        )
        return exchange
    reasons = host_reasons(exchange, host_request.host_organisation)
    if reasons:
        raise ValidationError(reasons)
    host_request.status = HostRequest.Status.ACCEPTED
    host_request.save()
    record_outcome(
        EXCHANGE_HOST,
        exchange.visitor_organisation,
        host_request.host_organisation,
        "accepted",
        source="host request",
    )
    exchange.host_organisation = host_request.host_organisation
    exchange.host_partner = PartnerCluster.objects.responsible_for(
        exchange.programme, host_request.host_organisation
    )
    exchange.state = ExchangeState.MATCHED
    exchange.save()
    _record(
        actor,
        exchange,
        "match",
        from_state,
        response,
        host=exchange.host_organisation,
        host_id=exchange.host_organisation_id,
    )
    notify(
        exchange,
        HOST_ACCEPTED,
        {"host": exchange.host_organisation},
        response,
    )
    return exchange


# Grant and budget ----------------------------------------------------------------------------------


def partner_commitments(partner: PartnerCluster, excluding: Exchange | None = None) -> Decimal:
    """Approved grants of the partner's exchanges that still count against its budget."""
    exchanges = Exchange.objects.committed().filter(visitor_partner=partner)
    if excluding is not None:
        exchanges = exchanges.exclude(pk=excluding.pk)
    return exchanges.aggregate(total=Sum("grant_amount_eur"))["total"] or Decimal(0)


def programme_commitments(programme: Programme) -> Decimal:
    return Exchange.objects.committed().filter(programme=programme).aggregate(total=Sum("grant_amount_eur"))[
        "total"
    ] or Decimal(0)


@transaction.atomic
def approve_grant(actor, exchange: Exchange) -> Exchange:
    """Approve and freeze the grant; refused when it would exceed the partner's or programme's budget.

    The partner and programme rows are locked first, so two approvals racing for the last euros are
    serialised: the second sees the first's commitment.
    """
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    _check_step(actor, exchange, "approve_grant")
    if exchange.grant_approved:
        raise Refused(_("The grant is already approved."))
    partner = PartnerCluster.objects.select_for_update().get(pk=exchange.visitor_partner_id)
    programme = Programme.objects.select_for_update().get(pk=exchange.programme_id)
    rules = grants.rules_for(programme)
    assessment = grants.assess(
        programme,
        exchange.visitor_organisation,
        exchange.host_organisation,
        exchange.start_date,
        exchange.end_date,
        excluding=exchange,
        rules=rules,
    )
    if not assessment.eligible:
        raise ValidationError([engine_message(reason) for reason in assessment.reasons])
    amount = assessment.lump_sum
    available = partner.grant_budget_eur - partner_commitments(partner)
    if amount > available:
        raise ValidationError(
            _("Approving %(amount)s would exceed the grant budget of %(partner)s: %(available)s are left.")
            % {"amount": money(amount), "partner": partner.cluster, "available": money(available)}
        )
    programme_available = programme.grant_budget_eur - programme_commitments(programme)
    if amount > programme_available:
        raise ValidationError(
            _("Approving %(amount)s would exceed the programme's grant budget: %(available)s are left.")
            % {"amount": money(amount), "available": money(programme_available)}
        )
    exchange.grant_amount_eur = amount
    exchange.grant_working_days = assessment.working_days
    exchange.grant_distance_km = grants.distance_or_none(assessment.distance_km)
    exchange.grant_rules_applied = [stored_applied_rule(rule) for rule in assessment.applied_rules]
    exchange.grant_rules_snapshot = grants.rules_snapshot(rules)
    exchange.grant_approved_at = timezone.now()
    exchange.grant_approved_by = actor
    exchange.save()
    _record(actor, exchange, "approve_grant", exchange.state, amount=amount)
    notify(exchange, GRANT_APPROVED, {"amount": later_money(amount)})
    return exchange


# Agreement ---------------------------------------------------------------------------------------------


def required_parties(exchange: Exchange) -> list[str]:
    parties = [
        AgreementSignature.Party.VISITOR,
        AgreementSignature.Party.HOST,
        AgreementSignature.Party.VISITOR_PARTNERSHIP,
    ]
    if exchange.host_partner_id:
        parties.append(AgreementSignature.Party.HOST_PARTNERSHIP)
    return parties


def parties_of(actor, exchange: Exchange) -> list[str]:
    """The agreement parties this user may sign for."""
    checks = {
        AgreementSignature.Party.VISITOR: is_visitor,
        AgreementSignature.Party.HOST: is_host,
        AgreementSignature.Party.VISITOR_PARTNERSHIP: is_visitor_partnership,
        AgreementSignature.Party.HOST_PARTNERSHIP: is_host_partnership,
    }
    return [party for party in required_parties(exchange) if checks[party](actor, exchange)]


@transaction.atomic
def update_agreement(
    actor, exchange: Exchange, fields: dict, *, expected_version: str | None = None
) -> Exchange:
    exchange = _editing(actor, exchange, "write_agreement", expected_version)
    before = agreement.document_sha256(exchange)
    apply_fields(exchange, fields, AGREEMENT_FIELDS)
    exchange.save()
    _record(actor, exchange, "update_agreement", exchange.state)
    _withdraw_outdated_signatures(actor, exchange, before)
    return exchange


def _withdraw_outdated_signatures(actor, exchange: Exchange, before: str) -> None:
    """A changed agreement is another document: the signatures of the earlier one no longer count."""
    outdated = exchange.signatures.exclude(document_sha256=agreement.document_sha256(exchange))
    parties = sorted(outdated.values_list("party", flat=True))
    if not parties:
        return
    outdated.delete()
    _record(
        actor, exchange, "signatures_withdrawn", exchange.state, parties=", ".join(parties), sha256=before
    )
    notify(exchange, SIGNATURES_WITHDRAWN)


@transaction.atomic
def sign_agreement(
    actor, exchange: Exchange, party: str, *, password: str = "", code: str = "", document_sha256: str = ""
) -> Exchange:
    """The logged-in user signs the agreement for their own role: the name is their account's, the act
    needs their password again (or their authenticator code when two-factor login is on), and the
    signature binds to `document_sha256`, the hash of the version they read (refused if it changed)."""
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    _refuse_state(exchange, _("Sign the agreement"), {ExchangeState.MATCHED})
    if party not in parties_of(actor, exchange):
        agreement.log_refusal(actor, exchange, f"not the signer's role ({party})")
        raise PermissionDenied(_("You can only sign for your own role in this exchange."))
    errors = []
    if not all(getattr(exchange, name).strip() for name in AGREEMENT_FIELDS):
        errors.append(_("The agreement needs goals, objectives and an agenda before it is signed."))
    if not exchange.grant_approved:
        errors.append(_("The grant must be approved before the agreement is signed."))
    if exchange.signatures.filter(party=party).exists():
        errors.append(_("This party has already signed."))
    if errors:
        raise ValidationError(errors)
    current = agreement.document_sha256(exchange)
    if document_sha256 != current:
        agreement.log_refusal(actor, exchange, "the agreement changed since it was read")
        raise ValidationError(
            {
                "document_sha256": _(
                    "The agreement has changed since you read it (its hash is now %(hash)s); "
                    "read it again before signing."
                )
                % {"hash": current}
            }
        )
    agreement.confirm_identity(actor, password, code)
    name = agreement.signer_name(actor)
    AgreementSignature.objects.create(
        exchange=exchange, party=party, signed_by=actor, signatory_name=name, document_sha256=current
    )
    from_state = exchange.state
    signed = set(exchange.signatures.filter(document_sha256=current).values_list("party", flat=True))
    if signed >= set(required_parties(exchange)):
        exchange.state = ExchangeState.AGREEMENT_SIGNED
        exchange.save()
        notify(exchange, AGREEMENT_SIGNED)
    _record(actor, exchange, "sign_agreement", from_state, party=party, name=name, sha256=current)
    return exchange


# Closing -----------------------------------------------------------------------------------------------


@transaction.atomic
def save_report(actor, exchange: Exchange, fields: dict, *, expected_version: str | None = None) -> Exchange:
    exchange = _editing(actor, exchange, "write_report", expected_version)
    apply_fields(exchange, fields, REPORT_FIELDS)
    exchange.save()
    _record(actor, exchange, "save_report", exchange.state)
    return exchange


@transaction.atomic
def add_evidence(actor, exchange: Exchange, upload, kind: str = Evidence.Kind.OTHER) -> Evidence:
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    _check_step(actor, exchange, "add_evidence")
    try:
        file_kind = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    evidence = Evidence(
        exchange=exchange,
        kind=kind,
        original_name=(upload.name or "")[:200],
        content_type=file_kind.content_type,
        extension=file_kind.extension,
        size=upload.size,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.full_clean()
    evidence.save()
    _record(actor, exchange, "add_evidence", exchange.state, file=evidence.original_name)
    return evidence


@transaction.atomic
def remove_evidence(actor, evidence: Evidence) -> None:
    exchange = _locked(evidence.exchange)
    _check_step(actor, exchange, "remove_evidence")
    _record(actor, exchange, "remove_evidence", exchange.state, file=evidence.original_name)
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def confirm_by_host(actor, exchange: Exchange) -> Exchange:
    exchange = _locked(exchange)
    _require_view(actor, exchange)
    _check_step(actor, exchange, "confirm_stay")
    if exchange.host_confirmed_at:
        raise Refused(_("The host has already confirmed this exchange."))
    _refuse_too_early("confirm_by_host", exchange)
    exchange.host_confirmed_at = timezone.now()
    exchange.host_confirmed_by = actor
    exchange.save()
    _record(actor, exchange, "confirm_by_host", exchange.state)
    notify(exchange, HOST_CONFIRMED)
    return exchange
