"""The directory's filters and results are the same for every reader, so they are kept in the cache
(with the counts, until an organisation changes): a repeated search runs no search query, whoever
asks, and a change shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.conftest import make_org

pytestmark = pytest.mark.django_db

URL = reverse("directory:organisations")


def _search(client, url: str = URL) -> tuple[str, int]:
    """The page and how many times it read organisations' rows (counts and choices apart)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "sensors"})
    assert response.status_code == 200
    reads = sum(
        1
        for q in queries
        if q["sql"].startswith('SELECT "directory_organisation"."id"') and "LIMIT" in q["sql"]
    )
    return response.content.decode(), reads


@pytest.fixture
def cached(settings):
    settings.CACHED_COUNTS = True
    cache.clear()


def test_a_repeated_search_is_answered_from_the_cache_for_every_reader(world, cached):
    body, first = _search(world.client("anonymous"))
    assert first == 1 and "Alpha Sensors" in body
    for role in ("anonymous", "owner", "coordinator"):
        body, again = _search(world.client(role))
        assert again == 0, role
        assert "Alpha Sensors" in body and "1 organisation" in body
    # What differs by reader stays outside the cached part: only the coordinator may add one.
    assert "Add an organisation" in _search(world.client("coordinator"))[0]
    assert "Add an organisation" not in _search(world.client("anonymous"))[0]


def test_a_change_to_an_organisation_shows_at_once(world, cached):
    client = world.client("anonymous")
    _search(client)
    world.org_a1.name = "Alpha Printed Sensors"
    world.org_a1.save()
    body, reads = _search(client)
    assert reads == 1 and "Alpha Printed Sensors" in body
    make_org("Omega Sensors", "DE", description="sensors")
    body, reads = _search(client)
    assert reads == 1 and "2 organisations" in body and "Omega Sensors" in body


def test_each_language_has_its_own_copy(world, cached):
    client = world.client("anonymous")
    english, _ = _search(client)
    with translation.override("de"):
        german, reads = _search(client, reverse("directory:organisations"))
    assert reads == 1
    assert "1 organisation" in english and "1 Organisation" in german and "Standort" in german


def test_the_live_search_answer_is_the_cached_results(world, cached):
    client = world.client("anonymous")
    page, _ = _search(client)
    with CaptureQueriesContext(connection):
        partial = client.get(URL, {"q": "sensors"}, HTTP_HX_REQUEST="true").content.decode()
    results, label = partial.split('<span id="filters-fold-label" hx-swap-oob="true">')
    assert results.strip() in page
    assert "<html" not in partial
    assert label.startswith("Filters · active: 1</span>")  # the folded filters' summary follows the search
