"""The event form shows the B2B matchmaking settings (meeting requests, cap, expiry, reminders, the
fair it is part of) only for a B2B session: an organiser of a company mission was asked for them and
could not know they did nothing there."""

import pytest
from django.urls import reverse

from tests.e2e.test_accessibility import _log_in

pytestmark = pytest.mark.browser


def test_matchmaking_settings_show_only_for_a_b2b_session(live_server, reference_data, world, browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, world.users["manager"])
    page.goto(live_server.url + reverse("events:create"))
    matchmaking = page.locator("#matchmaking-fields")
    assert matchmaking.is_visible()  # no kind chosen yet
    page.select_option("#id_kind", "mission")
    assert not matchmaking.is_visible() and not page.locator("#id_meeting_cap").is_visible()
    page.select_option("#id_kind", "b2b")
    assert matchmaking.is_visible() and page.locator("#id_meeting_cap").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
