"""Distance between the two organisations, as the halving rule measures it."""

from __future__ import annotations

from geopy.distance import geodesic

from .parties import Coordinates

DISTANCE_DECIMALS = 3
"""Distances are kept to the metre: finer digits are float noise, and the 200 km boundary must be
reachable exactly (a point placed 200 km away measures 199.99999999 km back)."""


def geodesic_km(origin: Coordinates, destination: Coordinates) -> float:
    """Geodesic distance on the WGS 84 ellipsoid (Karney's method, computed offline), in km."""
    kilometres = geodesic(
        (origin.latitude, origin.longitude), (destination.latitude, destination.longitude)
    ).km
    return round(kilometres, DISTANCE_DECIMALS)
