"""Issue #16 point 7, end to end in the browser, from an empty database: the first account sets up a
programme (two partner clusters, eligible countries, lump sums), invites a partner manager by email
(the link read from the email a loopback SMTP server received), the manager creates their account,
logs in, registers an SME of their cluster and invites its person, who accepts, completes their
profile and applies for an exchange; once a host accepts, the grant shown is the rules' amount."""

import re
import socket
from datetime import timedelta
from decimal import Decimal
from email import message_from_string, policy
from io import StringIO
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
PASSWORD = "a-long-enough-password-42"


class Inbox:
    """Emails leave in the request's on-commit hook, before its response: no waiting needed."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_string(envelope.content.decode(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        self.received.append((list(envelope.rcpt_tos), body.get_content() if body else ""))
        return "250 OK"

    def link_for(self, address: str, live_server) -> str:
        for recipients, body in reversed(self.received):
            if address in recipients:
                match = re.search(r"https?://\S+/invitations/[^/\s]+/", body)
                assert match, body
                # The link carries the site's address (SITE_URL); the test server listens elsewhere.
                return live_server.url + urlsplit(match.group(0)).path
        raise AssertionError(f"No email to {address}: {self.received}")


@pytest.fixture
def smtp_inbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = False
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


def _context(browser, width=1280):
    page = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(60_000)  # the shared machine can be slow
    return page


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def _logged_in(browser, live_server, user):
    """A session made on the server side (the host's staff: not the subject of this test)."""
    client = Client()
    client.force_login(user)
    page = _context(browser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_programme_from_scratch_to_an_exchange_grant(
    live_server, reference_data, browser, smtp_inbox, monkeypatch
):
    from django.core.management import call_command

    from clusterxchange.accounts.models import User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.exchanges import grants
    from clusterxchange.exchanges.models import Exchange
    from clusterxchange.programmes.management.commands.setup import PASSWORD_VARIABLE
    from clusterxchange.programmes.models import Programme
    from tests.conftest import make_org, make_user

    # The first account, as `clusterxchange setup` makes it.
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    call_command("setup", "--email", "first@consortium.example", "--no-input", stdout=StringIO())
    assert User.objects.count() == 1
    first = _context(browser)
    _log_in(first, live_server, "first@consortium.example")
    first.goto(live_server.url + "/")
    expect(first).to_have_url(re.compile(r"/programmes/new/$"))
    first.fill("#id_name", "Cluster bridges")
    first.fill("#id_acronym", "BRIDGE")
    first.fill("#id_start_date", "2026-01-01")
    first.fill("#id_end_date", "2028-12-31")
    expect(first.get_by_role("checkbox", name="English")).to_be_checked()  # the default language
    first.get_by_role("checkbox", name="French").check()
    first.click("main button[type=submit]")
    expect(first.get_by_role("heading", name="Set-up steps")).to_be_visible()
    programme = Programme.objects.get(acronym="BRIDGE")
    assert programme.languages == ["en", "fr"]
    base = f"{live_server.url}/programmes/{programme.slug}"

    # The public texts in both languages; the French site shows the French one.
    first.goto(f"{base}/texts/")
    first.fill("#id_description_en", "Exchanges between the clusters of two sunny coasts.")
    first.fill("#id_description_fr", "Des échanges entre les clusters de deux côtes ensoleillées.")
    first.click("main form button[type=submit]")
    expect(first.get_by_text("The public texts were saved.")).to_be_visible()
    first.goto(f"{live_server.url}/fr/programme/{programme.slug}/")
    expect(first.get_by_text("Des échanges entre les clusters de deux côtes ensoleillées.")).to_be_visible()

    first.goto(f"{base}/countries/")
    first.select_option("#id_countries", ["FR", "ES"])
    first.click("main form button[type=submit]")
    expect(first.locator(".message-success, [role=status]").first).to_be_visible()

    first.goto(f"{base}/partners/")
    for name, country, city, budget in (
        ("Riviera Sensors Cluster", "FR", "Nice", "50000"),
        ("Basque Robotics Cluster", "ES", "Bilbao", "40000"),
    ):
        form = first.locator("form[aria-labelledby=add-new]")
        form.locator("#id_new-name").fill(name)
        form.locator("#id_new-country").select_option(country)
        form.locator("#id_new-city").fill(city)
        form.locator("#id_new-grant_budget_eur").fill(budget)
        form.get_by_role("button", name="Register and add as partner").click()
        expect(first.locator("table").get_by_role("link", name=name)).to_be_visible()
    assert programme.partners.count() == 2

    first.goto(f"{base}/rules/")
    first.fill("#id_cap_FR", "1100")
    first.fill("#id_cap_ES", "1500")
    first.click("button:has-text('Save the grant rules')")
    expect(first.get_by_text("The grant rules were saved.")).to_be_visible()
    expect(first.locator("#id_cap_ES")).to_have_value("1500.00")

    # The coordinator invites the French partner's manager.
    riviera = Organisation.objects.get(name="Riviera Sensors Cluster")
    first.goto(f"{live_server.url}/directory/organisations/{riviera.slug}/")
    first.get_by_role("button", name="Invite people").click()
    first.locator("#id_email").fill("manon@riviera.example")
    first.locator("#id_role_kind").select_option("organisation-admin")
    first.locator("#id_first_name").fill("Manon")
    first.locator("#id_last_name").fill("Martin")
    first.get_by_role("button", name="Send the invitation").click()
    expect(first.locator(".message-success, [role=status]").first).to_be_visible()

    # The manager accepts (creating the account), then logs in.
    manager = _context(browser)
    manager.goto(smtp_inbox.link_for("manon@riviera.example", live_server))
    manager.locator("#id_password1").fill(PASSWORD)
    manager.locator("#id_password2").fill(PASSWORD)
    manager.get_by_role("button", name="Create my account and accept").click()
    expect(manager.get_by_text("your account is ready")).to_be_visible()
    manager.context.clear_cookies()
    _log_in(manager, live_server, "manon@riviera.example")

    # The manager registers an SME of their cluster and invites its person.
    manager.goto(f"{live_server.url}/directory/organisations/new/")
    manager.fill("#id_name", "Azur Optics")
    manager.select_option("#id_org_type", "sme")
    manager.select_option("#id_country", "FR")
    manager.fill("#id_city", "Nice")
    manager.fill("#id_latitude", "43.7102")
    manager.fill("#id_longitude", "7.2620")
    manager.fill("#id_staff_count", "25")
    manager.fill("#id_turnover_eur", "3000000")
    manager.fill("#id_balance_sheet_eur", "2000000")
    manager.locator("main form button[type=submit]").last.click()
    expect(manager.get_by_role("heading", name="Azur Optics")).to_be_visible()
    azur = Organisation.objects.get(name="Azur Optics")
    assert ClusterMembership.objects.filter(cluster=riviera, member=azur).exists()
    manager.get_by_role("button", name="Invite people").click()
    manager.locator("#id_email").fill("sami@azur.example")
    manager.locator("#id_role_kind").select_option("organisation-member")
    manager.get_by_role("button", name="Send the invitation").click()
    expect(manager.locator(".message-success, [role=status]").first).to_be_visible()

    # The person accepts, completes their profile (at 390 px: on a phone) and applies.
    person = _context(browser, width=390)
    person.goto(smtp_inbox.link_for("sami@azur.example", live_server))
    assert person.evaluate(FITS), "the invitation page scrolls sideways at 390 px"
    person.locator("#id_first_name").fill("Sami")
    person.locator("#id_last_name").fill("Benali")
    person.locator("#id_password1").fill(PASSWORD)
    person.locator("#id_password2").fill(PASSWORD)
    person.get_by_role("button", name="Create my account and accept").click()
    expect(person.get_by_text("your account is ready")).to_be_visible()
    assert person.evaluate(FITS), f"{person.url} scrolls sideways at 390 px"
    person.goto(f"{live_server.url}/welcome/")
    assert person.evaluate(FITS), "/welcome/ scrolls sideways at 390 px"
    person.get_by_role("button", name="Complete your profile").click()
    person.locator("#id_position").fill("Head of optics")
    person.locator("#id_phone").fill("+33 4 93 00 00 00")
    person.locator("main form button[type=submit]").last.click()
    expect(person.get_by_text("Head of optics")).to_be_visible()
    person.set_viewport_size({"width": 1280, "height": 900})

    today = timezone.localdate()
    start = today + timedelta(days=14 - today.weekday())  # a Monday in two weeks
    person.goto(f"{live_server.url}/welcome/")  # the next steps lead to the application
    person.get_by_role("button", name="Apply for an exchange").click()
    person.get_by_label("Motivation").fill("Learn how Basque robotics firms align optics")
    person.get_by_label("First day on site").fill(start.isoformat())
    person.get_by_label("Last day on site").fill((start + timedelta(days=4)).isoformat())
    person.get_by_role("button", name="Save as draft").click()
    expect(person.locator("#state")).to_have_text("Draft")
    person.get_by_role("button", name="Submit", exact=True).click()
    expect(person.locator("#state")).to_have_text("Submitted")
    exchange = Exchange.objects.get()
    assert exchange.programme == programme and exchange.visitor_organisation == azur

    # The manager validates it for the partnership.
    manager.goto(f"{live_server.url}/exchanges/?scope=partnership&state=submitted")
    manager.get_by_label(f"Select {exchange.reference}").check()
    manager.get_by_label("Action").select_option("validate")
    manager.get_by_role("button", name="Apply to selected").click()
    expect(manager.get_by_text("done for 1 exchanges")).to_be_visible()

    # A member of the Basque partner hosts (set up directly: not the subject here).
    basque = Organisation.objects.get(name="Basque Robotics Cluster")
    host_org = make_org("Gamma Robotics", "ES", city="Bilbao", latitude=43.263, longitude=-2.935)
    host_org.staff_count, host_org.turnover_eur, host_org.balance_sheet_eur = 40, 5_000_000, 4_000_000
    host_org.save()
    ClusterMembership.objects.create(cluster=basque, member=host_org)
    host_user = make_user("host@gamma.example", host_org, "manager")

    person.reload()
    expect(person.locator("#state")).to_have_text("Validated by partnership")
    person.get_by_role("button", name="Find a host").click()
    card = person.locator("article.host", has_text="Gamma Robotics")
    card.get_by_text("Ask Gamma Robotics to host").click()
    card.get_by_label("Message to Gamma Robotics").fill("May we spend a week in your optics lab?")
    card.get_by_role("button", name="Send request to Gamma Robotics").click()
    expect(person.get_by_text("Your request was sent to Gamma Robotics.")).to_be_visible()

    host = _logged_in(browser, live_server, host_user)
    host.goto(f"{live_server.url}/exchanges/{exchange.reference}/")
    host.get_by_label("Your answer to the visitor").fill("Welcome to Bilbao!")
    host.get_by_role("button", name="Accept to host").click()
    expect(host.locator("#state")).to_have_text("Matched")

    # The grant shown is the one the programme's rules compute.
    exchange.refresh_from_db()
    assessment = grants.assess_exchange(exchange)
    assert assessment.eligible, assessment.reasons
    # Spain's lump sum set above; halved when a public holiday leaves fewer than 5 working days.
    expected = Decimal("1500.00") if assessment.working_days >= 5 else Decimal("750.00")
    assert assessment.lump_sum == expected
    person.reload()
    expect(person.locator("dd", has_text="€")).to_have_text(f"€{assessment.lump_sum:,}")
    for page in (first, manager, person, host):
        page.context.close()
