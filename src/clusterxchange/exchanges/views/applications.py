"""Exchange pages: the list, an application from draft to certificate (detail, transitions, agreement, report, evidence, payment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts.two_factor import has_two_factor
from clusterxchange.core.domain import require
from clusterxchange.core.files import file_response
from clusterxchange.core.forms import active_filters, attempt, save_form
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.money import money
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import sentence
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges import agreement, documents, domain, grants
from clusterxchange.exchanges.disclosure import readable_host_requests, readable_timeline
from clusterxchange.exchanges.forms import (
    AgreementForm,
    ApplicationForm,
    BulkActionForm,
    EvidenceForm,
    ExchangeFilter,
    HostResponseForm,
    PaymentForm,
    ReasonForm,
    ReportForm,
    SignatureForm,
)
from clusterxchange.exchanges.lifecycle import (
    TRANSITIONS,
    available_transitions,
    open_steps,
    waiting_transitions,
)
from clusterxchange.exchanges.models import (
    AgreementSignature,
    Evidence,
    Exchange,
    ExchangeState,
    HostRequest,
)
from clusterxchange.exchanges.rules import (
    is_host,
    is_party,
    is_visitor,
    visible_exchanges,
)
from clusterxchange.exchanges.signals import evidence_downloaded
from clusterxchange.exchanges.timing import too_early
from clusterxchange.exchanges.views.common import get_exchange, pdf_response, to_next_steps, user_programmes
from clusterxchange.exchanges.views.verification import verification_url

# Transitions with their own form on the page (the payment needs an amount and a date).
OWN_FORM_TRANSITIONS = {"record_payment"}


ACTION_LABELS = {
    "create": gettext_lazy("Application created"),
    "update": gettext_lazy("Application edited"),
    "request_host": gettext_lazy("Host asked"),
    "withdraw_host_request": gettext_lazy("Host request withdrawn"),
    "host_declined": gettext_lazy("Host declined"),
    "match": gettext_lazy("Host accepted"),
    "approve_grant": gettext_lazy("Grant approved"),
    "update_agreement": gettext_lazy("Agreement edited"),
    "sign_agreement": gettext_lazy("Agreement signed"),
    "signatures_withdrawn": gettext_lazy("Signatures withdrawn: the agreement changed"),
    "save_report": gettext_lazy("Report saved"),
    "add_evidence": gettext_lazy("Evidence added"),
    "remove_evidence": gettext_lazy("Evidence removed"),
    "confirm_by_host": gettext_lazy("Confirmed by the host"),
}


@login_required
def exchange_list(request):
    roles = roles_of(request.user)
    queryset = visible_exchanges(request.user).select_related(
        "programme", "visitor_organisation", "host_organisation"
    )
    filterset = ExchangeFilter(request.GET, queryset=queryset, roles=roles)
    exchanges = filterset.qs.order_by("-created_at", "-pk")
    page = paginate(request, exchanges)
    incoming = (
        HostRequest.objects.filter(
            status=HostRequest.Status.PENDING,
            host_organisation_id__in=roles.organisation_ids,
            exchange__state=ExchangeState.VALIDATED,
        )
        .select_related("exchange", "exchange__visitor_organisation", "host_organisation")
        .order_by("created_at")
    )
    can_bulk = roles.is_coordinator or roles.is_cluster_manager
    return render(
        request,
        "exchanges/list.html",
        {
            "filter": filterset,
            "active_filters": active_filters(filterset.form, request.GET),
            "page": page,
            "querystring": querystring_without_page(request),
            "incoming": incoming,
            "can_apply": request.user.has_perm("exchanges.add_exchange"),
            "can_bulk": can_bulk,
            "bulk_form": BulkActionForm() if can_bulk else None,
            "is_manager": can_bulk,
        },
    )


@login_required
@require_POST
def bulk_action(request):
    form = BulkActionForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("exchanges:list")
    references = request.POST.getlist("references")
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect(next_url)
    if not references:
        messages.error(request, _("Select at least one exchange."))
        return redirect(next_url)
    exchanges = list(visible_exchanges(request.user).filter(reference__in=references[:200]).order_by("pk"))
    missing = set(references) - {exchange.reference for exchange in exchanges}
    done, failed = domain.bulk_perform(
        request.user, exchanges, form.cleaned_data["action"], comment=form.cleaned_data["comment"]
    )
    label = TRANSITIONS[form.cleaned_data["action"]].label
    if done:
        messages.success(
            request,
            _("%(action)s: done for %(count)d exchanges (%(references)s).")
            % {"action": label, "count": len(done), "references": ", ".join(e.reference for e in done)},
        )
    for exchange, reason in failed:
        messages.error(request, f"{exchange.reference}: {reason}")
    for reference in sorted(missing):
        messages.error(request, _("%(reference)s: not found.") % {"reference": reference[:20]})
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    if not request.user.has_perm("exchanges.add_exchange"):
        return to_next_steps(request, _("To apply for an exchange, join your organisation first."))
    roles = roles_of(request.user)
    organisations = Organisation.objects.filter(pk__in=roles.organisation_ids).order_by("name")
    programmes = user_programmes(request.user)
    form = ApplicationForm(request.POST or None, organisations=organisations, programmes=programmes)
    if request.GET.get("programme") and not request.POST:
        form.initial["programme"] = request.GET["programme"]
    return save_form(
        request,
        form,
        lambda form: domain.create_exchange(
            request.user,
            form.cleaned_data["programme"],
            form.cleaned_data["visitor_organisation"],
            form.domain_fields(),
        ),
        _("Your application was saved as a draft; submit it when it is complete."),
        "exchanges/application_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, reference):
    exchange = get_exchange(request, reference)
    require(request.user, "exchanges.change_application", exchange)
    if exchange.state != ExchangeState.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(exchange)
    form = ApplicationForm(request.POST or None, instance=Exchange.objects.get(pk=exchange.pk))
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: domain.update_application(
                request.user, exchange, form.domain_fields(), expected_version=form.expected_version
            ),
            success=_("Your changes were saved."),
            form=form,
        )
        if outcome or outcome.refused:
            return redirect(exchange)
    return render(request, "exchanges/application_form.html", {"form": form, "exchange": exchange})


def _grant_context(exchange: Exchange) -> dict:
    if exchange.grant_approved:
        return {"grant_frozen": True}
    if exchange.host_organisation_id is None or exchange.is_closed:
        return {}
    assessment = grants.assess_exchange(exchange)
    return {"grant_preview": assessment}


def _state_label(value: str) -> str:
    return str(ExchangeState(value).label) if value in ExchangeState.values else value


def _timeline(user, exchange: Exchange) -> list[dict]:
    entries = readable_timeline(
        user,
        exchange,
        AuditEntry.objects.filter(object_type="exchanges.exchange", object_id=str(exchange.pk))
        .select_related("actor")
        .order_by("created_at", "id"),
    )
    timeline = []
    for entry in entries:
        action = entry.action.removeprefix("exchanges.")
        label = TRANSITIONS[action].label if action in TRANSITIONS else ACTION_LABELS.get(action, action)
        timeline.append(
            {
                "entry": entry,
                "label": label,
                "from_state": _state_label(entry.from_state) if entry.from_state else "",
                "to_state": _state_label(entry.to_state),
                "changed": entry.from_state != entry.to_state,
                "actor": (entry.actor.get_full_name() or entry.actor.email) if entry.actor else "",
            }
        )
    return timeline


def _render_detail(request, exchange: Exchange, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    state = exchange.state
    visitor = is_visitor(user, exchange)
    host = is_host(user, exchange)
    partnership = request.user.has_perm("exchanges.approve_grant", exchange)
    signatures = list(exchange.signatures.select_related("signed_by"))
    signed_parties = {signature.party for signature in signatures}
    host_requests = readable_host_requests(
        user, exchange, exchange.host_requests.select_related("host_organisation")
    )
    my_pending_requests = [
        host_request
        for host_request in host_requests
        if host_request.status == HostRequest.Status.PENDING
        and host_request.host_organisation_id in roles_of(user).organisation_ids
    ]
    available = available_transitions(user, exchange)
    transitions = [t for t in available if t.name not in OWN_FORM_TRANSITIONS]
    waiting = list(waiting_transitions(user, exchange))
    steps = open_steps(user, exchange)
    host_may_confirm = "confirm_stay" in steps and exchange.host_confirmed_at is None
    if host_may_confirm and (reason := too_early("confirm_by_host", exchange)):
        waiting.append((_("Confirm that the exchange took place"), reason))
        host_may_confirm = False
    sign_parties = []
    if state == ExchangeState.MATCHED:
        sign_parties = [
            (party, AgreementSignature.Party(party).label)
            for party in domain.parties_of(user, exchange)
            if party not in signed_parties
        ]
    timeline = _timeline(user, exchange)
    can_view_evidence = user.has_perm("exchanges.view_evidence", exchange)
    context = {
        "exchange": exchange,
        "is_visitor": visitor,
        "is_host": host,
        "is_partnership": partnership,
        "is_party": is_party(user, exchange),
        "transitions": transitions,
        "waiting": [(getattr(step, "label", step), reason) for step, reason in waiting],
        "reason_form": ReasonForm(),
        "timeline": timeline,
        "host_requests": host_requests,
        "my_pending_requests": my_pending_requests,
        "response_form": HostResponseForm(),
        "can_search_hosts": "ask_host" in steps
        and not any(r.status == HostRequest.Status.PENDING for r in host_requests),
        "can_approve_grant": "approve_grant" in steps and not exchange.grant_approved,
        "signatures": signatures,
        "required_parties": [AgreementSignature.Party(p).label for p in domain.required_parties(exchange)],
        "sign_parties": sign_parties,
        "sign_form": forms.get("sign") or SignatureForm(),
        "can_edit_agreement": "write_agreement" in steps,
        "document_sha256": agreement.document_sha256(exchange) if exchange.host_organisation_id else "",
        "signer_name": agreement.signer_name(user) if sign_parties else "",
        "signs_with_code": bool(sign_parties) and has_two_factor(user),
        "agreement_form": forms.get("agreement") or AgreementForm(instance=exchange),
        "show_agreement": exchange.host_organisation_id is not None,
        "can_report": "write_report" in steps,
        "report_form": forms.get("report") or ReportForm(instance=exchange),
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "can_view_evidence": can_view_evidence,
        "evidence": list(exchange.evidence.all()) if can_view_evidence else [],
        "can_confirm": host_may_confirm,
        "can_pay": any(t.name == "record_payment" for t in available),
        "payment_form": forms.get("payment") or PaymentForm(exchange=exchange),
        "show_closing": state
        in {
            ExchangeState.IN_PROGRESS,
            ExchangeState.REPORT_SUBMITTED,
            ExchangeState.REPORT_VALIDATED,
            ExchangeState.PAID,
            ExchangeState.CERTIFIED,
        },
        **_grant_context(exchange),
    }
    return render(request, "exchanges/detail.html", context, status=status)


@login_required
def exchange_detail(request, reference):
    return _render_detail(request, get_exchange(request, reference))


@login_required
@require_POST
def exchange_transition(request, reference, action):
    exchange = get_exchange(request, reference)
    if action not in TRANSITIONS or action in OWN_FORM_TRANSITIONS:
        raise Http404
    form = ReasonForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    attempt(
        request,
        lambda: domain.perform(request.user, exchange, action, comment=comment),
        success=lambda done: (
            _("%(action)s: the exchange is now “%(state)s”.")
            % {"action": TRANSITIONS[action].label, "state": done.get_state_display()}
        ),
    )
    return redirect(exchange)


@login_required
@require_POST
def grant_approve(request, reference):
    exchange = get_exchange(request, reference)
    attempt(
        request,
        lambda: domain.approve_grant(request.user, exchange),
        success=lambda approved: (
            _("The grant of %(amount)s is approved.") % {"amount": money(approved.grant_amount_eur)}
        ),
    )
    return redirect("exchanges:detail", reference)


def _save_section(request, reference, form_class, action, success: str, form_name: str):
    """Save one section of the detail page (agreement, report) through its domain action; field
    errors show on the page, a refusal as a message."""
    exchange = get_exchange(request, reference)
    form = form_class(request.POST, instance=exchange)
    if form.is_valid() and attempt(
        request,
        lambda: action(request.user, exchange, form.domain_fields(), expected_version=form.expected_version),
        success=success,
        form=form,
    ):
        return redirect("exchanges:detail", reference)
    if not form.errors:
        return redirect("exchanges:detail", reference)
    exchange.refresh_from_db()
    return _render_detail(request, exchange, {form_name: form})


@login_required
@require_POST
def agreement_edit(request, reference):
    return _save_section(
        request, reference, AgreementForm, domain.update_agreement, _("The agreement was saved."), "agreement"
    )


@login_required
@require_POST
def agreement_sign(request, reference):
    exchange = get_exchange(request, reference)
    form = SignatureForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: domain.sign_agreement(
                request.user,
                exchange,
                form.cleaned_data["party"],
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                document_sha256=form.cleaned_data["document_sha256"],
            ),
            success=sentence(
                _("You signed the agreement for: %(party)s."),
                party=AgreementSignature.Party(form.cleaned_data["party"]).label,
            ),
        )
        return redirect("exchanges:detail", reference)
    return _render_detail(request, exchange, {"sign": form})


@login_required
def agreement_pdf(request, reference):
    exchange = get_exchange(request, reference)
    if not is_party(request.user, exchange) or exchange.host_organisation_id is None:
        raise PermissionDenied(
            _("Only the visitor and the host download the agreement, once the host is chosen.")
        )
    pdf = documents.agreement_pdf(exchange)
    return pdf_response(pdf, f"agreement-{exchange.reference}.pdf")


@login_required
@require_POST
def report_save(request, reference):
    return _save_section(
        request, reference, ReportForm, domain.save_report, _("Your report was saved."), "report"
    )


@login_required
@require_POST
def evidence_upload(request, reference):
    exchange = get_exchange(request, reference)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: domain.add_evidence(
                request.user, exchange, form.cleaned_data["file"], form.cleaned_data["kind"]
            ),
            success=_("The file was added."),
            form=form,
        )
        if outcome or outcome.refused:
            return redirect("exchanges:detail", reference)
    return _render_detail(request, exchange, {"evidence": form}, status=400)


@login_required
def evidence_download(request, reference, pk):
    exchange = get_exchange(request, reference)
    require(request.user, "exchanges.view_evidence", exchange)
    evidence = get_object_or_404(Evidence, pk=pk, exchange=exchange)
    response = file_response(evidence.file, filename=evidence.original_name)
    evidence_downloaded.send(Evidence, actor=request.user, evidence=evidence)
    return response


@login_required
@require_POST
def evidence_remove(request, reference, pk):
    exchange = get_exchange(request, reference)
    evidence = get_object_or_404(Evidence, pk=pk, exchange=exchange)
    attempt(
        request, lambda: domain.remove_evidence(request.user, evidence), success=_("The file was removed.")
    )
    return redirect("exchanges:detail", reference)


@login_required
@require_POST
def host_confirm(request, reference):
    exchange = get_exchange(request, reference)
    attempt(
        request,
        lambda: domain.confirm_by_host(request.user, exchange),
        success=_("You confirmed that the exchange took place."),
    )
    return redirect("exchanges:detail", reference)


@login_required
@require_POST
def payment_record(request, reference):
    exchange = get_exchange(request, reference)
    form = PaymentForm(request.POST, exchange=exchange)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: domain.perform(
                request.user,
                exchange,
                "record_payment",
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
            ),
            form=form,
        )
        if outcome and outcome.result.payment_late:
            messages.warning(
                request,
                _("The payment was recorded; it is late (due by %(date)s).")
                % {"date": outcome.result.payment_due_by.isoformat()},
            )
        elif outcome:
            messages.success(request, _("The payment was recorded."))
        if outcome or outcome.refused:
            return redirect("exchanges:detail", reference)
    exchange.refresh_from_db()
    return _render_detail(request, exchange, {"payment": form})


@login_required
def certificate_pdf(request, reference):
    exchange = get_exchange(request, reference)
    if not is_party(request.user, exchange):
        raise PermissionDenied(_("Only the visitor and the host download the certificate."))
    if exchange.state != ExchangeState.CERTIFIED or not exchange.certificate_code:
        raise Http404
    pdf = documents.certificate_pdf(exchange, verification_url(request, exchange.certificate_code))
    return pdf_response(pdf, f"certificate-{exchange.reference}.pdf")
