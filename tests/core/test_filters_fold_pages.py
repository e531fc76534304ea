"""Every long list with a filter form folds it on a phone (includes/filters_fold.html) and its summary
counts the filters the address sets, rendered by the server (without JavaScript the fold is open)."""

import pytest
from django.urls import reverse

from tests.events.conftest import ew  # noqa: F401 - the event world

pytestmark = pytest.mark.django_db

# (who reads the list, its address's name, whether it takes the event's slug)
FOLDED_LISTS = [
    ("anonymous", "directory:organisations", False),
    ("anonymous", "training:catalogue", False),
    ("owner", "directory:people", False),
    ("anonymous", "directory:opportunities", False),
    ("owner", "exchanges:list", False),
    ("owner", "events:marketplace", True),
    ("manager", "events:registrations", True),
]


@pytest.mark.parametrize(("role", "name", "of_event"), FOLDED_LISTS)
def test_the_filters_of_a_long_list_fold_and_count_what_is_set(role, name, of_event, world, ew):  # noqa: F811
    url = reverse(name, args=[ew.event.slug] if of_event else [])
    client = world.client(role)
    unfiltered = client.get(url)
    searched = client.get(url, {"q": "sensors", "page": "1"})  # the page number is no filter
    assert unfiltered.status_code == searched.status_code == 200
    assert '<details class="filters-fold" data-active="0" open>' in unfiltered.content.decode()
    assert '<span id="filters-fold-label">Filters</span>' in unfiltered.content.decode()
    assert '<details class="filters-fold" data-active="1" open>' in searched.content.decode()
    assert "Filters · active: 1</span>" in searched.content.decode()
