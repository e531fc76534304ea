"""Reporting API: live KPI values (ISO dates), with the dashboard's permissions.

- `GET /api/reporting/{programme}/kpis`: coordinators and the programme's partner cluster managers;
  `partner` is allowed for a manager's own partner only. A programme the user may not see is a 404.
- `GET /api/reporting/{programme}/kpis/periods`: the same, per reporting period.
- `GET /api/reporting/{programme}/kpis/published`: public, the KPIs the coordinator published.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from clusterxchange.programmes.models import Programme
from clusterxchange.reporting.measures import Scope, kpi_values, published_kpi_figures
from clusterxchange.reporting.rules import programme_for

router = Router(tags=["reporting"])


class KpiOut(Schema):
    code: str
    name: str
    measure: str
    target: int
    value: int | None = Field(description="Carried out: begun on or before the day counted, not cancelled.")
    percent: int | None
    planned: int | None = Field(description="Validated or published, beginning after today; not in `value`.")
    definition: str = Field(description="How the value is counted.")


class KpiValuesOut(Schema):
    programme: str
    start: date | None
    end: date | None
    partner_id: int | None
    kpis: list[KpiOut]


class PeriodValuesOut(Schema):
    period: str
    start: date
    end: date
    kpis: list[KpiOut]


class PublishedKpiOut(Schema):
    code: str
    name: str
    value: int
    target: int
    percent: int | None
    planned: int | None
    definition: str


class KpiFilters(Schema):
    start: date | None = None
    end: date | None = None
    partner: int | None = None


def _partner(request, programme, partner_id: int | None):
    if partner_id is None:
        return None
    partner = programme.partners.filter(pk=partner_id).first()
    if partner is None:
        raise ValidationError({"partner": ["Not a partner of this programme."]})
    if not request.user.has_perm("reporting.view_partner_records", partner):
        raise PermissionDenied("You may filter by your own partner only.")
    return partner


def _kpis(items) -> list[dict]:
    return [
        {
            "code": item.kpi.code,
            "name": item.kpi.name,
            "measure": item.kpi.measure,
            "target": item.kpi.target,
            "value": item.value,
            "percent": item.percent,
            "planned": item.planned,
            "definition": item.definition,
        }
        for item in items
    ]


@router.get("/{slug}/kpis", response=KpiValuesOut, summary="KPI values and targets (live)")
def kpis(request, slug: str, filters: Query[KpiFilters]):
    programme = programme_for(request.user, slug)
    if filters.start and filters.end and filters.end < filters.start:
        raise ValidationError({"end": ["The end cannot be before the start."]})
    partner = _partner(request, programme, filters.partner)
    scope = Scope(start=filters.start, end=filters.end, partner=partner)
    return {
        "programme": programme.slug,
        "start": filters.start,
        "end": filters.end,
        "partner_id": partner.pk if partner else None,
        "kpis": _kpis(kpi_values(programme, scope)),
    }


@router.get("/{slug}/kpis/periods", response=list[PeriodValuesOut], summary="KPI values per reporting period")
def kpis_by_period(request, slug: str, partner: int | None = None):
    programme = programme_for(request.user, slug)
    partner_obj = _partner(request, programme, partner)
    targets = list(programme.kpi_targets.all())
    return [
        {
            "period": period.name,
            "start": period.start_date,
            "end": period.end_date,
            "kpis": _kpis(
                kpi_values(
                    programme,
                    Scope(start=period.start_date, end=period.end_date, partner=partner_obj),
                    targets,
                )
            ),
        }
        for period in programme.periods.all()
    ]


@router.get(
    "/{slug}/kpis/published", response=list[PublishedKpiOut], auth=None, summary="Published KPIs (public)"
)
def published_kpis(request, slug: str):
    return published_kpi_figures(get_object_or_404(Programme, slug=slug))
