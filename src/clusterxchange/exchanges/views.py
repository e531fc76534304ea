"""Exchange pages: thin — parse, check permission, call the domain action, render.

Every query starts from `visible_exchanges(user)`: an exchange the user may not view is a 404.
Domain actions run through `core.forms.attempt`/`save_form`: a `Refused` or a `ValidationError`
shows as a message (or as form errors), a `PermissionDenied` as 403.
"""

import re
from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.accounts.roles import roles_of
from clusterxchange.accounts.two_factor import has_two_factor
from clusterxchange.core.files import file_response
from clusterxchange.core.forms import attempt, save_form
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges import agreement, documents, domain, grants, host_profiles, suggestions
from clusterxchange.exchanges.disclosure import readable_host_requests, readable_timeline
from clusterxchange.exchanges.forms import (
    AgreementForm,
    ApplicationForm,
    BulkActionForm,
    EvidenceForm,
    ExchangeFilter,
    HostProfileForm,
    HostRequestForm,
    HostResponseForm,
    HostSearchFilter,
    PaymentForm,
    ReasonForm,
    ReportForm,
    SignatureForm,
    VerifyForm,
)
from clusterxchange.exchanges.lifecycle import (
    TRANSITIONS,
    available_transitions,
    open_steps,
    waiting_transitions,
)
from clusterxchange.exchanges.models import (
    COMMITTED_STATES,
    AgreementSignature,
    Evidence,
    Exchange,
    ExchangeState,
    HostProfile,
    HostRequest,
)
from clusterxchange.exchanges.rules import (
    budget_programmes,
    is_host,
    is_party,
    is_visitor,
    visible_exchanges,
)
from clusterxchange.exchanges.timing import too_early
from clusterxchange.privacy.access import log_evidence_download
from clusterxchange.programmes.models import GrantRuleSet, PartnerCluster, Programme

HOST_PAGE_SIZE = 20
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
CODE_PATTERN = re.compile(r"^[0-9A-F]{16}$")
VERIFY_LIMIT_PER_MINUTE = 30


# Querysets -----------------------------------------------------------------------------------------


def _get_exchange(request, reference: str) -> Exchange:
    exchange = get_object_or_404(
        visible_exchanges(request.user).select_related(
            "programme",
            "visitor_organisation",
            "visitor_person",
            "visitor_partner__cluster",
            "host_organisation",
            "host_partner__cluster",
            "grant_approved_by",
        ),
        reference=reference,
    )
    if not request.user.has_perm("exchanges.view_exchange", exchange):  # the rule has the last word
        raise Http404
    return exchange


def _user_programmes(user):
    """Programmes in which one of the user's organisations (or the organisation itself) is a partner."""
    roles = roles_of(user)
    ids = roles.organisation_ids | roles.cluster_ids
    return Programme.objects.filter(partners__cluster_id__in=ids).distinct().order_by("-start_date")


# List and bulk actions ------------------------------------------------------------------------------


