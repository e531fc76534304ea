"""The filters of the directory search and the reporting dashboard fold on a phone: the first result
is on the first screen (390 x 844), the filters open from their summary, and stay open when one is
set; on a wide screen they are simply shown."""

import re

import pytest
from playwright.sync_api import expect

from tests.events.conftest import ew  # noqa: F401 - the event world
from tests.reporting.conftest import rworld, xworld  # noqa: F401 - the known data set of the reporting tests

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
PASSWORD = "correct-horse-battery"


def _on_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and page.evaluate("window.scrollY") == 0 and box["y"] >= 0 and box["y"] + 20 <= 844


def _no_sideways_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _check_fold(page, tmp_path, name: str, first_result, a_filter) -> None:
    fold = page.locator("details.filters-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(a_filter).to_be_hidden()
    assert _on_first_screen(page, first_result), first_result.bounding_box()
    assert _no_sideways_overflow(page)
    page.screenshot(path=tmp_path / f"{name}-390-folded.png")
    summary = fold.locator("summary")
    expect(summary).to_have_text("Filters")
    summary.click()
    expect(a_filter).to_be_visible()
    page.screenshot(path=tmp_path / f"{name}-390-open.png")


def test_the_directory_filters_fold_on_a_phone(live_server, reference_data, browser, tmp_path):
    from tests.conftest import make_org

    for number in range(12):
        make_org(f"Organisation {number:02}", "FR" if number % 2 else "DE", city="Nice")
    url = f"{live_server.url}/directory/"
    phone = browser.new_context(locale="en-GB", viewport=PHONE)
    page = phone.new_page()
    page.goto(url)
    _check_fold(
        page, tmp_path, "directory", page.locator("#results tbody tr").first, page.locator("#id_country")
    )

    page.goto(f"{url}?country=FR")  # a filter set: shown open, saying so
    fold = page.locator("details.filters-fold")
    expect(fold).to_have_attribute("open", "")
    expect(fold.locator("summary")).to_have_text("Filters · active: 1")
    expect(page.locator("#id_country")).to_be_visible()
    phone.close()

    wide = browser.new_context(locale="en-GB", viewport=WIDE)
    page = wide.new_page()
    page.goto(url)
    expect(page.locator("details.filters-fold")).to_have_attribute("open", "")
    expect(page.locator("details.filters-fold > summary")).to_be_hidden()
    expect(page.locator("#id_country")).to_be_visible()
    assert _no_sideways_overflow(page)
    page.screenshot(path=tmp_path / "directory-1280.png")
    wide.close()


def test_the_dashboard_filters_fold_on_a_phone(live_server, reference_data, browser, rworld, tmp_path):  # noqa: F811
    for viewport in (PHONE, WIDE):
        context = browser.new_context(locale="en-GB", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill("coordinator@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/reporting/test/")
        first_card = page.locator("article.kpi-card").first
        period = page.get_by_label("Reporting period")
        if viewport is PHONE:
            _check_fold(page, tmp_path, "dashboard", first_card, period)
        else:
            expect(page.locator("details.filters-fold > summary")).to_be_hidden()
            expect(period).to_be_visible()
            assert _no_sideways_overflow(page)
            page.screenshot(path=tmp_path / "dashboard-1280.png")
        context.close()


def test_the_fold_counts_the_filters_a_live_search_sets(live_server, reference_data, browser):
    """The directory's live search swaps its results without reloading the page: the summary's count
    follows it (it said "Filters" until a reload), the fold staying as the person left it."""
    from tests.conftest import make_org

    for number in range(12):
        make_org(f"Organisation {number:02}", "FR" if number % 2 else "DE", city="Nice")
    phone = browser.new_context(locale="en-GB", viewport=PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/directory/")
    summary = page.locator("details.filters-fold > summary")
    expect(summary).to_have_text("Filters")
    summary.click()
    page.evaluate("window.sameDocument = true")
    page.get_by_label("Search").press_sequentially("Organisation 01")
    expect(page.locator("#results [aria-live]")).to_have_text("1 organisation")
    expect(summary).to_have_text("Filters · active: 1")
    page.locator("#id_country").select_option("FR")
    expect(page).to_have_url(re.compile(r"country=FR"))
    expect(summary).to_have_text("Filters · active: 2")
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press("Enter")
    expect(page.locator("#results [aria-live]")).to_have_text("6 organisations")
    expect(summary).to_have_text("Filters · active: 1")
    expect(page.locator("details.filters-fold")).to_have_attribute("open", "")
    assert page.evaluate("window.sameDocument === true")  # the page was never reloaded
    phone.close()


def test_the_registrations_filters_fold_on_a_phone(
    live_server, reference_data, world, browser, request, tmp_path
):
    from tests.e2e.test_registrations_phone import _managers_phone_page

    event = request.getfixturevalue("ew").event
    context, page = _managers_phone_page(live_server, world, browser, f"/events/{event.slug}/registrations/")
    _check_fold(
        page,
        tmp_path,
        "registrations",
        page.locator("#registrations tbody tr").first,
        page.locator("#id_status"),
    )
    context.close()
