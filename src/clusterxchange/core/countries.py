"""The country list in the active language, built once per language.

django-countries translates and sorts its ~250 names on every iteration (about 10 ms of CPU); the
directory's filter form iterated it on every search. Pass `country_choices` (the function) as
`choices=` so that the list follows the language of each request.
"""

import functools

from django.conf import settings
from django.utils import translation
from django_countries import countries


@functools.cache
def _countries_in(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> tuple[tuple[str, str], ...]:
    return _countries_in(translation.get_language() or settings.LANGUAGE_CODE)


def country_choices_among(codes) -> list[tuple[str, str]]:
    """The countries of `codes` (e.g. a programme's eligible countries, or those present in a list), in
    the active language and its order: a filter offers what exists, not the world."""
    wanted = {str(code) for code in codes}
    return [(code, name) for code, name in country_choices() if code in wanted]