@login_required
def exchange_list(request):
    roles = roles_of(request.user)
    queryset = visible_exchanges(request.user).select_related(
        "programme", "visitor_organisation", "host_organisation", "visitor_partner__cluster"
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


# Applications ---------------------------------------------------------------------------------------


def _to_next_steps(request, message):
    """Someone without an organisation is sent to the next steps (join one), not to a refusal; a
    coordinator (who has a role without an organisation) is refused as before."""
    if roles_of(request.user).is_programme_member:
        raise PermissionDenied
    messages.info(request, message)
    return redirect("join:welcome")


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    if not request.user.has_perm("exchanges.add_exchange"):
        return _to_next_steps(request, _("To apply for an exchange, join your organisation first."))
    roles = roles_of(request.user)
    organisations = Organisation.objects.filter(pk__in=roles.organisation_ids).order_by("name")
    programmes = _user_programmes(request.user)
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
    exchange = _get_exchange(request, reference)
    if not is_visitor(request.user, exchange):
        raise PermissionDenied
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


# Detail ---------------------------------------------------------------------------------------------


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
    return _render_detail(request, _get_exchange(request, reference))


@login_required
@require_POST
def exchange_transition(request, reference, action):
    exchange = _get_exchange(request, reference)
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


# Matching --------------------------------------------------------------------------------------------


def eligible_host_candidates(exchange: Exchange):
    """The SQL prefilter of hosts: another country than the visitor, an eligible country of the
    programme, a host type of the programme's rules, not unavailable at the dates (per its host
    profile); organisations with a validated host profile first.
    `domain.host_reasons` has the last word on each candidate shown."""
    ruleset = GrantRuleSet.objects.filter(programme=exchange.programme_id).first()
    host_types = (ruleset.host_types if ruleset else None) or grants.ALL_TYPES
    countries = list(exchange.programme.eligible_countries.values_list("country", flat=True))
    validated_profile = HostProfile.objects.filter(
        organisation=OuterRef("pk"), programme=exchange.programme_id, status=HostProfile.Status.VALIDATED
    )
    # A host that said when it receives visitors, and not at these dates, is not available.
    unavailable = HostProfile.objects.filter(
        organisation=OuterRef("pk"), programme=exchange.programme_id
    ).filter(
        Q(status=HostProfile.Status.WITHDRAWN)
        | Q(available_until__lt=exchange.end_date)
        | Q(available_from__gt=exchange.start_date)
    )
    return (
        Organisation.objects.exclude(pk=exchange.visitor_organisation_id)
        .exclude(country=exchange.visitor_organisation.country)
        .filter(country__in=countries, org_type__in=host_types)
        .exclude(Exists(unavailable))
        .annotate(has_host_profile=Exists(validated_profile))
        .order_by("-has_host_profile", "name", "pk")
    )


def _suggested_hosts(exchange: Exchange, candidates, limit: int = 5) -> list[tuple[Organisation, list[str]]]:
    """Ranked suggestions of the matching engine among the prefiltered candidates, with reasons."""

    return suggestions.suggest_hosts(exchange, candidates, limit=limit)


@login_required
def host_search(request, reference):
    exchange = _get_exchange(request, reference)
    if not request.user.has_perm("exchanges.request_host", exchange):
        raise PermissionDenied
    if exchange.state != ExchangeState.VALIDATED:
        messages.error(
            request,
            _("Hosts can be searched once the partnership has validated the application (now: “%(state)s”).")
            % {"state": exchange.get_state_display()},
        )
        return redirect(exchange)
    candidates = eligible_host_candidates(exchange)
    filterset = HostSearchFilter(request.GET, queryset=candidates)
    page = paginate(request, filterset.qs.prefetch_related("ecosystems"), per_page=HOST_PAGE_SIZE)
    shown, left_out, why = [], 0, Counter()
    rules = grants.rules_for(exchange.programme)
    visits_before = grants.prior_visits(exchange.visitor_organisation, excluding=exchange)
    for organisation in page.object_list:
        reasons = domain.host_reasons(exchange, organisation, rules=rules, visits_before=visits_before)
        if reasons:
            left_out += 1
            why.update(reasons)
        else:
            shown.append(organisation)
    suggested = []
    if not request.GET.get("page") and not any(
        request.GET.get(name) for name in ("q", "country", "org_type")
    ):
        suggested = _suggested_hosts(exchange, candidates)
    pending = exchange.host_requests.filter(status=HostRequest.Status.PENDING).exists()
    return render(
        request,
        "exchanges/host_search.html",
        {
            "exchange": exchange,
            "filter": filterset,
            "page": page,
            "hosts": shown,
            "left_out": left_out,
            "left_out_reasons": why.most_common(5),
            "suggested": suggested,
            "pending": pending,
            "querystring": querystring_without_page(request),
        },
    )


@login_required
@require_POST
def host_request_create(request, reference):
    exchange = _get_exchange(request, reference)
    form = HostRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message to the host."))
        return redirect("exchanges:hosts", reference)
    sent = attempt(
        request,
        lambda: domain.request_host(
            request.user, exchange, form.cleaned_data["host"], form.cleaned_data["message"]
        ),
        success=_("Your request was sent to %(host)s.") % {"host": form.cleaned_data["host"].name},
    )
    return redirect(exchange) if sent else redirect("exchanges:hosts", reference)


@login_required
@require_POST
def host_request_withdraw(request, reference, pk):
    exchange = _get_exchange(request, reference)
    host_request = get_object_or_404(HostRequest, pk=pk, exchange=exchange)
    attempt(
        request,
        lambda: domain.withdraw_host_request(request.user, host_request),
        success=_("Your request was withdrawn."),
    )
    return redirect(exchange)


@login_required
@require_POST
def host_request_respond(request, reference, pk):
    exchange = _get_exchange(request, reference)
    host_request = get_object_or_404(HostRequest, pk=pk, exchange=exchange)
    form = HostResponseForm(request.POST)
    response = form.cleaned_data["response"] if form.is_valid() else ""
    accept = request.POST.get("decision") == "accept"
    attempt(
        request,
        lambda: domain.respond_to_host_request(request.user, host_request, accept=accept, response=response),
        success=_("You accepted to host this exchange.")
        if accept
        else _("You declined to host this exchange."),
    )
    return redirect(exchange)


# Grant and agreement --------------------------------------------------------------------------------


@login_required
@require_POST
def grant_approve(request, reference):
    exchange = _get_exchange(request, reference)
    attempt(
        request,
        lambda: domain.approve_grant(request.user, exchange),
        success=lambda approved: (
            _("The grant of EUR %(amount)s is approved.") % {"amount": approved.grant_amount_eur}
        ),
    )
    return redirect("exchanges:detail", reference)


def _save_section(request, reference, form_class, action, success: str, form_name: str):
    """Save one section of the detail page (agreement, report) through its domain action; field
    errors show on the page, a refusal as a message."""
    exchange = _get_exchange(request, reference)
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
    exchange = _get_exchange(request, reference)
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
            success=_("You signed the agreement for: %(party)s.")
            % {"party": AgreementSignature.Party(form.cleaned_data["party"]).label},
        )
        return redirect("exchanges:detail", reference)
    return _render_detail(request, exchange, {"sign": form})


