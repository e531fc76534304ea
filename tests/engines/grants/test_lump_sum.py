"""The lump sum formula: country amount or capped daily rate, halved once, rounded once."""

from decimal import Decimal

import pytest

from clusterxchange.engines.grants import AppliedRuleCode, compute_lump_sum

from .cities import make_rules

FULL, HALF = Decimal("780.00"), Decimal("390.00")


@pytest.mark.parametrize(
    ("working_days", "distance_km", "expected", "halvings"),
    [
        pytest.param(5, 200.0, FULL, [], id="exactly-5-days-exactly-200km-full"),
        pytest.param(4, 200.0, HALF, ["halved_short_stay"], id="4-days-halved"),
        pytest.param(3, 967.675, HALF, ["halved_short_stay"], id="3-days-far-halved"),
        pytest.param(5, 199.9, HALF, ["halved_distance"], id="199.9km-halved"),
        pytest.param(5, 199.999, HALF, ["halved_distance"], id="1m-short-of-200km-halved"),
        pytest.param(22, 1848.0, FULL, [], id="month-far-full"),
        pytest.param(
            4, 150.0, HALF, ["halved_short_stay", "halved_distance"], id="both-halved-once-not-quartered"
        ),
    ],
)
def test_halving_rule_boundaries(working_days, distance_km, expected, halvings):
    grant = compute_lump_sum("FR", working_days, distance_km, make_rules())
    codes = [rule.code.value for rule in grant.applied_rules]
    assert grant.amount == expected
    assert [code for code in codes if code.startswith("halved_")] == halvings
    assert codes.count("halved") == (1 if halvings else 0)


@pytest.mark.parametrize(
    ("working_days", "distance_km", "expected", "capped"),
    [
        pytest.param(3, 500.0, Decimal("195.00"), False, id="3-days-130-each-halved"),
        pytest.param(5, 500.0, Decimal("650.00"), False, id="5-days-below-cap"),
        pytest.param(8, 500.0, Decimal("1040.00"), False, id="8-days-below-cap"),
        pytest.param(9, 500.0, Decimal("1100.00"), True, id="9-days-capped-at-country-maximum"),
        pytest.param(20, 500.0, Decimal("1100.00"), True, id="20-days-capped"),
        pytest.param(20, 100.0, Decimal("550.00"), True, id="capped-then-halved"),
    ],
)
def test_daily_rate_capped_per_host_country(working_days, distance_km, expected, capped):
    rules = make_rules(daily_rate=Decimal("130"), country_caps={"ES": Decimal("1100")})
    grant = compute_lump_sum("ES", working_days, distance_km, rules)
    assert grant.amount == expected
    assert (AppliedRuleCode.CAPPED_COUNTRY in {rule.code for rule in grant.applied_rules}) is capped


def test_each_host_country_has_its_own_cap():
    rules = make_rules(country_caps={"FR": Decimal("780"), "LT": Decimal("560")})
    assert compute_lump_sum("FR", 5, 900.0, rules).amount == Decimal("780.00")
    assert compute_lump_sum("LT", 5, 900.0, rules).amount == Decimal("560.00")


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        pytest.param(Decimal("0.01"), Decimal("500.50"), id="cents"),
        pytest.param(Decimal("1"), Decimal("501"), id="whole-euros-half-up"),
    ],
)
def test_rounded_once_at_the_end(precision, expected):
    rules = make_rules(country_caps={"PL": Decimal("1001")}, amount_precision=precision)
    assert compute_lump_sum("PL", 4, 900.0, rules).amount == expected


def test_configurable_thresholds_and_factor():
    rules = make_rules(
        full_rate_min_working_days=3, full_rate_min_distance_km=100.0, halving_factor=Decimal("0.6")
    )
    assert compute_lump_sum("FR", 3, 100.0, rules).amount == FULL
    assert compute_lump_sum("FR", 2, 100.0, rules).amount == Decimal("468.00")


def test_halving_messages_name_the_figures():
    grant = compute_lump_sum("FR", 4, 150.0, make_rules())
    messages = [rule.message for rule in grant.applied_rules]
    assert "Fewer than 5 working days (4): the grant is reduced." in messages
    assert "Distance under 200.0 km (150.0 km): the grant is reduced." in messages
    assert "Reduced once by the factor 0.5: EUR 390.00." in messages


def test_missing_country_cap_is_a_clear_error():
    with pytest.raises(ValueError, match="no grant amount for host country MT"):
        compute_lump_sum("MT", 5, 500.0, make_rules())
