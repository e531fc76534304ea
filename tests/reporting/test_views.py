"""Reporting pages: permission matrix, numbers linked to their records, exports read back, report."""

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from clusterxchange.core.tabular import read_table

ROLES = ["coordinator", "manager", "manager_b", "owner", "same_cluster", "outsider", "anonymous"]


def url(name, rworld, *args, query=""):
    return reverse(f"reporting:{name}", args=[rworld.programme.slug, *args]) + (f"?{query}" if query else "")


def expect(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == expected


DASHBOARD = {
    "coordinator": 200,
    "manager": 200,
    "manager_b": 200,
    "owner": 404,
    "same_cluster": 404,
    "outsider": 404,
    "anonymous": "login",
}
ALL_RECORDS = {**DASHBOARD, "manager": 403, "manager_b": 403}
OWN_RECORDS_A = {**DASHBOARD, "manager_b": 403}
PROGRAMME_EXPORT = {**DASHBOARD, "manager": 403, "manager_b": 403}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(rworld, role):
    client = rworld.client(role)
    partner_a = f"partner={rworld.partner_a.pk}"
    expect(client.get(url("dashboard", rworld)), DASHBOARD[role])
    expect(client.get(url("export_table", rworld, "kpis", "csv")), DASHBOARD[role])
    expect(client.get(url("records", rworld, "exchanges")), ALL_RECORDS[role])
    expect(client.get(url("records", rworld, "exchanges", query=partner_a)), OWN_RECORDS_A[role])
    expect(
        client.get(url("records", rworld, "exchanges", query=partner_a + "&format=csv")), OWN_RECORDS_A[role]
    )
    expect(client.get(url("export_programme", rworld)), PROGRAMME_EXPORT[role])
    expect(client.get(url("report", rworld, query=f"period={rworld.p2.pk}")), DASHBOARD[role])
    expect(
        client.post(url("report_to_news", rworld), {"period": rworld.p2.pk}),
        PROGRAMME_EXPORT[role] if role != "coordinator" else 302,
    )
    index = client.get(reverse("reporting:index"))
    if role in ("coordinator", "manager", "manager_b"):
        assert index.status_code == 302 and index["Location"] == url("dashboard", rworld)
    elif role == "anonymous":
        expect(index, "login")
    else:
        assert index.status_code == 403


def test_navigation_shows_reporting_to_those_allowed(rworld):
    link = f'href="{reverse("reporting:index")}"'
    assert link in rworld.client("coordinator").get("/").content.decode()
    assert link in rworld.client("manager").get("/").content.decode()
    assert link not in rworld.client("owner").get("/").content.decode()
    assert link not in rworld.client("anonymous").get("/").content.decode()


def test_dashboard_numbers_link_to_their_records(rworld):
    page = rworld.client("coordinator").get(url("dashboard", rworld, query=f"period={rworld.p2.pk}"))
    html = page.content.decode()
    assert 'data-kpi="exchanges"' in html
    board = page.context["board"]
    assert {item.kpi.code: item.value for item in board.kpis}["exchanges"] == 2
    (exchanges_url,) = [u for item, u in page.context["cards"] if item.kpi.code == "exchanges"]
    assert exchanges_url and exchanges_url in html.replace("&amp;", "&")
    # The linked list has exactly as many rows as the number.
    listing = rworld.client("coordinator").get(exchanges_url)
    assert listing.context["listing"].total == 2
    assert parse_qs(urlparse(exchanges_url).query)["start"] == ["2023-07-01"]
    # The map is drawn on the server, with the visitor countries of the period.
    assert 'data-country="FR" data-value="1"' in html and 'data-country="ES" data-value="1"' in html
    assert 'data-flow="ES-FR"' in html
    assert "timeline-data" in html and "<script>" not in html


def test_partner_manager_sees_aggregates_and_only_its_own_partner(rworld):
    page = rworld.client("manager").get(url("dashboard", rworld))
    board = page.context["board"]
    assert {item.kpi.code: item.value for item in board.kpis}["exchanges"] == 3  # programme aggregate
    partners = board.table("partners")
    assert [row[0].value for row in partners.rows] == ["Cluster A"]
    assert all(cell.url for cell in partners.rows[0][1:] if cell.value != "–")
    # Programme-wide numbers are not links for a manager (their records include other partners).
    assert all(not url for _item, url in page.context["cards"])
    # Filtering by another partner is refused by the form (the filter is ignored, with an error).
    other = rworld.client("manager").get(
        url("dashboard", rworld, query=f"partner={rworld.partner_b.pk}&period={rworld.p2.pk}")
    )
    assert other.context["form"].errors and other.context["board"].scope.partner is None
    assert other.context["board"].scope.start == rworld.p2.start_date  # the valid filters still apply
    assert (
        rworld.client("manager")
        .get(url("records", rworld, "exchanges", query=f"partner={rworld.partner_b.pk}"))
        .status_code
        == 403
    )


def test_dashboard_table_exports_read_back(rworld):
    client = rworld.client("coordinator")
    query = f"period={rworld.p2.pk}"
    page = client.get(url("dashboard", rworld, query=query))
    expected = page.context["board"].table("visitor_countries")
    for fmt in ("csv", "xlsx"):
        response = client.get(url("export_table", rworld, "visitor_countries", fmt, query=query))
        assert response.status_code == 200
        table = read_table(f"export.{fmt}", response.content)
        assert table.headers == [h.lower() for h in expected.headers]
        rows = [[str(v) for v in row.values()] for row in table.rows]
        assert rows == [[str(cell.value) for cell in row] for row in expected.rows]
        assert rows == [["France", "1", "0"], ["Spain", "1", "1"]]


def test_record_list_export_reads_back(rworld):
    response = rworld.client("coordinator").get(url("records", rworld, "exchanges", query="format=xlsx"))
    table = read_table("records.xlsx", response.content)
    assert [row["first day"] for row in table.rows] == ["2023-06-30", "2023-07-01", "2023-08-01"]
    assert [row["visitor"] for row in table.rows] == ["Alpha Sensors", "Beta Software", "Omega"]


def test_full_programme_export_has_one_sheet_per_record_type(rworld):
    from openpyxl import load_workbook

    response = rworld.client("coordinator").get(url("export_programme", rworld))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "KPIs",
        "Periods",
        "Partners",
        "Exchanges",
        "Events",
        "B2B meetings",
        "Tandems",
        "Tandem outcomes",
        "Strategy reviews",
        "Training",
    ]
    exchanges = list(workbook["Exchanges"].iter_rows(values_only=True))
    assert exchanges[0][:3] == ("reference", "state", "visitor") and len(exchanges) == 6  # all 5 + header
    kpis = {row[0]: row for row in workbook["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert kpis["exchanges"][4:] == (3, 0, True, 1, 2)  # to date, planned, published, P1, P2
    meetings = list(workbook["B2B meetings"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[5] for row in meetings) == [False, True]


def test_progress_report_has_the_figures_of_its_period(rworld):
    page = rworld.client("coordinator").get(url("report", rworld, query=f"period={rworld.p2.pk}"))
    report = page.context["report"]
    figures = {period.kpi.code: (period.value, total.value) for period, total in report.rows()}
    assert figures["exchanges"] == (2, 3)
    assert figures["missions"] == (0, 1)
    assert figures["study-visits"] == (1, 1)
    assert [e.title for e in report.study_visits_held] == ["Visit Sophia"]
    assert [e.title for e in report.missions_planned] == ["Mission Bilbao"]
    assert [t.title for t in report.tandems] == ["Cyber tandem"]
    html = page.content.decode()
    assert "Visit Sophia" in html and "Mission Bilbao" in html and "Mission Dresden" not in html
    assert "coordinator@test.example" in html


def test_progress_report_period_selector_shows_what_is_reported(rworld):
    client = rworld.client("coordinator")
    whole = client.get(url("report", rworld)).content.decode()
    assert '<option value="" selected>Whole programme</option>' in whole
    one_period = client.get(url("report", rworld, query=f"period={rworld.p2.pk}")).content.decode()
    assert '<option value="" selected>' not in one_period
    assert f'<option value="{rworld.p2.pk}" selected>' in one_period


def test_progress_report_pdf(rworld):
    response = rworld.client("coordinator").get(url("report_pdf", rworld, query=f"period={rworld.p1.pk}"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_report_becomes_a_draft_news_article(rworld):
    from clusterxchange.news.models import NewsArticle

    response = rworld.client("coordinator").post(url("report_to_news", rworld), {"period": rworld.p2.pk})
    article = NewsArticle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("news:edit", args=[article.slug])
    assert article.state == "draft" and article.programme == rworld.programme
    assert "TEST progress report" in article.title
    assert "- **Exchanges**: 2 in the period, 3 to date (target 4)" in article.body_markdown
    assert "Visit Sophia" in article.body_markdown


def test_record_list_pages_while_the_download_has_every_row(rworld, monkeypatch):
    from clusterxchange.reporting import records

    monkeypatch.setattr(records, "PAGE_SIZE", 2)
    client = rworld.client("coordinator")
    first = client.get(url("records", rworld, "exchanges"))
    assert first.context["listing"].total == 3 and len(first.context["listing"].rows) == 2
    second = client.get(url("records", rworld, "exchanges", query="page=2"))
    assert [cells[1] for _u, cells in second.context["listing"].rows] == ["Omega"]
    export = read_table("x.csv", client.get(url("records", rworld, "exchanges", query="format=csv")).content)
    assert len(export.rows) == 3


def test_country_filter_offers_the_programmes_eligible_countries(rworld):
    from clusterxchange.reporting.forms import ScopeForm

    eligible = set(rworld.programme.eligible_countries.values_list("country", flat=True))
    offered = {code for code, _name in ScopeForm(rworld.programme).fields["country"].choices if code}
    assert offered == {str(code) for code in eligible} and offered


def test_dashboard_names_the_kpis_in_the_readers_language(rworld):
    """KPIs named as their measure read in the reader's language (found walking the French demo)."""
    from django.utils import translation

    with translation.override("fr"):
        french = url("dashboard", rworld)
    html = rworld.client("coordinator").get(french).content.decode()
    assert 'lang="fr"' in html
    assert "Pays atteints" in html and "Countries reached" not in html


def test_the_dashboards_ecosystem_table_names_them_in_the_readers_language(rworld):
    from django.utils import translation

    from clusterxchange.core.models import Ecosystem

    ecosystem = Ecosystem.objects.get(code="electronics")
    with translation.override("de"):
        expected = str(ecosystem)
        url = reverse("reporting:dashboard", args=[rworld.programme.slug])
    assert expected != ecosystem.name
    html = rworld.client("coordinator").get(url).content.decode()
    assert expected in html and ecosystem.name not in html
