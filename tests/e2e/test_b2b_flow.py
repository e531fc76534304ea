"""Two participants request and accept a meeting, the organiser schedules and publishes the agenda,
and a participant downloads it as PDF."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from clusterxchange.events.models import Meeting

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def _login(browser, live_server, email):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_request_accept_schedule_publish_download(live_server, reference_data, browser, tmp_path):
    from clusterxchange.directory.models import ClusterMembership
    from clusterxchange.events.domain import organising, registering, timetable
    from clusterxchange.programmes.models import PartnerCluster, Programme
    from tests.conftest import make_org, make_user

    cluster = make_org("Silicon Cluster", "DE", "cluster", city="Dresden")
    alpha = make_org("Alpha Sensors", "FR", city="Nice", description="Printed sensors on foil")
    gamma = make_org("Gamma Robotics", "ES", city="Bilbao", description="Industrial robots")
    for member in (alpha, gamma):
        ClusterMembership.objects.create(cluster=cluster, member=member)
    programme = Programme.objects.create(
        name="Test", acronym="TEST", slug="test", start_date=date(2022, 1, 1), end_date=date(2035, 1, 1)
    )
    PartnerCluster.objects.create(programme=programme, cluster=cluster, is_coordinator=True)
    organiser = make_user("organiser@test.example", cluster, "manager")
    alice = make_user("alice@test.example", alpha)
    bob = make_user("bob@test.example", gamma)
    event = organising.create_event(
        organiser,
        programme,
        {
            "kind": "b2b",
            "title": "Sensor Day B2B",
            "host_cluster": cluster,
            "city": "Dresden",
            "country": "DE",
            "start_date": date(2034, 6, 20),
            "end_date": date(2034, 6, 20),
            "time_zone": "Europe/Berlin",
            "published": True,
            "validation": "automatic",
        },
    )
    timetable.add_session(
        organiser,
        event,
        {
            "name": "Morning",
            "date": event.start_date,
            "start_time": time(9),
            "end_time": time(11),
            "slot_minutes": 30,
        },
    )
    timetable.set_table_count(organiser, event, 2)
    registering.register(alice, event, alpha, profile="We print sensors on foil")
    registering.register(bob, event, gamma, profile="We need sensors for robot grippers")
    base = f"{live_server.url}/events/{event.slug}"

    # Alice asks Bob for a meeting from the marketplace.
    context, page = _login(browser, live_server, "alice@test.example")
    page.goto(f"{base}/marketplace/")
    card = page.locator("#participants article", has_text="Gamma Robotics")
    card.get_by_text("Request a meeting with Gamma Robotics").click()
    card.get_by_label("Message").fill("Your grippers need our sensors.")
    card.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your request was sent to Gamma Robotics.")).to_be_visible()
    page.get_by_role("link", name="My requests").first.click()
    expect(page.locator("#outgoing")).to_contain_text("Waiting for an answer")
    context.close()

    # Bob accepts it.
    context, page = _login(browser, live_server, "bob@test.example")
    page.goto(f"{base}/requests/")
    expect(page.locator("#incoming")).to_contain_text("Your grippers need our sensors.")
    page.locator("#incoming").get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted the meeting.")).to_be_visible()
    context.close()

    # The organiser schedules (a background task; the page polls its progress) and publishes.
    context, page = _login(browser, live_server, "organiser@test.example")
    page.goto(f"{base}/schedule/")
    page.get_by_role("button", name="Schedule the meetings").click()
    expect(page.locator("#run-status")).to_contain_text("Done")
    expect(page.locator("#run-status")).to_contain_text("1 of 1 meetings placed")
    page.get_by_role("button", name="Publish final agenda").click()
    expect(page.get_by_text("The agenda is published")).to_be_visible()
    context.close()

    meeting = Meeting.objects.get(event=event)
    assert meeting.published_slot_id is not None and meeting.table_id is not None

    # Alice sees her agenda and downloads the PDF.
    context, page = _login(browser, live_server, "alice@test.example")
    page.goto(f"{base}/agenda/")
    expect(page.locator("#agenda")).to_contain_text("Gamma Robotics")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    path = tmp_path / "agenda.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    context.close()
