"""An organiser on a phone: on the event's page at 390 px the organiser's buttons keep a space before the
facts below them (they touched)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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


DECISIONS_ON_SCREEN = """() => {
  const buttons = [...document.querySelectorAll("#registrations tbody tr:first-child form.decision button")];
  return {
    rights: buttons.map(b => Math.round(b.getBoundingClientRect().right)),
    width: document.documentElement.clientWidth,
    page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    table_overflow: document.querySelector(".table-scroll").scrollWidth - document.querySelector(".table-scroll").clientWidth,
    first_row_height: document.querySelector("#registrations tbody tr").getBoundingClientRect().height,
  };
}"""


def test_an_organiser_decides_on_a_registration_without_scrolling_sideways_on_a_phone(
    reference_data, live_server, world, browser, request, tmp_path
):
    """At 390 px a row is the organisation's name (a link to the whole row), its status and its decision
    buttons, on two short lines: the buttons are on the screen, neither the page nor the table scrolls
    sideways. The row's other cells show once its name is followed."""
    from clusterxchange.events.models import Registration
    from tests.conftest import make_org

    event = request.getfixturevalue("ew").event
    Registration.objects.filter(event=event).update(status="waiting")  # both buttons: Validate and Reject
    Registration.objects.create(
        event=event,
        organisation=make_org("Zentrum für angewandte Mikrosystemtechnik und Sensorik", "DE"),
        profile="A very long profile that would take several lines on a phone. " * 3,
        status="waiting",
    )
    url = reverse("events:registrations", args=[event.slug])
    context, page = _managers_phone_page(live_server, world, browser, url)
    measured = page.evaluate(DECISIONS_ON_SCREEN)
    page.screenshot(path=tmp_path / "registrations-390.png")
    assert len(measured["rights"]) == 2, measured
    assert all(right <= measured["width"] for right in measured["rights"]), measured
    assert measured["page_overflow"] <= 1 and measured["table_overflow"] <= 1, measured
    assert measured["first_row_height"] <= 80, measured  # two short lines
    partner_cluster = page.locator("#registrations tbody tr").first.locator("td").nth(3)
    expect(partner_cluster).to_be_hidden()
    page.locator("#registrations tbody tr").first.locator("td").first.get_by_role("link").click()
    expect(partner_cluster).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    context.close()


def test_an_organiser_deciding_on_a_filtered_page_2_keeps_their_place_on_a_phone(
    reference_data, live_server, world, browser, request, tmp_path
):
    """Found on a phone: a decision led back to the list's unfiltered first page, so the organiser
    re-opened the folded filters and paged again after every row. Now the list comes back with the same
    filter and page (here in German), scrolled to the decided row."""
    from clusterxchange.directory.models import Organisation
    from clusterxchange.events.models import Registration

    event = request.getfixturevalue("ew").event
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Warteliste {n:02d}", slug=f"warteliste-{n:02d}", country="DE", org_type="sme")
        for n in range(60)
    )
    Registration.objects.bulk_create(
        Registration(event=event, organisation=organisation, status="waiting")
        for organisation in organisations
    )
    url = "/de" + reverse("events:registrations", args=[event.slug])
    context, page = _managers_phone_page(live_server, world, browser, url)
    page.locator("details.filters-fold > summary").click()
    page.locator("#id_status").select_option("waiting")
    page.locator("form.filters button[type=submit]").click()
    page.locator('nav.pagination a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"status=waiting.*page=2"))
    row = page.locator("#registrations tbody tr").first
    decided_id = row.get_attribute("id")
    row.locator("td").first.get_by_role("link").click()  # on a phone, a row's decision shows once followed
    row.locator('form.decision button[value="validate"]').click()
    expect(page).to_have_url(re.compile(rf"status=waiting.*page=2#{decided_id}$"))
    expect(page.locator("#id_status")).to_have_value("waiting")
    expect(page.locator("details.filters-fold")).to_have_attribute("open", "")
    expect(page.locator(".results-meta")).to_contain_text("59")
    expect(page.locator(f"#{decided_id}")).to_have_count(0)  # validated: no longer waiting
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    page.screenshot(path=tmp_path / "registrations-decided-390-de.png", full_page=False)
    context.close()
