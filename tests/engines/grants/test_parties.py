"""Parties normalise what is harmless and refuse impossible coordinates."""

import pytest

from clusterxchange.engines.grants import Coordinates, OrganisationType, Party


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        pytest.param(90.1, 0.0, "Latitude", id="latitude-too-high"),
        pytest.param(-91.0, 0.0, "Latitude", id="latitude-too-low"),
        pytest.param(0.0, 180.5, "Longitude", id="longitude-too-east"),
    ],
)
def test_impossible_coordinates_are_refused(latitude, longitude, message):
    with pytest.raises(ValueError, match=message):
        Coordinates(latitude, longitude)


def test_country_and_region_are_upper_cased_and_type_parsed():
    party = Party(7, " de ", "sme", subdivision="sn")
    assert (party.country, party.subdivision, party.organisation_type) == ("DE", "SN", OrganisationType.SME)


def test_unknown_organisation_type_is_refused():
    with pytest.raises(ValueError, match="multinational"):
        Party(7, "DE", "multinational")


@pytest.mark.parametrize(
    ("organisation_type", "is_sme", "expected"),
    [
        (OrganisationType.SME, None, True),
        (OrganisationType.SME, False, False),
        (OrganisationType.CLUSTER_ORGANISATION, None, False),
        (OrganisationType.SCALING_UP_SUPPORT, True, True),
    ],
)
def test_counts_as_sme(organisation_type, is_sme, expected):
    assert Party(1, "DE", organisation_type, is_sme=is_sme).counts_as_sme is expected
