"""An exchange from application to certificate, through the browser.

A visitor applies and submits, the partnership validates (bulk action), the visitor asks a host,
the host accepts, the partnership approves the grant, all four parties sign the agreement; the
closing steps are run through the domain, and the visitor downloads the certificate PDF.
"""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from clusterxchange.exchanges import domain
from clusterxchange.exchanges.models import Exchange
from tests.e2e.menu import use_menu
from tests.exchanges.conftest import xworld  # noqa: F401 (the exchange world's fixture)

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def _new_page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _log_in(browser, live_server, email):
    """Through the login form (the visitor)."""
    page = _new_page(browser)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _logged_in(browser, live_server, user):
    """With a session made on the server side (the other parties; keeps the test short)."""
    client = Client()
    client.force_login(user)
    page = _new_page(browser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_exchange_from_application_to_certificate(live_server, reference_data, browser, request):
    users = request.getfixturevalue("xworld").users  # after the reference data are back
    today = timezone.localdate()

    # The visitor applies and submits.
    visitor = _log_in(browser, live_server, users["visitor"].email)
    use_menu(visitor, "Exchanges", "Exchanges")
    visitor.get_by_role("button", name="Apply for an exchange").click()
    visitor.get_by_label("Motivation").fill("Learn how Basque robotics firms test printed sensors")
    visitor.get_by_label("First day on site").fill(today.isoformat())
    visitor.get_by_label("Last day on site").fill((today + timedelta(days=7)).isoformat())
    visitor.get_by_role("button", name="Save as draft").click()
    expect(visitor.locator("#state")).to_have_text("Draft")
    visitor.get_by_role("button", name="Submit", exact=True).click()
    expect(visitor.locator("#state")).to_have_text("Submitted")
    exchange = Exchange.objects.get()
    reference = exchange.reference

    # The partnership validates it from its queue.
    partnership = _logged_in(browser, live_server, users["visitor_partnership"])
    partnership.goto(f"{live_server.url}/exchanges/?scope=partnership&state=submitted")
    partnership.get_by_label(f"Select {reference}").check()
    partnership.get_by_label("Action").select_option("validate")
    partnership.get_by_role("button", name="Apply to selected").click()
    expect(partnership.get_by_text("done for 1 exchanges")).to_be_visible()

    # The visitor finds a host and sends a request.
    visitor.reload()
    expect(visitor.locator("#state")).to_have_text("Validated by partnership")
    visitor.get_by_role("button", name="Find a host").click()
    host_card = visitor.locator("article.host", has_text="Gamma Robotics")
    host_card.get_by_text("Ask Gamma Robotics to host").click()
    host_card.get_by_label("Message to Gamma Robotics").fill("May we spend a week in your robot lab?")
    host_card.get_by_role("button", name="Send request to Gamma Robotics").click()
    expect(visitor.get_by_text("Your request was sent to Gamma Robotics.")).to_be_visible()

    # The host accepts.
    host = _logged_in(browser, live_server, users["host"])
    host.goto(f"{live_server.url}/")
    use_menu(host, "Exchanges", "Exchanges")
    host.get_by_role("link", name=reference).first.click()
    host.get_by_label("Your answer to the visitor").fill("Welcome to Bilbao!")
    host.get_by_role("button", name="Accept to host").click()
    expect(host.locator("#state")).to_have_text("Matched")

    # The partnership approves the grant.
    partnership.goto(f"{live_server.url}/exchanges/{reference}/")
    partnership.get_by_role("button", name="Approve the grant").click()
    expect(partnership.get_by_text("Approved grant")).to_be_visible()

    # The visitor writes the agreement; all four parties sign.
    visitor.reload()
    visitor.get_by_label("Goals").fill("Learn sensor testing in production")
    visitor.get_by_label("Objectives").fill("A joint pilot line")
    visitor.get_by_label("Agenda").fill("Mon: lab tour. Tue–Thu: tests. Fri: review.")
    visitor.get_by_role("button", name="Save the agreement").click()
    expect(visitor.get_by_text("The agreement was saved.")).to_be_visible()
    host_partnership = _logged_in(browser, live_server, users["host_partnership"])
    signers = [
        (visitor, "Visitor"),
        (host, "Host"),
        (partnership, "Visitor's partnership"),
        (host_partnership, "Host's partnership"),
    ]
    for page, party in signers:
        page.goto(f"{live_server.url}/exchanges/{reference}/")
        form = page.locator("form.sign").filter(has_text=f"for: {party}.")
        form.get_by_label("Your password").fill(PASSWORD)  # the signer confirms who they are
        form.get_by_role("button", name=f"Sign for: {party}").click()
        expect(page.get_by_text(f"You signed the agreement for: {party}.")).to_be_visible()
    expect(host_partnership.locator("#state")).to_have_text("Agreement signed")

    # The stay and its closing, through the domain, on the day after the stay (steps open on its
    # last day); the live server runs in this process and travels along.
    exchange = Exchange.objects.get()
    after_the_stay = datetime.combine(exchange.end_date + timedelta(days=1), time(10), tzinfo=UTC)
    with time_machine.travel(after_the_stay, tick=True):
        exchange = domain.perform(users["visitor"], exchange, "start")
        domain.save_report(
            users["visitor"], exchange, {"report_activities": "Tested sensors", "report_results": "A pilot"}
        )
        domain.add_evidence(
            users["visitor"],
            exchange,
            SimpleUploadedFile("ticket.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
            "travel",
        )
        exchange = domain.perform(users["visitor"], exchange, "submit_report")
        domain.confirm_by_host(users["host"], exchange)
        exchange = domain.perform(users["visitor_partnership"], exchange, "validate_report")
        exchange = domain.perform(
            users["visitor_partnership"],
            exchange,
            "record_payment",
            amount=exchange.grant_amount_eur,
            paid_on=timezone.localdate(),
        )
        exchange = domain.perform(users["visitor_partnership"], exchange, "certify")

        # The visitor downloads the certificate.
        visitor.reload()
        expect(visitor.locator("#state")).to_have_text("Certified")
        with visitor.expect_download() as download_info:
            visitor.get_by_role("button", name="Download the certificate (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == f"certificate-{reference}.pdf"
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    for page in (visitor, partnership, host, host_partnership):
        page.context.close()