@login_required
def agreement_pdf(request, reference):
    exchange = _get_exchange(request, reference)
    if not is_party(request.user, exchange) or exchange.host_organisation_id is None:
        raise PermissionDenied
    pdf = documents.agreement_pdf(exchange)
    return _pdf_response(pdf, f"agreement-{exchange.reference}.pdf")


# Closing ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def report_save(request, reference):
    return _save_section(
        request, reference, ReportForm, domain.save_report, _("Your report was saved."), "report"
    )


@login_required
@require_POST
def evidence_upload(request, reference):
    exchange = _get_exchange(request, reference)
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
    exchange = _get_exchange(request, reference)
    if not request.user.has_perm("exchanges.view_evidence", exchange):
        raise PermissionDenied
    evidence = get_object_or_404(Evidence, pk=pk, exchange=exchange)
    response = file_response(evidence.file, filename=evidence.original_name)
    log_evidence_download(request.user, evidence)
    return response


@login_required
@require_POST
def evidence_remove(request, reference, pk):
    exchange = _get_exchange(request, reference)
    evidence = get_object_or_404(Evidence, pk=pk, exchange=exchange)
    attempt(
        request, lambda: domain.remove_evidence(request.user, evidence), success=_("The file was removed.")
    )
    return redirect("exchanges:detail", reference)


@login_required
@require_POST
def host_confirm(request, reference):
    exchange = _get_exchange(request, reference)
    attempt(
        request,
        lambda: domain.confirm_by_host(request.user, exchange),
        success=_("You confirmed that the exchange took place."),
    )
    return redirect("exchanges:detail", reference)


@login_required
@require_POST
def payment_record(request, reference):
    exchange = _get_exchange(request, reference)
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
    exchange = _get_exchange(request, reference)
    if not is_party(request.user, exchange):
        raise PermissionDenied
    if exchange.state != ExchangeState.CERTIFIED or not exchange.certificate_code:
        raise Http404
    pdf = documents.certificate_pdf(exchange, _verification_url(request, exchange.certificate_code))
    return _pdf_response(pdf, f"certificate-{exchange.reference}.pdf")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Public verification ---------------------------------------------------------------------------------


def _verification_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("exchanges:verify_code", args=[code]))


def _too_many_checks(request) -> bool:
    """A coarse per-address limit on verification look-ups (codes are 64 random bits anyway)."""
    key = f"cx-verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > VERIFY_LIMIT_PER_MINUTE


def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = re.sub(r"[\s-]", "", form.cleaned_data["code"]).upper()
        return redirect("exchanges:verify_code", code[:40])
    return render(request, "exchanges/verify.html", {"form": form})


def verify_code(request, code):
    if _too_many_checks(request):
        return render(
            request,
            "exchanges/verify.html",
            {"form": VerifyForm(), "code": code, "throttled": True},
            status=429,
        )
    normalised = code.strip().upper()
    exchange = None
    if CODE_PATTERN.match(normalised):
        exchange = (
            Exchange.objects.filter(certificate_code=normalised, state=ExchangeState.CERTIFIED)
            .select_related("visitor_organisation", "host_organisation")
            .first()
        )
    return render(
        request,
        "exchanges/verify.html",
        {
            "form": VerifyForm(initial={"code": normalised}),
            "code": normalised,
            "certificate": exchange,
            "checked": True,
        },
        status=200 if exchange else 404,
    )


# Host profiles ----------------------------------------------------------------------------------------


