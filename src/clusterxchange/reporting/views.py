"""Reporting pages: thin — check permission, compute with `dashboard` / `measures` / `report`, render.

A programme the user may not see is a 404 for outsiders (it is not theirs to know about) and the
records of another partner are a 403 for a partner manager.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import active_filters, attempt
from clusterxchange.events.models import Event
from clusterxchange.programmes.models import KpiMeasure, Programme
from clusterxchange.programmes.rules import managed_partner_ids
from clusterxchange.reporting import dashboard as dashboard_data
from clusterxchange.reporting import exports, records
from clusterxchange.reporting import report as progress
from clusterxchange.reporting.forms import ScopeForm, scope_params
from clusterxchange.reporting.measures import MEASURES, Scope
from clusterxchange.reporting.measures import event_follow_up as event_follow_up_of
from clusterxchange.reporting.rules import programme_for, visible_programmes

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _access(request, programme) -> tuple[bool, tuple[int, ...]]:
    """Whether the user sees every partner's records, and the partners whose records they manage."""
    return (
        request.user.has_perm("reporting.view_all_records", programme),
        managed_partner_ids(request.user, programme),
    )


def _scope(request, programme) -> tuple[ScopeForm, Scope]:
    """The filters of the request; a partner manager may filter by its own partners only."""
    form = ScopeForm(programme, request.GET or None)
    sees_all, own = _access(request, programme)
    if not sees_all:
        form.fields["partner"].queryset = form.fields["partner"].queryset.filter(pk__in=own)
    return form, form.scope()


def _linker(request, programme: Programme, scope: Scope):
    sees_all, own = _access(request, programme)
    base = reverse("reporting:records", args=[programme.slug, "_"])[: -len("_/")]

    def link(measure: str, **filters) -> str:
        params = scope_params(scope, **filters)
        if not sees_all and (not params.get("partner") or int(params["partner"]) not in own):
            return ""
        return f"{base}{measure}/?{urlencode(params)}"

    return link


def _partners_shown(request, programme) -> tuple[bool, list]:
    """Whether the user sees every partner's detail, and the partners whose rows they see."""
    sees_all, own = _access(request, programme)
    partners = list(programme.partners.select_related("cluster"))
    if not sees_all:
        partners = [partner for partner in partners if partner.pk in own]
    return sees_all, partners


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def index(request):
    programmes = list(visible_programmes(request.user).prefetch_related("texts"))  # the public names
    if not programmes:
        raise PermissionDenied(_("The reporting is for coordinators and partner cluster managers."))
    if len(programmes) == 1:
        return redirect("reporting:dashboard", programmes[0].slug)
    return render(request, "reporting/index.html", {"programmes": programmes})


@login_required
def dashboard(request, slug: str):
    programme = programme_for(request.user, slug)
    form, scope = _scope(request, programme)
    link = _linker(request, programme, scope)
    sees_all, partners = _partners_shown(request, programme)
    board = dashboard_data.build(
        programme,
        scope,
        link,
        partners=partners,
        country_link=lambda code: link(KpiMeasure.EXCHANGES, country=code),
        partner_link=lambda partner: reverse("reporting:partner", args=[programme.slug, partner.pk]),
    )
    query = urlencode(scope_params(scope))
    return render(
        request,
        "reporting/dashboard.html",
        {
            "programme": programme,
            "form": form,
            "active_filters": active_filters(form, request.GET),
            "board": board,
            "query": query,
            "sees_all": sees_all,
            "cards": [(item, link(item.measure.code) if item.measure else "") for item in board.kpis],
            "chart": {"labels": board.timeline["labels"], "series": board.timeline["series"]},
            "periods": programme.periods.all(),
        },
    )


@login_required
def partner(request, slug: str, pk: int):
    """One partner's own page: its exchanges' figures and their flows across Europe, for the
    programme's coordinators and the partner's managers (another partner's manager gets a 403)."""
    programme = programme_for(request.user, slug)
    partner = get_object_or_404(programme.partners.select_related("cluster"), pk=pk)
    if not request.user.has_perm("reporting.view_partner_records", partner):
        raise PermissionDenied(_("You may see the figures of your own partner only."))
    scope = Scope(partner=partner)
    link = _linker(request, programme, scope)
    measures = (MEASURES[KpiMeasure.EXCHANGES], MEASURES[KpiMeasure.SME_EXCHANGES])
    return render(
        request,
        "reporting/partner.html",
        {
            "programme": programme,
            "partner": partner,
            "figures": [
                (m.label, m.value(programme, scope), m.planned_value(programme, scope), link(m.code))
                for m in measures
            ],
            "flows": dashboard_data.flow_map(
                programme,
                scope,
                country_link=lambda code: link(KpiMeasure.EXCHANGES, country=code),
                highlight={str(partner.cluster.country)},
            ),
        },
    )


@login_required
def export_table(request, slug: str, key: str, fmt: str):
    """One dashboard table as CSV or XLSX, with the dashboard's filters."""
    programme = programme_for(request.user, slug)
    _form, scope = _scope(request, programme)
    _sees_all, partners = _partners_shown(request, programme)
    board = dashboard_data.build(programme, scope, lambda *a, **k: "", partners=partners)
    table = board.table(key)
    if table is None or fmt not in FORMATS:
        raise Http404
    content = exports.table_bytes(table.headers, table.plain_rows(), fmt, title=key)
    return _download(content, f"{programme.slug}-{key}-{date.today().isoformat()}", fmt)


