"""One figure everywhere: the dashboard, the progress report (page and PDF), the public programme
site, the workbook and the API show the same value of each KPI for the same programme and period,
and what has not begun yet counts as "planned", never as carried out.

The reporting world (tests/reporting/conftest.py) gets, on top of its 2023 records, things that
begin after today: a validated exchange without a host, a published mission, a learning tandem.
"""

import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clusterxchange.directory.models import ClusterMembership
from clusterxchange.exchanges import domain as exchange_domain
from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import KpiMeasure, ReportingPeriod
from clusterxchange.reporting import report as progress
from clusterxchange.reporting.measures import MEASURES, Scope, kpi_values
from clusterxchange.tandems.models import Tandem, TandemParticipant
from tests.conftest import make_org
from tests.reporting.conftest import _event
from tests.reporting.test_api import api


@pytest.fixture
def future(rworld):
    """Records that begin after today, and a reporting period that runs from before to after today."""
    today = timezone.localdate()
    world = rworld.x.base
    _event(
        world,
        "mission",
        "Mission to come",
        today + timedelta(days=23),
        "LT",
        world.cluster_b,
        start=today + timedelta(days=20),
    )
    rworld.x.new_exchange(state="validated", start_date=today + timedelta(days=30))
    tandem = Tandem.objects.create(
        programme=rworld.programme,
        topic=Tandem.objects.first().topic,
        title="Branding tandem to come",
        goals="Learn",
        start_date=today + timedelta(days=10),
        end_date=today + timedelta(days=120),
        status="planned",
    )
    TandemParticipant.objects.create(tandem=tandem, partner=rworld.partner_a, role="learner")
    current = ReportingPeriod.objects.create(
        programme=rworld.programme,
        name="Current",
        start_date=date(2024, 1, 1),
        end_date=today + timedelta(days=365),
    )
    return current


def _html_figures(html: str, pattern: str) -> dict[str, int | None]:
    return {
        code: (int(value) if value not in ("", "–") else None) for code, value in re.findall(pattern, html)
    }


def _dashboard(client, rworld, query: str) -> dict[str, int | None]:
    html = client.get(f"/reporting/{rworld.programme.slug}/?{query}").content.decode()
    return _html_figures(html, r'data-kpi="([\w-]+)" data-value="(\d*)"')


