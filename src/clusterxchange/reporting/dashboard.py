"""What the dashboard shows, computed from the measures: KPI cards, the timeline, the tables, the map.

Everything here is read-only and plain data (dataclasses, dicts), so the page, the exports, the
progress report and the API show the same numbers. Links to drill-downs are built by the caller
(`link(measure, **filters)`), which also decides which numbers the viewer may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusterxchange.core.models import Ecosystem
from clusterxchange.directory.models import OrganisationType
from clusterxchange.programmes.models import KpiMeasure, PartnerCluster, Programme
from clusterxchange.reporting import maps
from clusterxchange.reporting.measures import (
    MEASURES,
    KpiValue,
    Scope,
    country_counts,
    exchange_flows,
    exchange_records,
    kpi_values,
)

# link(measure code, filters) -> URL or "" (not allowed / nothing to list)
Linker = Callable[..., str]


@dataclass
class Cell:
    value: object
    url: str = ""


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def plain_rows(self) -> list[list[object]]:
        return [[cell.value for cell in row] for row in self.rows]


@dataclass
class Dashboard:
    programme: Programme
    scope: Scope
    kpis: list[KpiValue]
    exchanges: int
    sme_exchanges: int
    timeline: dict
    tables: list[Table]
    map_svg: str
    map_legend: list[tuple[str, str]]

    @property
    def sme_share(self) -> int | None:
        return round(100 * self.sme_exchanges / self.exchanges) if self.exchanges else None

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def _country_name(code: str) -> str:
    return str(countries.name(code)) or code


def count_by(exchanges, group: str) -> dict[object, tuple[int, int]]:
    """{value of `group`: (exchanges, of which SMEs)} of the exchanges carried out (one query)."""
    rows = (
        exchanges.order_by()
        .values_list(group)
        .annotate(
            n=Count("pk", distinct=True),
            smes=Count("pk", filter=Q(visitor_organisation__is_sme=True), distinct=True),
        )
    )
    return {value: (n, smes) for value, n, smes in rows}


def exchange_table(
    programme: Programme,
    scope: Scope,
    key: str,
    title: str,
    group: str,
    label: Callable,
    filter_for: Callable,
    link,
) -> Table:
    """Counted exchanges and SME exchanges grouped by one attribute (one query)."""
    counts = count_by(exchange_records(programme, scope), group)
    table = Table(key, title, [str(title), str(_("Exchanges")), str(_("SME exchanges"))])
    for value, (exchanges, smes) in sorted(
        counts.items(), key=lambda item: (-item[1][0], str(label(item[0])))
    ):
        filters = filter_for(value)
        table.rows.append(
            [
                Cell(label(value)),
                Cell(exchanges, link(KpiMeasure.EXCHANGES, **filters) if filters is not None else ""),
                Cell(
                    smes,
                    link(KpiMeasure.SME_EXCHANGES, **filters) if filters is not None else "",
                ),
            ]
        )
    return table


def timeline(programme: Programme, scope: Scope) -> dict:
    """Exchanges and SME exchanges per month of first day on site, and the running total."""
    rows = (
        exchange_records(programme, scope)
        .order_by()
        .annotate(month=TruncMonth("start_date"))
        .values_list("month")
        .annotate(n=Count("pk"), smes=Count("pk", filter=Q(visitor_organisation__is_sme=True)))
        .order_by("month")
    )
    labels, totals, smes, cumulative = [], [], [], []
    running = 0
    for month, n, sme in rows:
        running += n
        labels.append(month.strftime("%Y-%m") if isinstance(month, date) else str(month)[:7])
        totals.append(n)
        smes.append(sme)
        cumulative.append(running)
    return {
        "labels": labels,
        "series": [
            {"label": str(_("Exchanges")), "data": totals, "kind": "bar"},
            {"label": str(_("SME exchanges")), "data": smes, "kind": "bar"},
            {"label": str(_("Running total")), "data": cumulative, "kind": "line"},
        ],
    }


@dataclass
class FlowMap:
    """The map of exchanges across Europe and its text alternative: the flows as rows."""

    svg: str
    legend: list[tuple[str, str]]
    flows: list[tuple[str, str, int]]

    def rows(self) -> list[tuple[str, str, int]]:
        """(visitor's country, host country, exchanges) by name, the largest flows first."""
        named = [(_country_name(source), _country_name(target), n) for source, target, n in self.flows]
        return sorted(named, key=lambda row: (-row[2], row[0], row[1]))


def flow_map(
    programme: Programme,
    scope: Scope,
    countries_reached: dict | None = None,
    *,
    country_link: Callable[[str], str] | None = None,
    highlight: set[str] | None = None,
) -> FlowMap:
    """Countries shaded by their visitors' exchanges, arrows from the visitor's country to the host's,
    for the exchanges of the scope: the whole programme, or one partner's with `scope.partner`.
    `countries_reached` is `country_counts` of the same scope when the caller has it already."""
    if countries_reached is None:
        countries_reached = country_counts(programme, scope)
    by_country = {
        code: counts["visitors"] for code, counts in countries_reached.items() if counts["visitors"]
    }
    links = {code: country_link(code) for code in by_country} if country_link else {}
    flows = exchange_flows(programme, scope)
    svg = maps.europe_map_svg(
        by_country,
        flows=flows,
        links={code: url for code, url in links.items() if url},
        title=str(_("Exchanges by visitor's country, with flows to the host countries")),
        value_label=str(_("exchanges")),
        highlight=highlight,
    )
    return FlowMap(svg=svg, legend=maps.legend(by_country), flows=flows)


def partner_table(
    programme: Programme,
    scope: Scope,
    kpis: list[KpiValue],
    partners,
    link,
    partner_link: Callable[[PartnerCluster], str] | None = None,
) -> Table:
    """Every KPI per partner (the rows), each value linked to its records when the viewer may, the
    partner's name to its own page with `partner_link`."""
    table = Table(
        "partners", str(_("KPIs by partner")), [str(_("Partner"))] + [item.kpi.display_name for item in kpis]
    )
    values = {
        item.kpi.pk: item.measure.by_partner(programme, scope, partners) if item.measure else {}
        for item in kpis
    }
    for partner in partners:
        row = [Cell(partner.cluster.name, partner_link(partner) if partner_link else "")]
        for item in kpis:
            value = values[item.kpi.pk].get(partner.pk)
            url = link(item.measure.code, partner=partner.pk) if item.measure and value is not None else ""
            row.append(Cell("–" if value is None else value, url))
        table.rows.append(row)
    return table


def build(
    programme: Programme,
    scope: Scope,
    link: Linker,
    *,
    partners: list[PartnerCluster] | None = None,
    country_link: Callable[[str], str] | None = None,
    partner_link: Callable[[PartnerCluster], str] | None = None,
) -> Dashboard:
    """The whole dashboard for a programme and scope; `link` builds the drill-down URLs, `partner_link`
    a partner's own page (the caller passes only the partners the viewer may open)."""
    if partners is None:
        partners = list(programme.partners.select_related("cluster"))
    kpis = kpi_values(programme, scope)
    known = {item.measure.code: item.value for item in kpis if item.measure}

    def value_of(code: str) -> int:
        if code in known:  # already counted for a KPI card
            return known[code] or 0
        return MEASURES[code].value(programme, scope) or 0

    exchanges = value_of(KpiMeasure.EXCHANGES)
    smes = value_of(KpiMeasure.SME_EXCHANGES)
    ecosystems = {e.pk: str(e) for e in Ecosystem.objects.all()}  # in the reader's language
    org_types = dict(OrganisationType.choices)
    tables = [
        Table(
            "kpis",
            str(_("KPIs")),
            [
                str(_("KPI")),
                str(_("Counted as")),
                str(_("Carried out")),
                str(_("Planned")),
                str(_("Target")),
                str(_("Progress (%)")),
            ],
            [
                [
                    Cell(item.kpi.display_name),
                    Cell(str(item.measure.label) if item.measure else item.kpi.measure),
                    Cell(
                        "–" if item.value is None else item.value,
                        link(item.measure.code) if item.measure and item.value is not None else "",
                    ),
                    Cell("–" if item.planned is None else item.planned),
                    Cell(item.kpi.target),
                    Cell("–" if item.percent is None else item.percent),
                ]
                for item in kpis
            ],
        ),
        partner_table(programme, scope, kpis, partners, link, partner_link),
        exchange_table(
            programme,
            scope,
            "visitor_countries",
            str(_("Visitor's country")),
            "visitor_organisation__country",
            _country_name,
            lambda code: {"country": code},
            link,
        ),
        exchange_table(
            programme,
            scope,
            "host_countries",
            str(_("Host country")),
            "host_organisation__country",
            lambda code: _country_name(code) if code else str(_("No host yet")),
            lambda code: None,
            link,
        ),
        exchange_table(
            programme,
            scope,
            "ecosystems",
            str(_("Visitor's industrial ecosystem")),
            "visitor_organisation__ecosystems",
            lambda pk: ecosystems.get(pk, str(_("None given"))),
            lambda pk: {"ecosystem": pk} if pk else None,
            link,
        ),
        exchange_table(
            programme,
            scope,
            "org_types",
            str(_("Visitor's organisation type")),
            "visitor_organisation__org_type",
            lambda value: str(org_types.get(value, value)),
            lambda value: {"org_type": value},
            link,
        ),
    ]
    countries_reached = country_counts(programme, scope)
    tables.append(
        Table(
            "countries",
            str(_("Countries reached")),
            [str(_("Country")), str(_("Exchanges sent")), str(_("Exchanges hosted")), str(_("Events held"))],
            [
                [
                    Cell(_country_name(code)),
                    Cell(
                        counts["visitors"],
                        link(KpiMeasure.EXCHANGES, country=code) if counts["visitors"] else "",
                    ),
                    Cell(counts["hosts"]),
                    Cell(counts["events"]),
                ]
                for code, counts in sorted(countries_reached.items(), key=lambda kv: _country_name(kv[0]))
            ],
        )
    )
    flows = flow_map(
        programme,
        scope,
        countries_reached,
        country_link=country_link,
        highlight={str(partner.cluster.country) for partner in partners},
    )
    return Dashboard(
        programme=programme,
        scope=scope,
        kpis=kpis,
        exchanges=exchanges,
        sme_exchanges=smes,
        timeline=timeline(programme, scope),
        tables=tables,
        map_svg=flows.svg,
        map_legend=flows.legend,
    )
