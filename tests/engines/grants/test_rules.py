"""Grant rules are data: normalised on the way in, impossible values refused with a message."""

from decimal import Decimal

import pytest

from clusterxchange.engines.grants import GrantRules, OrganisationType

from .cities import make_rules

HOST_ONLY = {
    OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY,
    OrganisationType.TRAINING_PROVIDER,
}


def test_defaults_are_the_clusterxchange_rules():
    rules = GrantRules(eligible_countries={"DE"}, country_caps={})
    assert (rules.min_working_days, rules.full_rate_min_working_days, rules.full_rate_min_distance_km) == (
        3,
        5,
        200.0,
    )
    assert (rules.max_stay_months, rules.max_working_days, rules.visit_once) == (1, None, True)
    assert rules.halving_factor == Decimal("0.5")
    assert not HOST_ONLY & rules.visitor_types
    assert rules.host_types == rules.visitor_types | HOST_ONLY
    assert OrganisationType.CLUSTER_ORGANISATION not in rules.membership_required_types
    assert OrganisationType.SME in rules.membership_required_types


def test_codes_and_amounts_are_normalised():
    rules = GrantRules(eligible_countries=["de", " fr"], country_caps={"fr": 780, "de": "1100", "lt": 560.5})
    assert rules.eligible_countries == {"DE", "FR"}
    assert dict(rules.country_caps) == {"FR": Decimal(780), "DE": Decimal(1100), "LT": Decimal("560.5")}


def test_rules_cannot_be_changed_after_creation():
    rules = make_rules()
    with pytest.raises(TypeError):
        rules.country_caps["FR"] = Decimal(1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"country_caps": {"FR": "-1"}}, "cap for FR", id="negative-cap"),
        pytest.param({"country_caps": {"FR": "lots"}}, "cap for FR must be a number", id="not-a-number"),
        pytest.param({"daily_rate": Decimal("NaN")}, "daily rate", id="nan-rate"),
        pytest.param({"halving_factor": Decimal("1.5")}, "between 0 and 1", id="factor-above-one"),
        pytest.param({"amount_precision": Decimal(0)}, "precision must be positive", id="zero-precision"),
        pytest.param({"min_working_days": -1}, "cannot be negative", id="negative-days"),
        pytest.param({"full_rate_min_distance_km": -5.0}, "distance cannot be negative", id="negative-km"),
        pytest.param({"max_stay_months": 0}, "at least one month", id="zero-months"),
        pytest.param({"max_working_days": 2}, "below the minimum", id="max-below-min"),
    ],
)
def test_impossible_rules_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        make_rules(**overrides)
