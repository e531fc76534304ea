"""The first account of an empty install sets up a programme in the browser: led from the home page
to the set-up, then the grant rules' live preview follows the lump sum as it is typed (htmx), and the
set-up pages fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import _log_in, serious_violations

pytestmark = pytest.mark.browser

FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"


def test_first_account_sets_up_a_programme_with_a_live_preview(live_server, reference_data, page):
    from clusterxchange.accounts.models import User
    from clusterxchange.programmes.models import Programme

    first = User.objects.create_superuser(email="first@consortium.example", password="a-long-passphrase")
    _log_in(page, live_server, first)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/programmes/new/$"))
    page.fill("#id_name", "Cluster bridges")
    page.fill("#id_acronym", "BRIDGE")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2027-12-31")
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="Set-up steps")).to_be_visible()
    programme = Programme.objects.get(acronym="BRIDGE")
    assert programme.roles.filter(user=first).exists()

    page.goto(f"{live_server.url}/programmes/{programme.slug}/countries/")
    page.select_option("#id_countries", ["FR", "ES"])
    page.click("main form button[type=submit]")
    expect(page.locator(".message-success, [role=status]").first).to_be_visible()

    page.goto(f"{live_server.url}/programmes/{programme.slug}/rules/")
    page.fill("#id_cap_FR", "1000")
    page.fill("#id_cap_ES", "1200")
    page.select_option("#id_example-visitor_country", "FR")
    page.select_option("#id_example-host_country", "ES")
    page.fill("#id_example-start", "2026-06-15")
    page.fill("#id_example-end", "2026-06-19")
    page.fill("#id_example-distance_km", "800")
    page.locator("#id_example-distance_km").dispatch_event("change")
    expect(page.locator("#preview [data-grant]")).to_have_attribute("data-grant", "1200.00")
    page.fill("#id_cap_ES", "1500")
    page.locator("#id_cap_ES").dispatch_event("change")
    expect(page.locator("#preview [data-grant]")).to_have_attribute("data-grant", "1500.00")
    page.click("button:has-text('Save the grant rules')")
    expect(page.locator("#id_cap_ES")).to_have_value("1500.00")

    page.set_viewport_size({"width": 390, "height": 844})
    for step in ("", "rules/", "partners/", "periods/", "kpis/", "countries/", "edit/", "texts/", "copy/"):
        page.goto(f"{live_server.url}/programmes/{programme.slug}/{step}")
        assert page.evaluate(FITS), f"/programmes/{programme.slug}/{step} scrolls sideways at 390 px"
    # The public texts page (a fieldset per language, its state in a badge) passes axe.
    assert not serious_violations(page, f"{live_server.url}/programmes/{programme.slug}/texts/")
