"""A visitor switches the interface to German with the header's switcher (it submits itself);
after logging in, a switch to French is remembered for the next visit from another browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switch_language_in_the_browser(live_server, reference_data, page, browser):
    from clusterxchange.accounts.models import User
    from tests.conftest import make_org, make_user

    alpha = make_org("Alpha Sensors", "FR", city="Nice", description="Printed sensors on foil")
    make_user("owner@test.example", alpha)

    page.goto(f"{live_server.url}/directory/?q=sensors")
    switcher = page.get_by_label("Language")
    expect(switcher).to_have_value("en")
    expect(page.locator("form.language-switch button")).to_be_hidden()  # JavaScript submits on change
    switcher.select_option("de")
    page.wait_for_url(f"{live_server.url}/de/directory/?q=sensors")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("columnheader", name="Standort")).to_be_visible()
    expect(page.get_by_label("Sprache")).to_have_value("de")

    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label("E-Mail").fill("owner@test.example")
    page.get_by_label("Passwort").fill("correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/de/")
    assert User.objects.get(email="owner@test.example").language == "de"

    page.get_by_label("Sprache").select_option("fr")
    page.wait_for_url(f"{live_server.url}/fr/")
    expect(page.get_by_label("Rechercher dans l'annuaire")).to_be_visible()
    assert User.objects.get(email="owner@test.example").language == "fr"

    other = browser.new_context(locale="en-GB")
    try:
        elsewhere = other.new_page()
        elsewhere.goto(f"{live_server.url}/accounts/login/")
        elsewhere.get_by_label("Email").fill("owner@test.example")
        elsewhere.get_by_label("Password").fill("correct-horse-battery")
        elsewhere.get_by_role("button", name="Sign In").click()
        elsewhere.wait_for_url(f"{live_server.url}/fr/")
        expect(elsewhere.locator("html")).to_have_attribute("lang", "fr")
    finally:
        other.close()
