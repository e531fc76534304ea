"""Finding a host: eligible candidates, suggestions, host requests and their answers, and the host profiles partners validate."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, save_form
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import sentence
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges import domain, grants, host_profiles, suggestions
from clusterxchange.exchanges.forms import (
    HostProfileForm,
    HostRequestForm,
    HostResponseForm,
    HostSearchFilter,
    ReasonForm,
)
from clusterxchange.exchanges.models import (
    Exchange,
    ExchangeState,
    HostProfile,
    HostRequest,
)
from clusterxchange.exchanges.rules import host_profiles_to_validate
from clusterxchange.exchanges.views.common import HOST_PAGE_SIZE, get_exchange, to_next_steps, user_programmes
from clusterxchange.programmes.models import GrantRuleSet


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
    exchange = get_exchange(request, reference)
    require(request.user, "exchanges.request_host", exchange)
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
    visitor = exchange.visitor_organisation
    return render(
        request,
        "exchanges/host_search.html",
        {
            "exchange": exchange,
            # Without the visitor's location no distance, so no grant, can be worked out: every host is
            # left out, and the page says what to do instead of only counting them.
            "visitor_unlocated": visitor.latitude is None or visitor.longitude is None,
            "may_locate_visitor": request.user.has_perm("directory.change_organisation", visitor),
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
    exchange = get_exchange(request, reference)
    form = HostRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message to the host."))
        return redirect("exchanges:hosts", reference)
    sent = attempt(
        request,
        lambda: domain.request_host(
            request.user, exchange, form.cleaned_data["host"], form.cleaned_data["message"]
        ),
        success=sentence(_("Your request was sent to %(host)s."), host=form.cleaned_data["host"].name),
    )
    return redirect(exchange) if sent else redirect("exchanges:hosts", reference)


@login_required
@require_POST
def host_request_withdraw(request, reference, pk):
    exchange = get_exchange(request, reference)
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
    exchange = get_exchange(request, reference)
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


@login_required
def host_profile_list(request):
    roles = roles_of(request.user)
    own = HostProfile.objects.filter(organisation_id__in=roles.organisation_ids).select_related(
        "programme", "organisation"
    )
    to_validate = (
        host_profiles_to_validate(request.user)
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
            "querystring": querystring_without_page(request),
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
        return to_next_steps(request, _("To offer to host, join your organisation first."))
    organisations = Organisation.objects.filter(pk__in=roles.organisation_ids).order_by("name")
    programmes = user_programmes(request.user)
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
    require(request.user, "exchanges.validate_host_profile", profile)
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
    return back_to_list(request, reverse("exchanges:host_profiles"), f"profile-{profile.pk}")
