"""Real places of the EXCITE partners and helpers that build parties, rules and requests for tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from geopy.distance import geodesic

from clusterxchange.engines.grants import Coordinates, GrantRequest, GrantRules, OrganisationType, Party

DRESDEN = Coordinates(51.0504, 13.7373)
SOPHIA_ANTIPOLIS = Coordinates(43.6163, 7.0552)
BILBAO = Coordinates(43.2630, -2.9350)
WARSAW = Coordinates(52.2297, 21.0122)
VILNIUS = Coordinates(54.6872, 25.2797)
SOFIA = Coordinates(42.6977, 23.3219)

CITY_COUNTRY = {
    DRESDEN: "DE",
    SOPHIA_ANTIPOLIS: "FR",
    BILBAO: "ES",
    WARSAW: "PL",
    VILNIUS: "LT",
    SOFIA: "BG",
}

EXCITE_COUNTRIES = frozenset(CITY_COUNTRY.values()) | {"AT", "BE", "IT", "PT"}

MONDAY = date(2025, 10, 13)
"""A week without a public holiday in any of the six partner countries (checked with ``holidays``)."""


def days_after(first: date, days: int) -> date:
    return date.fromordinal(first.toordinal() + days)


def point_east_of(origin: Coordinates, kilometres: float) -> Coordinates:
    """A place exactly ``kilometres`` due east of ``origin``: east of Dresden lies Poland."""
    point = geodesic(kilometers=kilometres).destination((origin.latitude, origin.longitude), bearing=90)
    return Coordinates(point.latitude, point.longitude)


def make_rules(**overrides: object) -> GrantRules:
    """The scheme's default rules with a flat EUR 780 everywhere (the partnership's 5-day figure)."""
    settings: dict[str, object] = {
        "eligible_countries": EXCITE_COUNTRIES,
        "country_caps": dict.fromkeys(EXCITE_COUNTRIES, Decimal("780")),
    }
    settings.update(overrides)
    return GrantRules(**settings)


def make_party(
    organisation_id: int,
    coordinates: Coordinates | None,
    organisation_type: OrganisationType = OrganisationType.CLUSTER_ORGANISATION,
    country: str | None = None,
    is_cluster_member: bool = True,
    is_sme: bool | None = None,
    subdivision: str | None = None,
) -> Party:
    """A cluster member in the country of its city unless told otherwise."""
    return Party(
        organisation_id=organisation_id,
        country=country or CITY_COUNTRY[coordinates],
        organisation_type=organisation_type,
        coordinates=coordinates,
        is_cluster_member=is_cluster_member,
        is_sme=is_sme,
        subdivision=subdivision,
    )


def dresden_visits(
    host: Party, start: date = MONDAY, end: date | None = None, prior_visits: int = 0
) -> GrantRequest:
    """Silicon Saxony's cluster staff visiting ``host`` for a working week unless told otherwise."""
    visitor = make_party(1, DRESDEN)
    return GrantRequest(visitor, host, start, end or days_after(start, 4), prior_visits)
