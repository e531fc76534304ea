"""A visitor filters the training catalogue and subscribes to (downloads) the calendar of the
courses shown."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.live_search import search

pytestmark = pytest.mark.browser


def _catalogue():
    from clusterxchange.programmes.models import Programme, ProgrammeRole
    from clusterxchange.tandems.models import Topic
    from clusterxchange.tandems.reference import load_topics
    from clusterxchange.training import domain
    from tests.conftest import make_user

    load_topics()  # live-server tests flush the database, data migrations included
    programme = Programme.objects.create(
        name="EXCITE",
        acronym="EXCITE",
        slug="excite",
        start_date=datetime(2022, 2, 1),
        end_date=datetime(2030, 1, 1),
    )
    coordinator = make_user("coordinator@test.example")
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    tz = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=14)
    for title, topic, fmt, cost in [
        ("NIS2 for cluster managers", "cybersecurity", "webinar", 0),
        ("Incident response exercises", "cybersecurity", "live_online", 150),
        ("Cluster branding essentials", "cluster-branding", "webinar", 0),
        ("Storytelling for ecosystems", "cluster-branding", "live_online", 210),
    ]:
        start = datetime(day.year, day.month, day.day, 10, tzinfo=tz)
        domain.submit_entry(
            coordinator,
            {
                "title": title,
                "provider": "Demo Academy",
                "link": "https://academy.example/course",
                "level": "beginner",
                "format": fmt,
                "cost_eur": Decimal(cost),
            },
            topics=[Topic.objects.get(code=topic)],
            sessions=[(start, start + timedelta(hours=2))],
        )
        day += timedelta(days=1)


def test_filter_the_catalogue_and_download_its_calendar(live_server, reference_data, page):
    _catalogue()
    page.goto(f"{live_server.url}/")
    page.locator("nav summary", has_text="Learning").first.click()  # the grouped main menu
    page.get_by_role("link", name="Training").first.click()
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(4)

    page.get_by_label("Topic").select_option(label="Cybersecurity")
    expect(results).to_have_count(2)
    page.get_by_label("Format").select_option(label="Webinar")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("NIS2 for cluster managers")
    expect(page).to_have_url(re.compile(r"/training/\?.*topic=cybersecurity.*format=webinar"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Subscribe to the calendar of these courses (iCalendar)").click()
    download = download_info.value
    assert download.suggested_filename == "training.ics"
    with open(download.path(), "rb") as ics:
        calendar = Calendar.from_ical(ics.read())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["NIS2 for cluster managers (Demo Academy)"]

    page.get_by_label("Topic").select_option(index=0)  # the empty choice: any topic
    page.get_by_label("Format").select_option(index=0)
    expect(results).to_have_count(4)
    search(page, "storytelling")
    expect(results).to_have_count(1)
    page.get_by_role("link", name="Storytelling for ecosystems").click()
    expect(page.get_by_role("heading", name="Storytelling for ecosystems")).to_be_visible()
    expect(page.get_by_text("€210.00")).to_be_visible()
