"""A visitor without an account walks the public programme site: home → about → partners (map) →
how to take part → news article; then the author withdraws consent and the testimonial is gone."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.news.conftest import nw  # noqa: F401 (the news world's fixture)

pytestmark = pytest.mark.browser


def test_public_site_navigation_and_consent_withdrawal(live_server, reference_data, browser, request):
    news = request.getfixturevalue("nw")  # after the reference data are back
    from clusterxchange.programmes.models import EligibleCountry

    EligibleCountry.objects.create(programme=news.world.programme, country="FR")
    EligibleCountry.objects.create(programme=news.world.programme, country="ES")
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/")
    expect(page.locator('link[rel="alternate"][type="application/atom+xml"]').first).to_have_attribute(
        "href", "/news/feed/"
    )
    expect(page.get_by_text("Approved words")).to_be_visible()
    page.get_by_role("button", name="About the programme").click()  # a link styled as a button
    expect(page.get_by_role("heading", level=1)).to_have_text("Test programme")
    expect(page.get_by_role("heading", name="Latest news")).to_be_visible()

    site_nav = page.get_by_role("navigation", name="Programme")
    site_nav.get_by_role("link", name="Partners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner clusters")
    expect(site_nav.get_by_role("link", name="Partners")).to_have_attribute("aria-current", "page")
    spain = page.locator('svg a[href="#partner-cluster-b-es"]')
    expect(spain).to_have_count(1)
    spain.click()
    page.wait_for_url("**#partner-cluster-b-es")
    expect(page.locator("#partner-cluster-b-es")).to_contain_text("Bilbao")

    page.get_by_role("navigation", name="Programme").get_by_role("link", name="How to take part").click()
    expect(page.get_by_role("heading", name="Steps of an exchange")).to_be_visible()
    expect(page.get_by_text("2 countries take part.")).to_be_visible()

    page.get_by_role("navigation", name="Programme").get_by_role("link", name="News").click()
    expect(page.get_by_role("link", name="Partner A draft")).to_have_count(0)
    page.get_by_role("link", name="Sixty exchanges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sixty exchanges")
    expect(page.locator("article strong", has_text="60")).to_be_visible()

    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Testimonials").click()
    expect(page.get_by_text("Approved words")).to_be_visible()
    expect(page.get_by_text("Private words")).to_have_count(0)

    # The author withdraws consent from their own page; the public page no longer shows it.
    client = Client()
    client.force_login(news.world.users["owner"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    author = browser.new_context(locale="en-GB")
    author.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    author_page = author.new_page()
    author_page.goto(f"{live_server.url}/news/testimonials/mine/")
    author_page.locator("article", has_text="Approved words").get_by_role(
        "button", name="Withdraw my consent"
    ).click()
    expect(author_page.get_by_text("Your consent is withdrawn")).to_be_visible()
    author.close()

    page.reload()
    expect(page.get_by_text("Approved words")).to_have_count(0)
    expect(page.get_by_text("No testimonial is published yet", exact=False)).to_be_visible()
    context.close()
