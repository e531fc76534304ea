"""Country codes: which ones exist, independent of which ones a programme admits."""

from __future__ import annotations

import pycountry


def is_known_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code such as ``DE``; the EU's ``EL`` and ``UK`` are not ISO."""
    return len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None
