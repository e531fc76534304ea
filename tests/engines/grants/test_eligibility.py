"""Who may take part: countries, organisation types per role, cluster membership, visiting once."""

import pytest

from clusterxchange.engines.grants import OrganisationType
from clusterxchange.engines.grants.eligibility import (
    country_cap_reasons,
    country_reasons,
    location_reasons,
    membership_reasons,
    organisation_type_reasons,
    prior_visit_reasons,
)

from .cities import BILBAO, DRESDEN, SOFIA, SOPHIA_ANTIPOLIS, VILNIUS, WARSAW, make_party, make_rules

Type = OrganisationType


def codes(reasons):
    return [reason.code.value for reason in reasons]


@pytest.mark.parametrize(
    ("visitor_country", "host_country", "expected"),
    [
        pytest.param("DE", "FR", [], id="two-eligible-countries"),
        pytest.param("DE", "DE", ["same_country"], id="same-country"),
        pytest.param("DE", "US", ["country_not_eligible"], id="host-outside-programme"),
        pytest.param("CH", "FR", ["country_not_eligible"], id="visitor-outside-programme"),
        pytest.param("DE", "XX", ["unknown_country"], id="unknown-code"),
        pytest.param("EL", "ES", ["unknown_country"], id="eu-code-for-greece"),
        pytest.param("XX", "XX", ["unknown_country", "unknown_country", "same_country"], id="all-wrong"),
    ],
)
def test_country_rules(visitor_country, host_country, expected):
    visitor = make_party(1, DRESDEN, country=visitor_country)
    host = make_party(2, SOPHIA_ANTIPOLIS, country=host_country)
    assert codes(country_reasons(visitor, host, make_rules())) == expected


def test_country_reason_names_the_role():
    visitor = make_party(1, DRESDEN)
    host = make_party(2, SOPHIA_ANTIPOLIS, country="US")
    (reason,) = country_reasons(visitor, host, make_rules())
    assert reason.message == "The host's country US is not eligible in this programme."


def test_same_organisation_cannot_visit_itself():
    visitor = make_party(1, DRESDEN)
    host = make_party(1, WARSAW)
    assert codes(country_reasons(visitor, host, make_rules())) == ["same_organisation"]


@pytest.mark.parametrize(
    ("visitor_type", "host_type", "expected"),
    [
        *[
            pytest.param(kind, Type.CLUSTER_ORGANISATION, [], id=f"{kind.value}-visits")
            for kind in (
                Type.CLUSTER_ORGANISATION,
                Type.BUSINESS_NETWORK,
                Type.SME,
                Type.SCALING_UP_SUPPORT,
                Type.RESEARCH,
            )
        ],
        *[
            pytest.param(
                kind,
                Type.CLUSTER_ORGANISATION,
                ["visitor_type_not_eligible"],
                id=f"{kind.value}-cannot-visit",
            )
            for kind in (Type.LARGE_COMPANY, Type.PUBLIC_AUTHORITY, Type.TRAINING_PROVIDER)
        ],
        *[pytest.param(Type.SME, kind, [], id=f"{kind.value}-hosts") for kind in OrganisationType],
    ],
)
def test_organisation_types_per_role(visitor_type, host_type, expected):
    visitor = make_party(1, DRESDEN, visitor_type)
    host = make_party(2, BILBAO, host_type)
    assert codes(organisation_type_reasons(visitor, host, make_rules())) == expected


def test_a_programme_can_narrow_the_host_types():
    rules = make_rules(host_types={Type.CLUSTER_ORGANISATION})
    visitor = make_party(1, DRESDEN)
    host = make_party(2, BILBAO, Type.LARGE_COMPANY)
    (reason,) = organisation_type_reasons(visitor, host, rules)
    assert reason.message == "An organisation of type 'large_company' cannot host in this programme."


@pytest.mark.parametrize(
    ("visitor", "host", "expected"),
    [
        pytest.param(
            make_party(1, DRESDEN, Type.CLUSTER_ORGANISATION, is_cluster_member=False),
            make_party(2, VILNIUS, Type.BUSINESS_NETWORK, is_cluster_member=False),
            [],
            id="cluster-and-network-organisations-need-no-membership",
        ),
        pytest.param(
            make_party(1, DRESDEN, Type.SME, is_cluster_member=False),
            make_party(2, VILNIUS),
            ["not_cluster_member"],
            id="sme-outside-a-cluster",
        ),
        pytest.param(
            make_party(1, DRESDEN, Type.SCALING_UP_SUPPORT, is_cluster_member=False),
            make_party(2, VILNIUS, Type.LARGE_COMPANY, is_cluster_member=False),
            ["not_cluster_member", "not_cluster_member"],
            id="support-organisation-and-large-host-outside-a-cluster",
        ),
        pytest.param(
            make_party(1, DRESDEN, Type.SME, is_sme=False),
            make_party(2, VILNIUS),
            ["not_sme"],
            id="sme-failing-the-definition",
        ),
    ],
)
def test_membership_rules(visitor, host, expected):
    assert codes(membership_reasons(visitor, host, make_rules())) == expected


@pytest.mark.parametrize(
    ("prior_visits", "visit_once", "expected"),
    [
        pytest.param(0, True, [], id="first-visit"),
        pytest.param(1, True, ["already_visited"], id="second-visit"),
        pytest.param(3, True, ["already_visited"], id="fourth-visit"),
        pytest.param(1, False, [], id="rule-switched-off"),
    ],
)
def test_visit_once(prior_visits, visit_once, expected):
    assert codes(prior_visit_reasons(prior_visits, make_rules(visit_once=visit_once))) == expected


def test_missing_coordinates_per_role():
    visitor = make_party(1, None, country="DE")
    host = make_party(2, SOFIA)
    (reason,) = location_reasons(visitor, host)
    assert reason.message == "The visitor's location is missing, so the distance cannot be measured."


@pytest.mark.parametrize(
    ("caps", "host_country", "expected"),
    [
        pytest.param({"FR": 780}, "FR", [], id="cap-entered"),
        pytest.param({"FR": 780}, "LT", ["no_country_cap"], id="cap-missing"),
        pytest.param({"FR": 780}, "US", [], id="ineligible-country-reported-elsewhere"),
    ],
)
def test_host_country_needs_a_cap(caps, host_country, expected):
    host = make_party(2, SOPHIA_ANTIPOLIS, country=host_country)
    assert codes(country_cap_reasons(host, make_rules(country_caps=caps))) == expected
