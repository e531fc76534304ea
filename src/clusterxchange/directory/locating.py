"""An organisation's coordinates from its city when nobody typed them.

The grant of an exchange depends on the distance between the two organisations; a city's centre is
what the EU's distance calculator uses, so an organisation with a known city and country needs no
typed coordinates. Coordinates a person typed always win; those filled from the city are marked
(`Organisation.coordinates_from_city`) so the profile can say where they come from, and they follow
the city when it changes.

No web request builds the cities' index (seconds and a few hundred MB): a lookup before it exists
finds nothing, and the organisation is saved without coordinates for now. The periodic job
`locate-organisations` (a task worker, at its start and then every quarter of an hour) builds the
index when it is missing and gives the organisations with a city and no coordinates their city's
centre (`directory.domain.locate_organisations`); `clusterxchange build_city_index` builds it at
deployment.
"""

import logging
import sqlite3
from functools import cache
from pathlib import Path

from django.conf import settings

from clusterxchange.engines import places

LOCATION_FIELDS = ("city", "country", "latitude", "longitude")

logger = logging.getLogger(__name__)


def _index() -> places.CityIndex:
    return _index_in(Path(settings.PLACES_DIR))


@cache
def _index_in(directory: Path) -> places.CityIndex:
    return places.CityIndex(directory)


def city_coordinates(city: str, country_code: str) -> tuple[float, float] | None:
    """The centre of ``city`` in ``country_code``, or None when unknown or ambiguous, or when the
    index is not built yet or cannot be read (the organisation is saved without coordinates; the
    job `locate-organisations` fills them once the index exists)."""
    try:
        return _index().coordinates(city, country_code)
    except places.IndexNotBuilt:
        logger.info("The cities' index in %s is not built yet: no coordinates for now.", settings.PLACES_DIR)
        return None
    except (OSError, sqlite3.Error):
        logger.exception("The cities' index in %s cannot be read.", settings.PLACES_DIR)
        return None


def city_centre(city: str, country_code: str) -> tuple[float, float] | None:
    """`city_coordinates` rounded as an organisation stores them (5 decimals: about a metre)."""
    found = city_coordinates(city, country_code)
    return None if found is None else (round(found[0], 5), round(found[1], 5))


def prepare_city_index():
    """Build the index now if it is not there yet: (its path, whether it was built)."""
    index = _index()
    if index.built:
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
    found = city_centre(organisation.city, str(organisation.country or ""))
    if found is None:
        organisation.latitude = organisation.longitude = None
        organisation.coordinates_from_city = False
    else:
        organisation.latitude, organisation.longitude = found
        organisation.coordinates_from_city = True
