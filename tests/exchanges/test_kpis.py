"""KPI feed: each exchange counted once, for the visitor's partnership, by period and attribute."""

from datetime import date

from clusterxchange.exchanges import kpis
from clusterxchange.programmes.models import ReportingPeriod
from tests.conftest import make_org


def test_counted_once_for_the_visitor_partnership(xworld):
    base = xworld.base
    partner_a = base.programme.partners.get(cluster=base.cluster_a)
    partner_b = base.programme.partners.get(cluster=base.cluster_b)
    ReportingPeriod.objects.create(
        programme=base.programme, name="1st", start_date=date(2023, 1, 1), end_date=date(2023, 6, 30)
    )
    ReportingPeriod.objects.create(
        programme=base.programme, name="2nd", start_date=date(2023, 7, 1), end_date=date(2023, 12, 31)
    )
    base.org_a2.staff_count = 400  # a large visitor: not an SME
    base.org_a2.save()
    xworld.new_exchange(state="certified", start_date=date(2023, 6, 30))  # SME, A → B, last day of 1st
    xworld.new_exchange(state="validated", start_date=date(2023, 7, 1), visitor_organisation=base.org_a2)
    xworld.new_exchange(state="cancelled", start_date=date(2023, 7, 3))
    xworld.new_exchange(state="draft", start_date=date(2023, 7, 3))
    visitor_b = make_org("Omega", "ES", staff_count=10, turnover_eur=100)
    xworld.new_exchange(
        state="paid",
        start_date=date(2023, 8, 1),
        visitor_organisation=visitor_b,
        visitor_partner=partner_b,
        host_organisation=base.org_a1,
        host_partner=partner_a,
    )

    total = kpis.count(base.programme)
    assert (total.exchanges, total.sme_exchanges) == (3, 2)
    assert kpis.count(base.programme, partner=partner_a).exchanges == 2  # hosting does not count for A
    assert kpis.count(base.programme, partner=partner_b).exchanges == 1
    by_period = kpis.count_by_period(base.programme)
    assert (by_period["1st"].exchanges, by_period["2nd"].exchanges) == (1, 2)
    by_country = kpis.count_by(kpis.counted_exchanges(base.programme), "visitor_organisation__country")
    assert {code: c.exchanges for code, c in by_country.items()} == {"FR": 2, "ES": 1}
    by_partner = kpis.count_by(kpis.counted_exchanges(base.programme), "visitor_partner__cluster__name")
    assert by_partner["Cluster A"].sme_exchanges == 1
    assert kpis.count(base.programme, end=date(2023, 6, 29)).exchanges == 0
