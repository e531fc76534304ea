"""An organiser on a phone: on the event's page at 390 px the organiser's buttons keep a space before the
facts below them (they touched)."""

import pytest
from django.urls import reverse

from tests.e2e.test_accessibility import _log_in
from tests.events.conftest import ew  # noqa: F401 - the event world

pytestmark = pytest.mark.browser


def _managers_phone_page(live_server, world, browser, url: str):
    """A new phone-sized browser context, logged in as the event's organiser, at `url`."""
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, world.users["manager"])
    page.goto(live_server.url + url)
    return context, page


GAP_BELOW_ACTIONS = """() => {
  const actions = document.querySelector("main > .inline-actions");
  const last = [...actions.children].reduce((a, b) => (b.getBoundingClientRect().bottom > a.getBoundingClientRect().bottom ? b : a));
  return actions.nextElementSibling.getBoundingClientRect().top - last.getBoundingClientRect().bottom;
}"""


def test_the_event_pages_actions_have_space_below_them_on_a_phone(
    reference_data, live_server, world, browser, request
):
    event = request.getfixturevalue("ew").event
    url = reverse("events:detail", args=[event.slug])
    context, page = _managers_phone_page(live_server, world, browser, url)
    assert page.evaluate(GAP_BELOW_ACTIONS) >= 12
    context.close()
