"""Geodesic distances between the EXCITE partners, kept to the metre."""

import pytest

from clusterxchange.engines.grants.distance import geodesic_km

from .cities import BILBAO, DRESDEN, SOFIA, SOPHIA_ANTIPOLIS, VILNIUS, WARSAW, point_east_of


@pytest.mark.parametrize(
    ("origin", "destination", "approximately"),
    [
        pytest.param(DRESDEN, SOPHIA_ANTIPOLIS, 968, id="dresden-sophia-antipolis"),
        pytest.param(DRESDEN, WARSAW, 520, id="dresden-warsaw"),
        pytest.param(WARSAW, VILNIUS, 394, id="warsaw-vilnius"),
        pytest.param(BILBAO, SOFIA, 2134, id="bilbao-sofia"),
    ],
)
def test_partner_distances(origin, destination, approximately):
    assert geodesic_km(origin, destination) == pytest.approx(approximately, abs=1)


def test_symmetric_and_zero_on_the_spot():
    assert geodesic_km(DRESDEN, WARSAW) == geodesic_km(WARSAW, DRESDEN)
    assert geodesic_km(DRESDEN, DRESDEN) == 0.0


@pytest.mark.parametrize("kilometres", [200.0, 199.9, 199.999, 250.5])
def test_a_point_placed_at_a_distance_measures_exactly_that(kilometres):
    assert geodesic_km(DRESDEN, point_east_of(DRESDEN, kilometres)) == kilometres
