"""An organisation's coordinates from its city when nobody typed them.

The grant of an exchange depends on the distance between the two organisations; a city's centre is
what the EU's distance calculator uses, so an organisation with a known city and country needs no
typed coordinates. Coordinates a person typed always win; those filled from the city are marked
(`Organisation.coordinates_from_city`) so the profile can say where they come from, and they follow
the city when it changes.
"""

import logging
import sqlite3
from functools import cache

from django.conf import settings

from clusterxchange.engines import places

LOCATION_FIELDS = ("city", "country", "latitude", "longitude")

logger = logging.getLogger(__name__)


@cache
def _index() -> places.CityIndex:
    return places.CityIndex(settings.PLACES_DIR)


def city_coordinates(city: str, country_code: str) -> tuple[float, float] | None:
    """The centre of ``city`` in ``country_code``, or None when unknown or ambiguous, or when the
    index cannot be built or read (the organisation is saved without coordinates, as before)."""
    try:
        return _index().coordinates(city, country_code)
    except (OSError, sqlite3.Error):
        logger.exception("The cities' index in %s cannot be built or read.", settings.PLACES_DIR)
        return None


def prepare_city_index():
    """Build the index now if it is not there yet: (its path, whether it was built)."""
    index = _index()
    if index.path.exists():
        return index.path, False
    index.build()
    return index.path, True


def location_of(organisation) -> dict:
    """What `fill_coordinates` compares against when an organisation is edited."""
    return {name: getattr(organisation, name) for name in LOCATION_FIELDS}


def fill_coordinates(organisation, before: dict | None = None) -> None:
    """Set the coordinates from the city when they are missing (or were from a city that changed).

    ``before`` is `location_of` the organisation as stored (None for a new one). Does not save."""
    if (organisation.latitude is None) != (organisation.longitude is None):
        return  # half typed: the model's validation asks for both
    typed = organisation.latitude is not None and organisation.longitude is not None
    if typed and before is not None and not organisation.coordinates_from_city:
        return
    if typed and before is not None:
        moved_by_hand = (organisation.latitude, organisation.longitude) != (
            before["latitude"],
            before["longitude"],
        )
        city_changed = (organisation.city, str(organisation.country)) != (
            before["city"],
            str(before["country"]),
        )
        if moved_by_hand or not city_changed:
            organisation.coordinates_from_city = not moved_by_hand
            return
    elif typed:
        organisation.coordinates_from_city = False
        return
    found = city_coordinates(organisation.city, str(organisation.country or ""))
    if found is None:
        organisation.latitude = organisation.longitude = None
        organisation.coordinates_from_city = False
    else:
        organisation.latitude, organisation.longitude = round(found[0], 5), round(found[1], 5)
        organisation.coordinates_from_city = True
