"""Dates read alike on people's pages: an event and an exchange write their days out in the reader's
language ("12 kwietnia 2027", the exchange read "12-04-2027" beside events' "10 marca 2027"), a one-day
event shows its date once (it read "11 mars – 11 mars"), and an event's address names the year once
when its title already does (it was "b2b-wieden-2027-2027")."""

import html
from datetime import date

import pytest
from django.utils import translation

from clusterxchange.core.dates import date_range
from tests.events.conftest import make_event
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchange world

pytestmark = pytest.mark.django_db


def test_a_span_of_days_is_written_out_and_one_day_is_one_date():
    with translation.override("pl"):
        assert date_range(date(2027, 4, 12), date(2027, 4, 16)) == "12 kwietnia 2027 – 16 kwietnia 2027"
        assert date_range(date(2027, 4, 12), date(2027, 4, 12)) == "12 kwietnia 2027"
    with translation.override("fr"):
        assert date_range(date(2027, 3, 11), date(2027, 3, 11)) == "11 mars 2027"


def test_a_one_day_event_shows_its_date_once(world):
    event = make_event(world, start_date=date(2031, 3, 11), end_date=date(2031, 3, 11))
    page = html.unescape(world.client("owner").get(f"/fr/events/{event.slug}/").content.decode())
    assert "11 mars 2031" in page and "11 mars 2031 – 11 mars 2031" not in page


def test_an_exchange_writes_its_dates_as_events_do(xworld):  # noqa: F811
    exchange = xworld.new_exchange(
        state="validated", start_date=date(2031, 4, 14), end_date=date(2031, 4, 18)
    )
    client = xworld.client("visitor")
    detail = html.unescape(client.get(f"/pl/exchanges/{exchange.reference}/").content.decode())
    assert "14 kwietnia 2031 – 18 kwietnia 2031" in detail and "14-04-2031" not in detail
    listing = html.unescape(client.get("/pl/exchanges/").content.decode())
    assert "14 kwietnia 2031 – 18 kwietnia 2031" in listing


def test_an_events_address_names_the_year_once(world):
    assert make_event(world, title="B2B Wieden 2031").slug == "b2b-wieden-2031"
    assert make_event(world, title="Matchmaking Lyon").slug == "matchmaking-lyon-2031"
    assert make_event(world, title="Forum 20310").slug == "forum-20310-2031"
