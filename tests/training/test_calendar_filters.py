"""The iCalendar feed (parsed back with `icalendar`), and the catalogue's search, filters and sorting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clusterxchange.training import domain
from tests.tandems.conftest import aware, topic


def add(tw, title, **fields):
    soon = timezone.localdate() + timedelta(days=fields.pop("in_days", 20))
    sessions = fields.pop("sessions", [(aware(soon, 14), aware(soon, 16))])
    topics = fields.pop("topics", ["cluster-branding"])
    return domain.submit_entry(
        tw.user("coordinator"),
        {
            "title": title,
            "provider": fields.pop("provider", "Brand School"),
            "link": "https://brand.example/x",
            "level": fields.pop("level", "intermediate"),
            "format": fields.pop("format", "live_online"),
            **fields,
        },
        topics=[topic(code) for code in topics],
        sessions=sessions,
    )


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


@pytest.mark.date_sensitive
def test_the_feed_parses_and_lists_dated_sessions(tw, client):
    add(tw, "Brand storytelling", cost_eur=Decimal(90))
    found = events(client.get(reverse("training:calendar")))
    summaries = sorted(str(event["SUMMARY"]) for event in found)
    assert summaries == ["Brand storytelling (Brand School)", "NIS2 for cluster managers (Test Academy)"]
    nis2 = next(event for event in found if "NIS2" in str(event["SUMMARY"]))
    session = tw.entry.sessions.get()
    assert nis2.decoded("DTSTART") == session.starts_at
    assert nis2.decoded("DTEND") == session.ends_at
    assert str(nis2["UID"]) == f"training-session-{session.pk}@testserver"
    assert str(nis2["URL"]).endswith(tw.entry.get_absolute_url())


@pytest.mark.date_sensitive
def test_the_feed_follows_the_filters_and_hides_unpublished_entries(tw, client):
    add(tw, "Brand storytelling")
    pending = domain.submit_entry(
        tw.user("owner"),
        {"title": "Hidden", "provider": "X", "link": "https://x.example", "format": "webinar"},
        topics=[topic("cybersecurity")],
        sessions=[
            (
                aware(timezone.localdate() + timedelta(days=3), 9),
                aware(timezone.localdate() + timedelta(days=3), 10),
            )
        ],
    )
    assert pending.status == "pending"
    found = events(client.get(reverse("training:calendar"), {"topic": "cybersecurity"}))
    assert [str(event["SUMMARY"]) for event in found] == ["NIS2 for cluster managers (Test Academy)"]


def titles(client, **params) -> list[str]:
    from django.test import Client

    response = (client or Client()).get(reverse("training:catalogue"), params)
    assert response.status_code == 200
    return [entry.title for entry in response.context["page"]]


def test_full_text_search_filters_and_sorting(tw, client):
    add(
        tw,
        "Brand storytelling",
        cost_eur=Decimal(90),
        description="Stories about regional ecosystems",
        in_days=40,
    )
    add(
        tw, "Self-paced branding basics", format="self_paced", level="beginner", sessions=[], certificate=True
    )
    add(
        tw,
        "Cheap branding webinar",
        format="webinar",
        cost_eur=Decimal(10),
        in_days=5,
        topics=["cluster-branding"],
    )
    assert titles(client, q="regional stories") == ["Brand storytelling"]
    assert titles(client, q="nis2") == ["NIS2 for cluster managers"]
    assert titles(client, q="cybersecurity") == ["NIS2 for cluster managers"]  # a topic name matches too
    assert titles(client, topic="cybersecurity") == ["NIS2 for cluster managers"]
    assert titles(client, format="self_paced") == ["Self-paced branding basics"]
    assert titles(client, level="beginner", certificate="yes") == [
        "NIS2 for cluster managers",
        "Self-paced branding basics",
    ]
    assert titles(client, free="yes") == ["NIS2 for cluster managers", "Self-paced branding basics"]
    assert titles(client, sort="cost")[-1] == "Brand storytelling"
    assert titles(client, sort="next", upcoming="yes") == [
        "Cheap branding webinar",
        "NIS2 for cluster managers",
        "Brand storytelling",
    ]
    assert len(titles(client, sort="nonsense")) == 4  # an unknown sort is ignored, never an error


def test_htmx_requests_get_the_results_only(tw, client):
    response = client.get(reverse("training:catalogue"), {"q": "nis2"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "NIS2 for cluster managers" in page
    assert "<html" not in page
    assert 'href="/training/calendar.ics?q=nis2"' in page
