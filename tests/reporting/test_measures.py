"""KPI values on the known data set of `rworld` (see tests/reporting/conftest.py)."""

from datetime import date

import pytest

from clusterxchange.programmes.models import KpiMeasure as M
from clusterxchange.programmes.models import KpiTarget
from clusterxchange.reporting.measures import (
    MEASURES,
    Scope,
    country_counts,
    kpi_values,
    published_kpi_figures,
)
from tests.reporting.conftest import P1, P2


def values(programme, scope):
    return {code: measure.value(programme, scope) for code, measure in MEASURES.items()}


WHOLE = {
    M.EXCHANGES: 3,
    M.SME_EXCHANGES: 2,
    M.EXCHANGE_PARTICIPANTS: 3,
    M.MISSIONS: 2,  # Dresden (2023) and Bilbao (2024); the unpublished one never
    M.STUDY_VISITS: 1,
    M.TANDEMS: 1,
    M.STAFF_TRAINED: 1,
    M.STRATEGIES_REVIEWED: 1,
    M.B2B_MEETINGS: 1,
    M.COUNTRIES_REACHED: 4,  # FR, ES (exchanges), DE (mission), PL (B2B); ES also from Bilbao
    M.AGREEMENTS_REACHED: 0,  # no follow-up answers here (tests/followup/test_measures.py)
    M.FOLLOW_UPS_ANSWERED: 0,
}


def test_whole_programme(rworld):
    assert values(rworld.programme, Scope()) == WHOLE


def test_period_boundaries_first_and_last_day(rworld):
    p1 = values(rworld.programme, Scope(*P1))
    p2 = values(rworld.programme, Scope(*P2))
    # An exchange starting on the last day of P1 is in P1; one starting on the first day of P2 in P2.
    assert (p1[M.EXCHANGES], p2[M.EXCHANGES]) == (1, 2)
    assert (p1[M.SME_EXCHANGES], p2[M.SME_EXCHANGES]) == (1, 1)
    # Events are dated by their last day: the study visit from 29.06. to 01.07. belongs to P2.
    assert (p1[M.MISSIONS], p2[M.MISSIONS]) == (1, 0)
    assert (p1[M.STUDY_VISITS], p2[M.STUDY_VISITS]) == (0, 1)
    # Staff counted once, in the period of the first completion; strategies likewise.
    assert (p1[M.STAFF_TRAINED], p2[M.STAFF_TRAINED]) == (1, 0)
    assert (p1[M.STRATEGIES_REVIEWED], p2[M.STRATEGIES_REVIEWED]) == (0, 1)
    assert (p1[M.TANDEMS], p2[M.TANDEMS]) == (0, 1)
    assert (p1[M.B2B_MEETINGS], p2[M.B2B_MEETINGS]) == (0, 1)
    assert (p1[M.COUNTRIES_REACHED], p2[M.COUNTRIES_REACHED]) == (3, 3)  # FR ES DE; FR ES PL
    # One day earlier/later moves a record out of the window.
    assert MEASURES[M.EXCHANGES].value(rworld.programme, Scope(date(2023, 1, 1), date(2023, 6, 29))) == 0
    assert MEASURES[M.EXCHANGES].value(rworld.programme, Scope(date(2023, 7, 2), date(2023, 12, 31))) == 1


def test_each_exchange_counts_once_for_the_visitor_partnership(rworld):
    a = values(rworld.programme, Scope(partner=rworld.partner_a))
    b = values(rworld.programme, Scope(partner=rworld.partner_b))
    assert (a[M.EXCHANGES], b[M.EXCHANGES]) == (2, 1)  # A hosts e5 but does not count it
    assert a[M.EXCHANGES] + b[M.EXCHANGES] == WHOLE[M.EXCHANGES]
    assert (a[M.SME_EXCHANGES], b[M.SME_EXCHANGES]) == (1, 1)
    assert (a[M.STAFF_TRAINED], b[M.STAFF_TRAINED]) == (1, 0)
    assert (a[M.STRATEGIES_REVIEWED], b[M.STRATEGIES_REVIEWED]) == (1, 0)
    assert (a[M.B2B_MEETINGS], b[M.B2B_MEETINGS]) == (1, 1)  # either party's partnership
    assert (a[M.TANDEMS], b[M.TANDEMS]) == (1, 1)


