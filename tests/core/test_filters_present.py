"""Filters list what exists: the countries of the organisations listed and the languages of the courses
offered, with counts, not every country or ISO language of the world."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from clusterxchange.core.models import Language
from clusterxchange.directory.models import Organisation
from tests.tandems.conftest import tw  # noqa: F401 - the tandems and training world

pytestmark = pytest.mark.django_db


def _options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


def test_the_country_filter_lists_the_countries_present_with_counts(world, client):
    body = client.get(reverse("directory:organisations")).content.decode()
    options = _options(body, "country")
    french = Organisation.objects.filter(country="FR").count()
    assert f"France ({french})" in options
    assert not any(option.startswith("Afghanistan") for option in options)
    assert len(options) == 1 + Organisation.objects.values("country").distinct().count()


def test_a_country_without_records_still_searches_and_stays_chosen(world, client):
    response = client.get(reverse("directory:organisations"), {"country": "AF"})
    assert response.status_code == 200
    assert '<option value="AF" selected>Afghanistan</option>' in response.content.decode()


def test_the_training_language_filter_lists_the_languages_offered(tw, client):  # noqa: F811
    tw.entry.languages.set(Language.objects.filter(code__in=["de", "en"]))
    tw.pending_entry.languages.set(Language.objects.filter(code="fr"))  # not published: not offered
    body = client.get(reverse("training:catalogue")).content.decode()
    options = _options(body, "language")
    assert options[1:] == ["English (1)", "German (1)"]


def test_the_directory_country_counts_come_from_the_cache_until_an_organisation_changes(
    world, client, settings
):
    """Over 100,000 organisations the GROUP BY behind the country options costs about 50 ms a page
    (the load test's throughput fell by a third): it is cached in the directory's count scope."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_org

    settings.CACHED_COUNTS = True
    cache.clear()
    url = reverse("directory:organisations")

    def grouped_queries() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        return body, sum(1 for q in queries if "GROUP BY" in q["sql"] and '"country"' in q["sql"])

    body, first = grouped_queries()
    french = Organisation.objects.filter(country="FR").count()
    assert first == 1 and f"France ({french})" in _options(body, "country")
    body, second = grouped_queries()
    assert second == 0 and f"France ({french})" in _options(body, "country")
    make_org("Nouvelle Entreprise", "FR")  # the directory changed: counted again
    body, third = grouped_queries()
    assert third == 1 and f"France ({french + 1})" in _options(body, "country")


def test_the_folded_filters_say_how_many_are_set_in_the_readers_language(world, client):
    """The summary of the filters a phone folds (includes/filters_fold.html)."""
    body = client.get(reverse("directory:organisations")).content.decode()
    assert (
        'data-active="0" open>' in body
        and '<summary><span id="filters-fold-label">Filters</span></summary>' in body
    )
    with translation.override("de"):
        url = reverse("directory:organisations")
    body = client.get(url, {"country": "FR", "q": "  ", "org_type": "sme"}).content.decode()
    assert (
        'data-active="2" open>' in body
        and '<span id="filters-fold-label">Filter · aktiv: 2</span></summary>' in body
    )
