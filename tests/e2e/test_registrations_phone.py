"""An organiser decides registrations on a phone: at 390 px the registrations list shows each row as a
block, its Reject button inside the screen (it sat off to the right of the table, reachable only by
scrolling the table sideways); on the event's page the organiser's buttons keep a space before the facts
below them (they touched)."""

import pytest
from django.urls import reverse

from tests.e2e.test_accessibility import _log_in
from tests.events.conftest import ew  # noqa: F401 - the event world

pytestmark = pytest.mark.browser

INSIDE = """() => {
  const html = document.documentElement;
  const row = document.querySelector("#registrations tbody tr");
  const buttons = [...row.querySelectorAll("form.decision button")];
  return {
    pageFits: html.scrollWidth <= html.clientWidth + 1,
    boxFits: [...document.querySelectorAll(".table-scroll")].every((b) => b.scrollWidth <= b.clientWidth + 1),
    buttons: buttons.length,
    inside: buttons.every((b) => { const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }),
  };
}"""


def _managers_phone_page(live_server, world, browser, url: str):
    """A new phone-sized browser context, logged in as the event's organiser, at `url`."""
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, world.users["manager"])
    page.goto(live_server.url + url)
    return context, page


def test_the_first_registrations_buttons_are_on_a_phones_screen(
    reference_data, live_server, world, browser, request
):
    event = request.getfixturevalue("ew").event
    url = reverse("events:registrations", args=[event.slug])
    context, page = _managers_phone_page(live_server, world, browser, url)
    found = page.evaluate(INSIDE)
    assert found == {"pageFits": True, "boxFits": True, "buttons": found["buttons"], "inside": True}
    assert found["buttons"] >= 1
    context.close()


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
