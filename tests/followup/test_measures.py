"""The KPI measures fed by the follow-up answers: values, once per meeting, the partner filter, the
drill-down page and its export (same rows as the figure), the definitions."""

import pytest
from django.urls import reverse

from clusterxchange.events.models import Meeting
from clusterxchange.followup import domain
from clusterxchange.followup.models import Survey
from clusterxchange.programmes.models import KpiMeasure as M
from clusterxchange.programmes.models import KpiTarget
from clusterxchange.reporting.measures import MEASURES, Scope, kpi_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world, fw):
    """Meeting 1 (owner – outsider): both say it led to an agreement; meeting 2 (owner – Delta):
    Delta says none; the owner has not answered about meeting 2."""
    meeting1 = Meeting.objects.get(request=fw.pending)
    meeting2 = Meeting.objects.filter(event=fw.event).exclude(pk=meeting1.pk).get()
    programme = fw.event.programme
    surveys = {}
    for key, user, meeting in (
        ("o1", world.users["owner"], meeting1),
        ("x1", world.users["outsider"], meeting1),
        ("o2", world.users["owner"], meeting2),
        ("d2", fw.delta, meeting2),
    ):
        surveys[key] = Survey.objects.create(
            programme=programme, user=user, meeting=meeting, expires_at=domain._expires(domain.timezone.now())
        )
    domain.answer(surveys["o1"], "commercial", "20000", "yes")
    domain.answer(surveys["x1"], "technology", "", "yes")
    domain.answer(surveys["d2"], "none", "", "no")
    fw.surveys = surveys
    return fw


def test_values_count_each_meeting_once_and_every_answer(world, answered):
    programme = answered.event.programme
    agreements, follow_ups = MEASURES[M.AGREEMENTS_REACHED], MEASURES[M.FOLLOW_UPS_ANSWERED]
    assert agreements.value(programme, Scope()) == 1
    assert follow_ups.value(programme, Scope()) == 3
    # Both parties changed their minds: the meeting no longer counts as an agreement.
    domain.answer(answered.surveys["o1"], "none")
    domain.answer(answered.surveys["x1"], "none")
    assert agreements.value(programme, Scope()) == 0 and follow_ups.value(programme, Scope()) == 3
    # Filters it cannot apply give "not applicable", never an unfiltered number.
    assert agreements.value(programme, Scope(country="DE")) is None


def test_partner_values_equal_the_filtered_records(world, answered):
    programme = answered.event.programme
    partners = list(programme.partners.order_by("pk"))
    for code in (M.AGREEMENTS_REACHED, M.FOLLOW_UPS_ANSWERED):
        measure = MEASURES[code]
        values = measure.by_partner(programme, Scope(), partners)
        for partner in partners:
            assert values[partner.pk] == measure.records(programme, Scope(partner=partner)).count()


def test_period_is_the_day_of_the_answer(world, answered):
    from datetime import timedelta

    from django.utils import timezone

    programme = answered.event.programme
    today = timezone.localdate()
    assert MEASURES[M.FOLLOW_UPS_ANSWERED].value(programme, Scope(start=today + timedelta(days=1))) == 0
    assert MEASURES[M.FOLLOW_UPS_ANSWERED].value(programme, Scope(end=today - timedelta(days=1))) == 0


def test_kpis_with_definitions_and_the_drill_down(world, answered):
    programme = answered.event.programme
    for code in (M.AGREEMENTS_REACHED, M.FOLLOW_UPS_ANSWERED):
        KpiTarget.objects.create(
            programme=programme, code=code, name=str(code.label), measure=code, target=10
        )
    values = {v.kpi.code: v for v in kpi_values(programme, Scope())}
    assert values["agreements-reached"].value == 1 and values["follow-ups-answered"].value == 3
    assert "follow-up survey" in values["agreements-reached"].definition
    client = world.client("coordinator")
    page = client.get(reverse("reporting:records", args=[programme.slug, "agreements-reached"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Silicon Day B2B" in text and "Gamma Robotics" in text and "Delta Chips" not in text
    csv = client.get(
        reverse("reporting:records", args=[programme.slug, "follow-ups-answered"]) + "?format=csv"
    )
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert body.count("Silicon Day B2B") == 3 and "20000" in body
    # The dashboard shows the figures.
    dashboard = client.get(reverse("reporting:dashboard", args=[programme.slug])).content.decode()
    assert "Agreements reached" in dashboard and "Follow-ups answered" in dashboard
    # People without the reporting role do not reach the records.
    assert world.client("owner").get(
        reverse("reporting:records", args=[programme.slug, "agreements-reached"])
    ).status_code in (403, 404)
