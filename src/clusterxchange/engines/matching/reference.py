"""Reference data the matching engine needs: ecosystems, NACE sections, languages, organisation types.

Kept as plain data so the Django layer can show the same labels; unknown values are never an
error here, they simply match only themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

INDUSTRIAL_ECOSYSTEMS: tuple[str, ...] = (
    "Aerospace & defence",
    "Agri-food",
    "Construction",
    "Cultural and creative industries",
    "Digital",
    "Electronics",
    "Energy-intensive industries",
    "Energy-renewables",
    "Health",
    "Mobility-Transport-Automotive",
    "Proximity, social economy and civil security",
    "Retail",
    "Textiles",
    "Tourism",
)

LANGUAGE_NAMES: dict[str, str] = {
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "hr": "Croatian",
    "hu": "Hungarian",
    "is": "Icelandic",
    "it": "Italian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "mt": "Maltese",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
}

_LANGUAGE_CODES_BY_NAME = {name.casefold(): code for code, name in LANGUAGE_NAMES.items()}

# NACE Rev. 2: the first division number of each section, in order (section U ends at 99).
_NACE_SECTION_STARTS: tuple[tuple[str, int], ...] = (
    ("A", 1), ("B", 5), ("C", 10), ("D", 35), ("E", 36), ("F", 41), ("G", 45), ("H", 49),
    ("I", 55), ("J", 58), ("K", 64), ("L", 68), ("M", 69), ("N", 77), ("O", 84), ("P", 85),
    ("Q", 86), ("R", 90), ("S", 94), ("T", 97), ("U", 99),
)  # fmt: skip


_NACE_CODE = re.compile(r"[A-U]?(\d{2}(\.\d{1,2})*)?")
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Électronique' and 'electronique' compare equal.

    Other scripts (Cyrillic, Greek) are kept, only lower-cased.
    """
    if text.isascii():
        return text.lower()
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def normalise_language(value: str) -> str:
    """Return an ISO 639-1 code for a known code or English name, else the folded value itself."""
    folded = fold(value).strip()
    if folded in LANGUAGE_NAMES:
        return folded
    return _LANGUAGE_CODES_BY_NAME.get(folded, folded)


def language_name(code: str) -> str:
    """English name of a language code; an unknown code is shown as given."""
    return LANGUAGE_NAMES.get(code, code)


def normalise_ecosystem(value: str) -> str:
    """Canonical ecosystem label when the value names one of the 14, else the stripped value."""
    folded = fold(value).strip()
    for ecosystem in INDUSTRIAL_ECOSYSTEMS:
        if fold(ecosystem) == folded:
            return ecosystem
    return value.strip()


def nace_section_for_division(division: int) -> str | None:
    """Section letter (A-U) of a two-digit NACE Rev. 2 division, or None if out of range."""
    if not 1 <= division <= 99:
        return None
    section = None
    for letter, start in _NACE_SECTION_STARTS:
        if division >= start:
            section = letter
    return section


@lru_cache(maxsize=4096)
def parse_nace(code: str) -> tuple[str | None, int | None]:
    """Split a NACE code such as 'C26.11', '26.11' or 'C' into (section, division).

    Matching compares divisions (two digits) and sections; finer levels are ignored because
    profiles are entered at very different levels of detail.
    """
    cleaned = code.strip().upper().replace(" ", "")
    if not _NACE_CODE.fullmatch(cleaned):
        return None, None
    letter = cleaned[0] if cleaned[:1].isalpha() else None
    digits = "".join(char for char in (cleaned[1:] if letter else cleaned) if char.isdigit())
    division = int(digits[:2]) if len(digits) >= 2 else None
    if division is not None and nace_section_for_division(division) is None:
        division = None
    section = letter if letter and "A" <= letter <= "U" else None
    if division is not None:
        section = nace_section_for_division(division)
    return section, division
