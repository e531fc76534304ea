"""Reference data: the lists every install shares, loaded by data migrations and the demo.

Kept as plain Python and CSV so that migrations, tests and the engines can read them without
a database.
"""

import csv
from pathlib import Path

import pycountry
from django.utils.translation import gettext_noop

REFERENCE_DIR = Path(__file__).resolve().parent

# The 14 industrial ecosystems of the EU industrial strategy (2021 update).
ECOSYSTEMS: list[tuple[str, str]] = [
    ("aerospace-defence", gettext_noop("Aerospace & defence")),
    ("agri-food", gettext_noop("Agri-food")),
    ("construction", gettext_noop("Construction")),
    ("cultural-creative", gettext_noop("Cultural and creative industries")),
    ("digital", gettext_noop("Digital")),
    ("electronics", gettext_noop("Electronics")),
    ("energy-intensive", gettext_noop("Energy-intensive industries")),
    ("energy-renewables", gettext_noop("Energy-renewables")),
    ("health", gettext_noop("Health")),
    ("mobility-transport-automotive", gettext_noop("Mobility-Transport-Automotive")),
    ("proximity-social-economy", gettext_noop("Proximity, social economy and civil security")),
    ("retail", gettext_noop("Retail")),
    ("textiles", gettext_noop("Textiles")),
    ("tourism", gettext_noop("Tourism")),
]

# The Enterprise Europe Network's five profile types: (code, name, kind, direction).
OPPORTUNITY_TYPES: list[tuple[str, str, str, str]] = [
    ("business-offer", gettext_noop("Business offer"), "business", "offer"),
    ("business-request", gettext_noop("Business request"), "business", "request"),
    ("technology-offer", gettext_noop("Technology offer"), "technology", "offer"),
    ("technology-request", gettext_noop("Technology request"), "technology", "request"),
    ("rd-request", gettext_noop("R&D request"), "research", "request"),
]

NACE_REVISION = "2"


def nace_rows() -> list[dict[str, str]]:
    """NACE Rev. 2 sections (A-U) and divisions (01-99) with their parent section."""
    with (REFERENCE_DIR / "nace_rev2.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def languages() -> list[tuple[str, str]]:
    """ISO 639-1 languages (two-letter code, English name) from pycountry."""

    return sorted(
        ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
        key=lambda item: item[0],
    )


def load_reference_data(apps=None) -> None:
    """Create or update every reference row (idempotent): used by the data migration and by tests
    that flush the database."""
    if apps is None:
        from django.apps import apps  # noqa: PLC0415 — the live registry only when no migration state is given
    Ecosystem = apps.get_model("core", "Ecosystem")
    NaceCode = apps.get_model("core", "NaceCode")
    OpportunityType = apps.get_model("core", "OpportunityType")
    Language = apps.get_model("core", "Language")

    for position, (code, name) in enumerate(ECOSYSTEMS):
        Ecosystem.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    sections = {}
    for row in nace_rows():
        level = "division" if row["parent"] else "section"
        nace, _ = NaceCode.objects.update_or_create(
            revision=NACE_REVISION,
            code=row["code"],
            defaults={"name": row["name"], "level": level, "parent": sections.get(row["parent"])},
        )
        if level == "section":
            sections[row["code"]] = nace
    for position, (code, name, kind, direction) in enumerate(OPPORTUNITY_TYPES):
        OpportunityType.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "direction": direction, "position": position}
        )
    for code, name in languages():
        Language.objects.update_or_create(code=code, defaults={"name": name})
