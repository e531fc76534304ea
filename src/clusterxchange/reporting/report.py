"""The progress report of a reporting period: the consortium's figures, missions held and planned,
study visits, tandems and their outcomes, training, consented testimonials, the coordinator's contact.

`progress_report()` gathers plain data; the HTML page, the PDF (WeasyPrint) and the Markdown text
of the news article draft are rendered from it, so all three show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterxchange.events.models import Event, EventKind
from clusterxchange.exchanges.documents import to_pdf
from clusterxchange.news import domain as news_domain
from clusterxchange.programmes.models import KpiMeasure, Programme, ProgrammeRole
from clusterxchange.reporting import maps
from clusterxchange.reporting.measures import (
    MEASURES,
    KpiValue,
    Scope,
    country_counts,
    exchange_flows,
    held_events,
    kpi_values,
    published_events,
)
from clusterxchange.tandems.models import Tandem, TandemOutcome, TandemStatus
from clusterxchange.training import kpis as training_kpis


@dataclass
class ProgressReport:
    programme: Programme
    start: date
    end: date
    title: str
    period_name: str
    kpis: list[KpiValue]  # values within the period
    cumulative: list[KpiValue]  # values from the programme's start to the period's end
    missions_held: list[Event]
    missions_planned: list[Event]
    study_visits_held: list[Event]
    study_visits_planned: list[Event]
    tandems: list[Tandem]
    staff_trained: int
    staff_trained_total: int
    courses_completed: int
    testimonials: list
    coordinators: list
    contact_email: str
    map_svg: str
    generated_at: object

    def rows(self) -> list[tuple[KpiValue, KpiValue]]:
        return list(zip(self.kpis, self.cumulative, strict=True))


def testimonials_for(programme: Programme, start: date, end: date, limit: int = 6) -> list:
    """Consented, approved (published) testimonials of the period from the news app, if installed."""
    if not apps.is_installed("clusterxchange.news"):
        return []
    testimonial = apps.get_model("news", "Testimonial")
    return list(
        testimonial.objects.publishable(programme=programme, start=start, end=end).select_related(
            "organisation"
        )[:limit]
    )


def _events(programme: Programme, kind: str, scope: Scope) -> tuple[list[Event], list[Event]]:
    """The events of `kind` held in the window as the KPIs count them (begun by the day counted),
    and the published ones that begin after that day (planned)."""
    held = held_events(programme, scope).filter(kind=kind)
    later = published_events(programme, Scope()).filter(kind=kind, start_date__gt=scope.day_counted)
    return (
        list(held.select_related("host_cluster").order_by("start_date")),
        list(later.select_related("host_cluster").order_by("start_date")),
    )


def progress_report(programme: Programme, start: date, end: date, period_name: str = "") -> ProgressReport:
    scope = Scope(start=start, end=end)
    to_date = Scope(start=None, end=end)
    kpis = list(programme.kpi_targets.all())
    missions_held, missions_planned = _events(programme, EventKind.MISSION, scope)
    visits_held, visits_planned = _events(programme, EventKind.STUDY_VISIT, scope)
    tandems = list(
        Tandem.objects.filter(programme=programme, start_date__lte=scope.day_counted, end_date__gte=start)
        .exclude(status=TandemStatus.CANCELLED)
        .select_related("topic")
        .prefetch_related(
            "participants__partner__cluster",
            Prefetch(
                "outcomes",
                queryset=TandemOutcome.objects.filter(launched_on__lte=end).select_related(
                    "partner__cluster"
                ),
            ),
        )
        .order_by("start_date")
    )
    countries = country_counts(programme, scope)
    coordinators = list(
        ProgrammeRole.objects.filter(programme=programme, role=ProgrammeRole.Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
    )
    title = _("%(programme)s progress report: %(start)s – %(end)s") % {
        "programme": programme.acronym,
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
    return ProgressReport(
        programme=programme,
        start=start,
        end=end,
        title=title,
        period_name=period_name,
        kpis=kpi_values(programme, scope, kpis),
        cumulative=kpi_values(programme, to_date, kpis),
        missions_held=missions_held,
        missions_planned=missions_planned,
        study_visits_held=visits_held,
        study_visits_planned=visits_planned,
        tandems=tandems,
        staff_trained=MEASURES[KpiMeasure.STAFF_TRAINED].value(programme, scope),
        staff_trained_total=MEASURES[KpiMeasure.STAFF_TRAINED].value(programme, to_date),
        courses_completed=training_kpis.completed_records(programme, end=scope.day_counted)
        .filter(completed_on__gte=start)
        .count(),
        testimonials=testimonials_for(programme, start, end),
        coordinators=coordinators,
        contact_email=programme.contact_email,
        map_svg=maps.europe_map_svg(
            {code: counts["visitors"] for code, counts in countries.items() if counts["visitors"]},
            flows=exchange_flows(programme, scope),
            title=_("Exchanges of the period by visitor's country and host country"),
            value_label=_("exchanges"),
        ),
        generated_at=timezone.now(),
    )


def report_pdf(report: ProgressReport) -> bytes:

    return to_pdf(
        render_to_string("reporting/pdf/report.html", {"report": report, "site_name": settings.SITE_NAME})
    )


def report_markdown(report: ProgressReport) -> str:
    """The report as Markdown for a news article draft (edited before publishing)."""
    return render_to_string("reporting/report.md", {"report": report}).strip() + "\n"


def news_available() -> bool:
    return apps.is_installed("clusterxchange.news")


def create_news_draft(user, report: ProgressReport):
    """A draft news article with the report's text (the news app's own action checks permission)."""

    summary = _("Figures of the %(programme)s consortium from %(start)s to %(end)s.") % {
        "programme": report.programme.acronym,
        "start": date_format(report.start, "SHORT_DATE_FORMAT"),
        "end": date_format(report.end, "SHORT_DATE_FORMAT"),
    }
    return news_domain.create_draft_article(
        user,
        report.programme,
        title=report.title[:200],
        body_markdown=report_markdown(report),
        summary=summary,
        source="progress report",
    )


def article_edit_url(article) -> str:
    """Where the draft is edited: the news app's edit page (`news:edit`), else its page, else admin."""

    for name, args in (("news:edit", [article.slug]), ("news:detail", [article.slug])):
        try:
            return reverse(name, args=args) + ("" if name == "news:edit" else "edit/")
        except NoReverseMatch:
            continue
    try:
        return reverse("admin:news_newsarticle_change", args=[article.pk])
    except NoReverseMatch:
        return reverse("reporting:report", args=[article.programme.slug])