def _report_rows(html: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(
        r'<tr data-kpi="([\w-]+)">.*?data-column="period">([^<]*)</td><td data-column="to-date">([^<]*)</td>',
        html,
    )
    return {code: (period, to_date) for code, period, to_date in rows}


def _as_int(text: str) -> int | None:
    return None if text in ("–", "", None) else int(text)


def _workbook_kpis(client, rworld) -> dict[str, dict]:
    from openpyxl import load_workbook

    content = client.get(f"/reporting/{rworld.programme.slug}/export.xlsx").content
    rows = list(load_workbook(io.BytesIO(content), read_only=True)["KPIs"].iter_rows(values_only=True))
    header = list(rows[0])
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize("period_name", ["P2", "Current"])
def test_each_figure_is_identical_on_every_surface(rworld, future, monkeypatch, period_name):
    programme = rworld.programme
    period = programme.periods.get(name=period_name)
    coordinator = rworld.client("coordinator")
    expected_period = {
        item.kpi.code: item.value for item in kpi_values(programme, Scope(period.start_date, period.end_date))
    }
    expected_to_period_end = {
        item.kpi.code: item.value for item in kpi_values(programme, Scope(end=period.end_date))
    }
    expected_to_date = {item.kpi.code: item.value for item in kpi_values(programme, Scope())}
    codes = set(expected_to_date)
    assert codes == set(KpiMeasure.values)

    # Dashboard: the period; the whole programme; up to the period's end.
    assert _dashboard(coordinator, rworld, f"period={period.pk}") == expected_period
    assert _dashboard(coordinator, rworld, "") == expected_to_date
    assert _dashboard(coordinator, rworld, f"end={period.end_date.isoformat()}") == expected_to_period_end

    # Progress report page: "In the period" and "To date" columns.
    page = coordinator.get(f"/reporting/{programme.slug}/report/?period={period.pk}").content.decode()
    rows = _report_rows(page)
    assert {code: _as_int(values[0]) for code, values in rows.items()} == expected_period
    assert {code: _as_int(values[1]) for code, values in rows.items()} == expected_to_period_end

    # Progress report PDF: the HTML that WeasyPrint draws has the same columns.
    drawn: list[str] = []
    real_to_pdf = progress.to_pdf
    monkeypatch.setattr(progress, "to_pdf", lambda html: drawn.append(html) or real_to_pdf(html))
    pdf = coordinator.get(f"/reporting/{programme.slug}/report.pdf?period={period.pk}")
    assert pdf.content.startswith(b"%PDF") and len(drawn) == 1
    assert _report_rows(drawn[0]) == rows

    # Workbook: value to date and the period's column.
    workbook = _workbook_kpis(coordinator, rworld)
    assert {code: row["value_to_date"] for code, row in workbook.items()} == expected_to_date
    assert {code: row[f"value_{period.name}"] for code, row in workbook.items()} == expected_period

    # API: values of a window, per period, published.
    client = api(rworld, "coordinator")
    base = f"/api/reporting/{programme.slug}/kpis"
    window = client.get(f"{base}?start={period.start_date}&end={period.end_date}").json()
    assert {k["code"]: k["value"] for k in window["kpis"]} == expected_period
    assert {k["code"]: k["value"] for k in client.get(base).json()["kpis"]} == expected_to_date
    [per_period] = [p for p in client.get(f"{base}/periods").json() if p["period"] == period.name]
    assert {k["code"]: k["value"] for k in per_period["kpis"]} == expected_period
    published = {k["code"]: k["value"] for k in Client().get(f"{base}/published").json()}
    assert published == {code: expected_to_date[code] for code in ("exchanges", "missions")}

    # Public programme site: the published figures, to date.
    about = Client().get(f"/programme/{programme.slug}/").content.decode()
    assert _html_figures(about, r'<article data-kpi="([\w-]+)" data-value="(\d*)"') == published


def test_what_begins_after_today_is_planned_not_carried_out(rworld, future):
    programme = rworld.programme
    values = {item.kpi.code: item for item in kpi_values(programme, Scope())}
    # The 2023 records only: the mission, tandem and exchange to come are planned.
    assert values["exchanges"].value == 3 and values["exchanges"].planned == 1
    assert values["missions"].value == 2 and values["missions"].planned == 1
    assert values["tandems"].value == 1 and values["tandems"].planned == 1
    assert values["staff-trained"].planned is None  # a measure without "planned"
    report = progress.progress_report(programme, future.start_date, future.end_date)
    assert [e.title for e in report.missions_planned] == ["Mission to come"]
    assert "Mission to come" not in [e.title for e in report.missions_held]
    page = rworld.client("coordinator").get(f"/reporting/{programme.slug}/").content.decode()
    assert 'data-kpi="exchanges" data-value="3" data-planned="1"' in page
    assert "Planned, not yet begun: 1" in page


def test_validating_a_future_exchange_changes_planned_not_carried_out(rworld):
    programme = rworld.programme
    newcomer = make_org("Delta Photonics", "FR", staff_count=12, turnover_eur=900_000)
    ClusterMembership.objects.create(cluster=rworld.x.base.cluster_a, member=newcomer)
    exchange = rworld.x.new_exchange(
        state="submitted",
        start_date=timezone.localdate() + timedelta(days=90),
        visitor_organisation=newcomer,
    )
    before = {item.kpi.code: item for item in kpi_values(programme, Scope())}
    public_before = Client().get(f"/api/reporting/{programme.slug}/kpis/published").json()

    exchange_domain.perform(rworld.x.users["visitor_partnership"], exchange, "validate")
    assert Exchange.objects.get(pk=exchange.pk).state == "validated"

    after = {item.kpi.code: item for item in kpi_values(programme, Scope())}
    for code in (KpiMeasure.EXCHANGES, KpiMeasure.SME_EXCHANGES, KpiMeasure.EXCHANGE_PARTICIPANTS):
        assert after[code].value == before[code].value, code
    assert after[KpiMeasure.EXCHANGES].planned == before[KpiMeasure.EXCHANGES].planned + 1
    assert Client().get(f"/api/reporting/{programme.slug}/kpis/published").json() == [
        {**figure, "planned": figure["planned"] + 1} if figure["code"] == "exchanges" else figure
        for figure in public_before
    ]
    assert MEASURES[KpiMeasure.EXCHANGES].records(programme, Scope()).filter(pk=exchange.pk).exists() is False
