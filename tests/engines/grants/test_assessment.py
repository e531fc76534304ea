"""The whole rule table through ``assess_grant`` with the EXCITE partners' real locations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterxchange.engines.grants import GrantRequest, OrganisationType, assess_grant

from .cities import (
    BILBAO,
    DRESDEN,
    MONDAY,
    SOFIA,
    SOPHIA_ANTIPOLIS,
    VILNIUS,
    WARSAW,
    days_after,
    dresden_visits,
    make_party,
    make_rules,
    point_east_of,
)

Type = OrganisationType
FULL, HALF, NOTHING = Decimal("780.00"), Decimal("390.00"), Decimal("0.00")
FRIDAY = days_after(MONDAY, 4)


def case(name, request, eligible, working_days, lump_sum, *codes):
    """One row: reason codes when ineligible, halving codes when eligible."""
    return pytest.param(request, (eligible, working_days, lump_sum, list(codes)), id=name)


def polish_host(kilometres, country="PL"):
    return make_party(2, point_east_of(DRESDEN, kilometres), country=country)


def short_stay(host, working_days):
    return dresden_visits(host, end=days_after(MONDAY, working_days - 1))


def month_in_bilbao(end):
    return dresden_visits(make_party(2, BILBAO), start=date(2025, 10, 6), end=end)


RULE_TABLE = [
    case("exactly-5-days-full-rate", dresden_visits(make_party(2, SOPHIA_ANTIPOLIS)), True, 5, FULL),
    case("4-days-halved", short_stay(make_party(2, SOPHIA_ANTIPOLIS), 4), True, 4, HALF, "halved_short_stay"),
    case(
        "3-days-minimum", short_stay(make_party(2, SOPHIA_ANTIPOLIS), 3), True, 3, HALF, "halved_short_stay"
    ),
    case("2-days-too-short", short_stay(make_party(2, SOPHIA_ANTIPOLIS), 2), False, 2, NOTHING, "too_short"),
    case("exactly-200km-full-rate", dresden_visits(polish_host(200.0)), True, 5, FULL),
    case("199.9km-halved", dresden_visits(polish_host(199.9)), True, 5, HALF, "halved_distance"),
    case(
        "short-and-near-halved-once",
        short_stay(polish_host(120.0), 4),
        *(True, 4, HALF, "halved_short_stay", "halved_distance"),
    ),
    case("same-country", dresden_visits(polish_host(300.0, "DE")), False, 5, NOTHING, "same_country"),
    case(
        "second-visit",
        dresden_visits(make_party(2, WARSAW), prior_visits=1),
        False,
        5,
        NOTHING,
        "already_visited",
    ),
    case("authority-hosts", dresden_visits(make_party(2, VILNIUS, Type.PUBLIC_AUTHORITY)), True, 5, FULL),
    case(
        "authority-cannot-visit",
        GrantRequest(make_party(1, VILNIUS, Type.PUBLIC_AUTHORITY), make_party(2, DRESDEN), MONDAY, FRIDAY),
        *(False, 5, NOTHING, "visitor_type_not_eligible"),
    ),
    case(
        "large-company-cannot-visit",
        GrantRequest(make_party(1, SOFIA, Type.LARGE_COMPANY), make_party(2, BILBAO), MONDAY, FRIDAY),
        *(False, 5, NOTHING, "visitor_type_not_eligible"),
    ),
    case(
        "sme-visits-training-provider",
        GrantRequest(
            make_party(1, SOFIA, Type.SME), make_party(2, BILBAO, Type.TRAINING_PROVIDER), MONDAY, FRIDAY
        ),
        *(True, 5, FULL),
    ),
    case(
        "german-unity-day-halves",
        GrantRequest(make_party(1, WARSAW), make_party(2, DRESDEN), date(2024, 9, 30), date(2024, 10, 4)),
        *(True, 4, HALF, "halved_short_stay"),
    ),
    case(
        "same-week-in-france-full",
        GrantRequest(
            make_party(1, WARSAW), make_party(2, SOPHIA_ANTIPOLIS), date(2024, 9, 30), date(2024, 10, 4)
        ),
        *(True, 5, FULL),
    ),
    case(
        "friday-to-tuesday-weekend-not-counted",
        dresden_visits(make_party(2, BILBAO), start=FRIDAY, end=days_after(FRIDAY, 4)),
        *(True, 3, HALF, "halved_short_stay"),
    ),
    case("exactly-one-month", month_in_bilbao(date(2025, 11, 5)), True, 23, FULL),
    case("one-month-and-a-day", month_in_bilbao(date(2025, 11, 6)), False, 24, NOTHING, "too_long"),
    case(
        "dti-mission-end-before-start",
        dresden_visits(make_party(2, BILBAO), start=date(2023, 2, 27), end=date(2023, 2, 3)),
        *(False, 0, NOTHING, "dates_reversed"),
    ),
]


@pytest.mark.parametrize(("grant_request", "expected"), RULE_TABLE)
def test_rule_table(grant_request, expected):
    assessment = assess_grant(grant_request, make_rules())
    halvings = [code for code in assessment.applied_rule_codes if code.startswith("halved_")]
    codes = halvings if assessment.eligible else list(assessment.reason_codes)
    assert (assessment.eligible, assessment.working_days, assessment.lump_sum, codes) == expected


def test_exactly_200km_is_reported_as_measured():
    assessment = assess_grant(
        dresden_visits(make_party(2, point_east_of(DRESDEN, 200.0), country="PL")), make_rules()
    )
    assert assessment.distance_km == 200.0


def test_cap_per_host_country_with_a_daily_rate():
    rules = make_rules(daily_rate=Decimal("130"), country_caps={"ES": Decimal("1100"), "LT": Decimal("900")})
    month_in_bilbao = dresden_visits(make_party(2, BILBAO), start=date(2025, 10, 6), end=date(2025, 10, 31))
    assessment = assess_grant(month_in_bilbao, rules)
    assert (assessment.working_days, assessment.lump_sum) == (20, Decimal("1100.00"))
    assert "capped_country" in assessment.applied_rule_codes
    in_vilnius = dresden_visits(make_party(2, VILNIUS), start=date(2025, 10, 6), end=date(2025, 10, 31))
    assert assess_grant(in_vilnius, rules).lump_sum == Decimal("900.00")


def test_every_reason_is_reported_at_once():
    visitor = make_party(1, None, Type.SME, country="DE", is_cluster_member=False)
    host = make_party(2, DRESDEN, Type.PUBLIC_AUTHORITY, is_cluster_member=False)
    assessment = assess_grant(GrantRequest(visitor, host, FRIDAY, MONDAY, 2), make_rules())
    assert set(assessment.reason_codes) == {
        "dates_reversed",
        "same_country",
        "not_cluster_member",
        "already_visited",
        "missing_coordinates",
    }
    assert assessment.reason_codes.count("not_cluster_member") == 2
    assert (assessment.working_days, assessment.distance_km, assessment.lump_sum) == (0, None, NOTHING)


def test_unknown_country_is_a_reason_not_a_crash():
    host = make_party(2, SOFIA, country="XX")
    assessment = assess_grant(dresden_visits(host), make_rules())
    assert assessment.reason_codes == ("unknown_country",)
    assert assessment.working_days == 5
    assert "no_holiday_calendar" in assessment.applied_rule_codes


def test_missing_cap_for_an_eligible_host_country():
    rules = make_rules(country_caps={"FR": Decimal("780")})
    assessment = assess_grant(dresden_visits(make_party(2, SOFIA)), rules)
    assert [reason.message for reason in assessment.reasons] == [
        "The programme has no grant amount for host country BG."
    ]


def test_saxon_holiday_applies_when_dresden_hosts_with_its_region():
    host = make_party(2, DRESDEN, subdivision="SN")
    request = GrantRequest(make_party(1, VILNIUS), host, date(2024, 10, 28), date(2024, 11, 1))
    assessment = assess_grant(request, make_rules())
    assert (assessment.working_days, assessment.lump_sum) == (4, HALF)
    assert [holiday.name for holiday in assessment.public_holidays] == ["Reformation Day"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"start": "2025-10-13"}, "must be dates", id="string-date"),
        pytest.param({"visitor_prior_visits": -1}, "cannot be negative", id="negative-visits"),
    ],
)
def test_malformed_requests_raise_a_clear_value_error(changes, message):
    fields = {
        "visitor": make_party(1, DRESDEN),
        "host": make_party(2, WARSAW),
        "start": MONDAY,
        "end": FRIDAY,
    }
    with pytest.raises(ValueError, match=message):
        GrantRequest(**{**fields, **changes})


CITIES = [DRESDEN, SOPHIA_ANTIPOLIS, BILBAO, WARSAW, VILNIUS, SOFIA]


@settings(max_examples=60, deadline=None)
@given(
    visitor_city=st.sampled_from(CITIES),
    host_city=st.sampled_from(CITIES),
    start=st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31)),
    length=st.integers(min_value=-5, max_value=40),
    prior_visits=st.integers(min_value=0, max_value=2),
)
def test_any_request_gets_a_consistent_answer(visitor_city, host_city, start, length, prior_visits):
    request = GrantRequest(
        make_party(1, visitor_city),
        make_party(2, host_city),
        start,
        start + timedelta(days=length),
        prior_visits,
    )
    assessment = assess_grant(request, make_rules())
    assert assessment.eligible is (not assessment.reasons)
    assert assessment.lump_sum in ({FULL, HALF} if assessment.eligible else {NOTHING})
    if assessment.eligible:
        assert 3 <= assessment.working_days <= 23
        assert (assessment.lump_sum == HALF) is ("halved" in assessment.applied_rule_codes)
