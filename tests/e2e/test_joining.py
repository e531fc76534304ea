"""Sign-up that leads somewhere: a visitor signs up from the header, lands on the next steps, finds their
organisation and asks to join it; the cluster's manager approves from the menu; the person is a member."""

import pytest
from playwright.sync_api import expect

from tests.e2e.menu import use_menu

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-password-42"


def test_sign_up_find_ask_approve(live_server, reference_data, browser, page):
    from datetime import date

    from clusterxchange.directory.models import ClusterMembership
    from clusterxchange.programmes.models import PartnerCluster, Programme
    from tests.conftest import make_org, make_user

    cluster = make_org("Cluster A", "FR", "cluster")
    alpha = make_org("Alpha Sensors", "FR", city="Nice", website="https://www.alpha-sensors.eu")
    ClusterMembership.objects.create(cluster=cluster, member=alpha)
    programme = Programme.objects.create(
        name="Test", acronym="TEST", slug="test", start_date=date(2022, 1, 1), end_date=date(2030, 1, 1)
    )
    PartnerCluster.objects.create(programme=programme, cluster=cluster)
    make_user("manager@test.example", cluster, "manager")

    page.set_default_timeout(60_000)  # the shared machine can be slow
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign up").click()
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Neu")
    page.get_by_label("Email").fill("nora@test.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{live_server.url}/welcome/")
    expect(page.get_by_role("heading", name="Find your organisation")).to_be_visible()

    page.get_by_label("Name, VAT number or website").fill("www.alpha-sensors.eu")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Ask to join").click()
    page.get_by_label("Message to the organisation's admins (optional)").fill("I am the new CTO.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent.")).to_be_visible()
    expect(page.get_by_text("Alpha Sensors has no admin yet")).to_be_visible()

    manager = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    manager.set_default_timeout(60_000)
    manager.goto(f"{live_server.url}/accounts/login/")
    manager.get_by_label("Email").fill("manager@test.example")
    manager.get_by_label("Password").fill("correct-horse-battery")
    manager.get_by_role("button", name="Sign In").click()
    manager.wait_for_url(f"{live_server.url}/")
    use_menu(manager, "Directory", "Requests to decide (1)")
    expect(manager.get_by_text("I am the new CTO.")).to_be_visible()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_text("Approved.")).to_be_visible()
    manager.context.close()

    page.reload()
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    expect(page.get_by_role("button", name="Apply for an exchange")).to_be_visible()
