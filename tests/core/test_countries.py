from django.utils import translation
from django_countries import countries

from clusterxchange.core.countries import country_choices
from clusterxchange.directory.filters import OrganisationFilter


def test_country_choices_follow_the_active_language():
    with translation.override("de"):
        german = dict(country_choices())
        assert country_choices() is country_choices()  # built once per language
    with translation.override("fr"):
        french = dict(country_choices())
    assert german["DE"] == "Deutschland" and french["DE"] == "Allemagne"
    with translation.override("en"):
        assert list(country_choices()) == [(code, str(name)) for code, name in countries]


def test_the_directory_filter_lists_countries_in_the_request_language(db):
    for language, germany in (("de", "Deutschland"), ("en", "Germany")):
        with translation.override(language):
            html = str(OrganisationFilter({"country": "DE"}).form["country"])
        assert f'<option value="DE" selected>{germany}</option>' in html


def test_kosovo_can_be_chosen_and_is_named_in_the_readers_language():
    names = {}
    for language in ("en", "de", "pl", "lt", "bg"):
        with translation.override(language):
            names[language] = dict(country_choices())["XK"]
    assert names == {"en": "Kosovo", "de": "Kosovo", "pl": "Kosowo", "lt": "Kosovas", "bg": "Косово"}
