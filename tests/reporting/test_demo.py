"""The demo's KPI definitions: every KPI counted by a measure; loading again adds nothing."""

from clusterxchange.programmes.models import KpiMeasure, KpiTarget
from clusterxchange.reporting import demo
from clusterxchange.reporting.measures import Scope, kpi_values


def test_demo_kpis_complete_the_targets_entered_before(world):
    programme = world.programme
    # The exchanges demo creates its targets with bulk_create (no measure given).
    KpiTarget.objects.bulk_create(
        [
            KpiTarget(
                programme=programme, code="exchange-participants", name="Participants in exchanges", target=96
            )
        ]
    )
    demo.ensure_kpis(programme)
    demo.ensure_kpis(programme)
    kpis = list(programme.kpi_targets.all())
    assert [k.code for k in kpis] == [code for code, *_ in demo.KPIS]
    assert {k.measure for k in kpis} == set(KpiMeasure.values)
    assert programme.kpi_targets.get(code="exchange-participants").target == 96
    assert all(item.value == 0 for item in kpi_values(programme, Scope()))