def _records_scope(request, programme, measure_code):
    measure = MEASURES.get(measure_code)
    if measure is None:
        raise Http404
    _form, scope = _scope(request, programme)
    if request.GET.get("partner") and scope.partner is None:
        raise PermissionDenied(_("You may list the records of your own partner only."))
    if not request.user.has_perm("reporting.view_all_records", programme) and (
        scope.partner is None or not request.user.has_perm("reporting.view_partner_records", scope.partner)
    ):
        raise PermissionDenied(_("You may list the records of your own partner only."))
    return measure, scope


@login_required
def record_list(request, slug: str, measure: str):
    """The records behind a number of the dashboard (drill-down), also as CSV/XLSX."""
    programme = programme_for(request.user, slug)
    measure, scope = _records_scope(request, programme, measure)
    fmt = request.GET.get("format", "")
    listing = records.listing(
        programme, measure, scope, page=None if fmt in FORMATS else request.GET.get("page", "1")
    )
    if fmt in FORMATS:
        content = exports.table_bytes(listing.headers, listing.plain_rows(), fmt, title=measure.code)
        return _download(content, f"{programme.slug}-{measure.code}", fmt)
    params = scope_params(scope)
    return render(
        request,
        "reporting/records.html",
        {
            "programme": programme,
            "measure": measure,
            "scope": scope,
            "listing": listing,
            "applies": measure.applies(scope),
            "query": urlencode(params),
            "dashboard_query": urlencode(params),
        },
    )


@login_required
def event_follow_up(request, slug: str, event: str):
    """What an event's meetings led to, months later: the follow-up answers about them (organisers)."""
    event = get_object_or_404(Event.objects.select_related("programme"), programme__slug=slug, slug=event)
    if not request.user.has_perm("reporting.view_event_follow_up", event):
        raise PermissionDenied(_("Only the event's organisers see its follow-up answers."))
    follow_up = event_follow_up_of(event)
    page = Paginator(follow_up.records, records.PAGE_SIZE).get_page(request.GET.get("page", "1"))
    headers, rows = records.survey_rows(page.object_list)
    context = {
        "event": event,
        "programme": event.programme,
        "follow_up": follow_up,
        "listing": records.Listing([str(h) for h in headers], rows, page.paginator.count, page),
        "sees_kpis": request.user.has_perm("reporting.view_all_records", event.programme),
    }
    return render(request, "reporting/event_follow_up.html", context)


@login_required
def export_programme(request, slug: str):
    """The full programme data for the EU report: one sheet per record type (docs/reporting.md)."""
    programme = programme_for(request.user, slug)
    if not request.user.has_perm("reporting.export_programme", programme):
        raise PermissionDenied(_("Only the programme's coordinators export the programme data."))
    content = exports.programme_workbook(programme)
    return _download(content, f"{programme.slug}-programme-data-{date.today().isoformat()}", "xlsx")


def _report_window(request, programme) -> tuple[date, date, str, object]:
    period_id = request.GET.get("period") or request.POST.get("period")
    if period_id:
        period = get_object_or_404(programme.periods, pk=period_id)
        return period.start_date, period.end_date, period.name, period
    form = ScopeForm(programme, request.GET)
    scope = form.scope()
    return scope.start or programme.start_date, scope.end or programme.end_date, "", None


def _report(request, slug: str, permission: str = "reporting.view_report"):
    """The progress report the request asks for (`period`, or `start`/`end`), after the permission check."""
    programme = programme_for(request.user, slug)
    require(request.user, permission, programme)
    start, end, name, period = _report_window(request, programme)
    return programme, period, progress.progress_report(programme, start, end, name)


@login_required
def report(request, slug: str):
    programme, period, data = _report(request, slug)
    return render(
        request,
        "reporting/report.html",
        {
            "programme": programme,
            "report": data,
            "period": period,
            "periods": programme.periods.all(),
            "query": urlencode({"period": period.pk} if period else {"start": data.start, "end": data.end}),
            "can_publish": request.user.has_perm("reporting.publish_report", programme),
            "news_available": progress.news_available(),
        },
    )


@login_required
def report_pdf(request, slug: str):
    programme, _period, data = _report(request, slug)
    response = HttpResponse(progress.report_pdf(data), content_type="application/pdf")
    filename = slugify(f"{programme.acronym} progress report {data.start.isoformat()} {data.end.isoformat()}")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@login_required
@require_POST
def report_to_news(request, slug: str):
    """Create a draft news article from the report, to edit before publishing (news app)."""
    _programme_obj, _period, data = _report(request, slug, "reporting.publish_report")
    back = f"{reverse('reporting:report', args=[slug])}?{urlencode({'start': data.start, 'end': data.end})}"
    if not progress.news_available():
        messages.error(request, _("News articles are not available on this site."))
        return redirect(back)
    created = attempt(
        request,
        lambda: progress.create_news_draft(request.user, data),
        success=_("A draft news article was created from the report: edit it, then publish it."),
    )
    return redirect(progress.article_edit_url(created.result) if created else back)
