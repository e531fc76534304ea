"""The reporting dashboard in a browser: KPI cards, the chart drawn by Chart.js, the server-drawn
map, the period filter, and a country on the map leading to the records behind its number."""

import pytest
from playwright.sync_api import expect

from tests.e2e.menu import use_menu
from tests.reporting.conftest import rworld, xworld  # noqa: F401 - the known data set of the reporting tests

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def test_dashboard_filters_and_map(live_server, reference_data, browser, rworld):  # noqa: F811
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("coordinator@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")

    use_menu(page, "Reporting", "Dashboard")
    page.wait_for_url(f"{live_server.url}/reporting/test/")
    expect(page.locator('[data-kpi="exchanges"] .kpi-value a')).to_have_text("3")
    expect(page.locator('#reporting-map path[data-country="FR"]')).to_have_attribute("data-value", "2")
    expect(page.locator('#reporting-map path[data-flow="FR-ES"]')).to_have_count(1)
    expect(page.locator("#timeline-chart")).to_have_attribute("data-drawn", "true")  # Chart.js ran

    page.get_by_label("Reporting period").select_option(label=str(rworld.p2))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**/reporting/test/?period={rworld.p2.pk}*")
    expect(page.locator('[data-kpi="exchanges"] .kpi-value a')).to_have_text("2")
    expect(page.locator('[data-kpi="sme-share"] .kpi-value')).to_have_text("50 %")
    expect(page.locator('#reporting-map path[data-country="FR"]')).to_have_attribute("data-value", "1")
    expect(page.locator('#reporting-map path[data-country="ES"]')).to_have_attribute("data-value", "1")

    page.locator('#reporting-map a:has(path[data-country="FR"])').click()
    page.wait_for_url("**/reporting/test/records/exchanges/**")
    expect(page.locator("#record-total")).to_have_text("1")
    expect(page.locator("#records tbody tr")).to_have_count(1)
    expect(page.locator("#records tbody")).to_contain_text("Beta Software")
    assert not [e for e in errors if "Content Security Policy" in e or "Chart" in e], errors
    context.close()