def test_breakdowns_by_country_ecosystem_and_type(rworld, world):
    programme = rworld.programme
    exchanges = MEASURES[M.EXCHANGES]
    assert exchanges.value(programme, Scope(country="FR")) == 2
    assert exchanges.value(programme, Scope(country="ES")) == 1
    electronics = world.org_a1.ecosystems.get()
    assert exchanges.value(programme, Scope(ecosystem_id=electronics.pk)) == 1
    assert exchanges.value(programme, Scope(org_type="sme")) == 3
    # A filter that a measure cannot apply gives "not applicable", never an unfiltered number.
    assert MEASURES[M.MISSIONS].value(programme, Scope(ecosystem_id=electronics.pk)) is None
    assert MEASURES[M.MISSIONS].value(programme, Scope(country="DE")) == 1
    counts = country_counts(programme, Scope())
    assert counts["FR"]["visitors"] == 2 and counts["FR"]["hosts"] == 1
    assert counts["ES"]["visitors"] == 1 and counts["ES"]["hosts"] == 1 and counts["ES"]["events"] == 1


def test_records_are_what_is_counted(rworld):
    records = MEASURES[M.EXCHANGES].records(rworld.programme, Scope(*P2))
    assert [e.start_date for e in records] == [date(2023, 7, 1), date(2023, 8, 1)]
    meetings = MEASURES[M.B2B_MEETINGS].records(rworld.programme, Scope())
    assert meetings.count() == 1 and meetings.get().first.organisation.name == "Alpha Sensors"


def test_kpi_values_and_published_figures(rworld):
    items = {item.kpi.code: item for item in kpi_values(rworld.programme, Scope())}
    assert items["exchanges"].value == 3 and items["exchanges"].percent == 75
    figures = published_kpi_figures(rworld.programme)
    assert [(f["code"], f["value"], f["target"]) for f in figures] == [
        ("exchanges", 3, 4),
        ("missions", 2, 4),
    ]


@pytest.mark.django_db
def test_a_target_created_with_a_known_code_is_counted_by_it(world):
    kpi = KpiTarget.objects.create(programme=world.programme, code="staff-trained", name="Staff", target=3)
    assert kpi.measure == "staff-trained"


def test_grouped_values_per_partner_equal_the_filtered_ones(rworld, world):
    from clusterxchange.events.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration

    # A held meeting between two participants of partner A counts once for A.
    event_regs = Registration.objects.filter(event__slug="b2b-warsaw")
    reg_a1 = event_regs.get(organisation=world.org_a1)
    reg_a2 = event_regs.get(organisation=world.org_a2)
    slot = Meeting.objects.filter(event__slug="b2b-warsaw").first().published_slot
    request = MeetingRequest.objects.create(
        event=reg_a1.event, requester=reg_a2, recipient=reg_a1, status="accepted"
    )
    meeting = Meeting.objects.create(
        event=reg_a1.event, request=request, first=reg_a2, second=reg_a1, slot=slot, published_slot=slot
    )
    MeetingFeedback.objects.create(meeting=meeting, registration=reg_a1, took_place=True)
    assert MEASURES[M.B2B_MEETINGS].value(rworld.programme, Scope(partner=rworld.partner_a)) == 2
    # A partner counts an event it has a delegate at, as well as the events its cluster hosts.
    Registration.objects.create(
        event=Event.objects.get(slug="mission-dresden"), organisation=world.org_b1, partner=rworld.partner_b
    )
    assert MEASURES[M.MISSIONS].value(rworld.programme, Scope(partner=rworld.partner_b)) == 2  # + Bilbao
    partners = [rworld.partner_a, rworld.partner_b]
    for scope in (Scope(), Scope(*P1), Scope(*P2), Scope(country="FR")):
        for code, measure in MEASURES.items():
            grouped = measure.by_partner(rworld.programme, scope, partners)
            one_by_one = {p.pk: measure.value(rworld.programme, scope.with_(partner=p)) for p in partners}
            assert grouped == one_by_one, (code, scope)


def test_values_per_partner_take_the_same_queries_for_any_number_of_partners(rworld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(partners) -> dict[str, int]:
        counted = {}
        for code, measure in MEASURES.items():
            with CaptureQueriesContext(connection) as context:
                measure.by_partner(rworld.programme, Scope(*P2), partners)
            counted[code] = len(context.captured_queries)
        return counted

    one, two = queries([rworld.partner_a]), queries([rworld.partner_a, rworld.partner_b])
    assert one == two
    assert all(0 < n <= 5 for n in two.values()), two
