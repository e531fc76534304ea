"""An expression of interest from a phone: a member of Gamma Robotics writes to Alpha Sensors from its
opportunity's page (390 px); Alpha Sensors' admin logs in, finds it under Received and accepts it; the
sender then sees it accepted with Alpha Sensors' contact email. No page is wider than the screen (390 px
and 1280 px) and the browser console stays free of errors."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _open(browser, live_server, email: str, viewport: dict, errors: list[str]):
    """A new browser window, logged in through the login page, that records the console's errors."""
    page = browser.new_context(locale="en-GB", viewport=viewport).new_page()
    page.set_default_timeout(30_000)  # the shared machine can be slow
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _fits(page, where: str, overflows: list[str]) -> None:
    if page.evaluate(OVERFLOW) > 1:
        overflows.append(f"{where} at {page.viewport_size['width']} px: {page.url}")


def test_send_accept_and_see_the_contact(live_server, reference_data, browser):
    from clusterxchange.core.models import OpportunityType
    from clusterxchange.directory.models import Opportunity
    from tests.conftest import make_org, make_user

    alpha = make_org("Alpha Sensors", "FR", city="Nice", email="hello@alpha.example")
    gamma = make_org("Gamma Robotics", "ES", city="Bilbao", email="contact@gamma.example")
    make_user("admin@alpha.example", alpha, "manager")
    make_user("olga@gamma.example", gamma)
    opportunity = Opportunity.objects.create(
        organisation=alpha,
        type=OpportunityType.objects.get(code="technology-offer"),
        title="Printed sensors on foil for harsh environments",
        description="We print sensors.",
        status="published",
    )
    errors: list[str] = []
    overflows: list[str] = []

    sender = _open(browser, live_server, "olga@gamma.example", PHONE, errors)
    sender.goto(f"{live_server.url}{opportunity.get_absolute_url()}")
    _fits(sender, "opportunity", overflows)
    sender.get_by_label("Your message").fill("We build robots that could carry your sensors.")
    sender.get_by_role("button", name="Express interest").click()
    expect(sender.get_by_text("Your interest was sent.")).to_be_visible()
    expect(sender.get_by_text("Gamma Robotics expressed its interest")).to_be_visible()
    _fits(sender, "opportunity after sending", overflows)

    admin = _open(browser, live_server, "admin@alpha.example", DESKTOP, errors)
    admin.goto(f"{live_server.url}/welcome/interests/")
    tabs = admin.get_by_role("navigation", name="Interests")
    expect(tabs.get_by_role("link", name="Received")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link", name="Sent")).not_to_have_attribute("aria-current", "page")
    underlines = tabs.get_by_role("link").evaluate_all(
        "links => links.map(a => getComputedStyle(a).borderBottomColor !== 'rgba(0, 0, 0, 0)')"
    )
    assert underlines == [True, False]  # the current tab is underlined, as in the public site's menu
    item = admin.locator("article", has_text="We build robots that could carry your sensors.")
    expect(item).to_contain_text("Gamma Robotics")
    expect(item).not_to_contain_text("contact@gamma.example")  # not before acceptance
    _fits(admin, "received", overflows)
    item.get_by_role("button", name="Accept").click()
    expect(admin.get_by_text("Accepted: the organisation was told")).to_be_visible()
    expect(item.get_by_role("link", name="contact@gamma.example")).to_be_visible()
    admin.set_viewport_size(PHONE)
    _fits(admin, "received, accepted", overflows)
    admin.context.close()

    sender.goto(f"{live_server.url}/welcome/interests/?tab=sent")
    expect(
        sender.get_by_role("navigation", name="Interests").get_by_role("link", name="Sent")
    ).to_have_attribute("aria-current", "page")
    sent = sender.locator("article", has_text="Printed sensors on foil")
    expect(sent).to_contain_text("Approved")
    expect(sent.get_by_role("link", name="hello@alpha.example")).to_be_visible()
    _fits(sender, "sent", overflows)
    sender.set_viewport_size(DESKTOP)
    _fits(sender, "sent", overflows)
    sender.context.close()

    assert not overflows, "\n".join(overflows)
    assert not errors, "\n".join(errors)