@login_required
def host_profile_list(request):
    roles = roles_of(request.user)
    own = HostProfile.objects.filter(organisation_id__in=roles.organisation_ids).select_related(
        "programme", "organisation"
    )
    to_validate = (
        host_profiles.profiles_to_validate(request.user)
        .select_related("programme", "organisation")
        .prefetch_related("languages")
        .order_by("status", "organisation__name")
    )
    status = request.GET.get("status", HostProfile.Status.SUBMITTED)
    if status in HostProfile.Status.values:
        to_validate = to_validate.filter(status=status)
    return render(
        request,
        "exchanges/host_profiles.html",
        {
            "own": own,
            "page": paginate(request, to_validate),
            "status": status,
            "statuses": HostProfile.Status.choices,
            "can_register": bool(roles.organisation_ids),
            "can_validate": roles.is_coordinator or roles.is_cluster_manager,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def host_profile_register(request):
    roles = roles_of(request.user)
    if not roles.organisation_ids:
        return _to_next_steps(request, _("To offer to host, join your organisation first."))
    organisations = Organisation.objects.filter(pk__in=roles.organisation_ids).order_by("name")
    programmes = _user_programmes(request.user)
    form = HostProfileForm(request.POST or None, organisations=organisations, programmes=programmes)

    def register(form):
        host_profiles.register_host_profile(
            request.user,
            form.cleaned_data["programme"],
            form.cleaned_data["organisation"],
            form.domain_fields(),
            languages=form.cleaned_data["languages"],
        )
        return "exchanges:host_profiles"

    return save_form(
        request,
        form,
        register,
        _("Your host profile was sent to your partnership for validation."),
        "exchanges/host_profile_form.html",
    )


@login_required
@require_POST
def host_profile_decide(request, pk):
    profile = get_object_or_404(HostProfile.objects.select_related("programme", "organisation"), pk=pk)
    if not host_profiles.can_validate(request.user, profile):
        raise PermissionDenied
    accept = request.POST.get("decision") == "validate"
    attempt(
        request,
        lambda: host_profiles.decide_host_profile(
            request.user, profile, accept=accept, comment=request.POST.get("comment", "")
        ),
        success=(
            _("The host profile of %(name)s is validated.")
            if accept
            else _("The host profile of %(name)s is declined.")
        )
        % {"name": profile.organisation.name},
    )
    return redirect("exchanges:host_profiles")


# Budget ----------------------------------------------------------------------------------------------


def _sums_by_partner(exchanges, column: str) -> dict[int, Decimal]:
    rows = exchanges.values("visitor_partner_id").annotate(total=Sum(column)).order_by()
    return {row["visitor_partner_id"]: row["total"] or Decimal(0) for row in rows}


@login_required
def budget(request):
    if not request.user.has_perm("exchanges.view_budget"):
        raise PermissionDenied
    roles = roles_of(request.user)
    programmes = list(budget_programmes(request.user).order_by("-start_date"))
    if not programmes:
        raise PermissionDenied
    partners = list(
        PartnerCluster.objects.filter(programme__in=programmes)
        .select_related("cluster")
        .order_by("programme", "-is_coordinator", "cluster__name")
    )
    of_partners = Exchange.objects.filter(visitor_partner__in=partners)
    committed = _sums_by_partner(
        of_partners.filter(grant_approved_at__isnull=False, state__in=COMMITTED_STATES), "grant_amount_eur"
    )
    paid = _sums_by_partner(of_partners.filter(paid_amount_eur__isnull=False), "paid_amount_eur")
    zero = Decimal(0)
    tables = []
    for programme in programmes:
        full_view = programme.pk in roles.coordinator_programme_ids
        lines, others = [], {"budget": zero, "committed": zero, "paid": zero, "available": zero, "count": 0}
        total = {"budget": zero, "committed": zero, "paid": zero, "available": zero}
        for partner in (p for p in partners if p.programme_id == programme.pk):
            line = {
                "partner": partner,
                "budget": partner.grant_budget_eur,
                "committed": committed.get(partner.pk, zero),
                "paid": paid.get(partner.pk, zero),
            }
            line["available"] = line["budget"] - line["committed"]
            for key in total:
                total[key] += line[key]
            if full_view or partner.cluster_id in roles.managed_cluster_ids:
                lines.append(line)
            else:
                for key in ("budget", "committed", "paid", "available"):
                    others[key] += line[key]
                others["count"] += 1
        tables.append(
            {
                "programme": programme,
                "lines": lines,
                "others": others if others["count"] else None,
                "total": total,
                "programme_available": programme.grant_budget_eur - total["committed"],
            }
        )
    return render(request, "exchanges/budget.html", {"tables": tables})
