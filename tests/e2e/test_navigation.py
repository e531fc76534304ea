"""The main menu: one row at 1280 px in every shipped language, folded into a Menu button at 390 px."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.e2e.test_accessibility import _log_in
from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world

pytestmark = pytest.mark.browser

TOPS = """() => [document.querySelector(".brand"), ...document.querySelectorAll(
  ".menu-groups > li > details > summary, .menu-user > li")].map(e => Math.round(e.getBoundingClientRect().top))"""


def test_menu_fits_one_row_on_a_laptop_and_folds_on_a_phone(live_server, reference_data, request, page):
    from clusterxchange.tandems.reference import load_topics

    load_topics()
    s = request.getfixturevalue("sworld")
    _log_in(page, live_server, s.users["coordinator"])  # the coordinator sees the most groups
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        with translation.override(code):
            events = translation.gettext("Events")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{prefix}/events/")
        assert page.locator(".menu-groups > li").count() == 6  # Directory … Admin
        tops = page.evaluate(TOPS)
        assert max(tops) - min(tops) < 30, (prefix, tops)  # one row
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert page.locator(".menu-group > summary.current").inner_text().strip() == events
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}{prefix}/events/")
        assert page.locator("summary.menu-button").is_visible()
        assert not page.locator(".menu-groups").is_visible()
        page.click("summary.menu-button")
        assert page.locator(".menu-groups").is_visible()
        page.locator(".menu-groups > li > details > summary").first.click()
        assert page.locator(".menu-groups details[open] a").first.is_visible()


def test_without_javascript_the_menu_is_shown(browser, live_server, reference_data):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/events/")
    assert page.locator(".menu-groups").is_visible()
    context.close()
