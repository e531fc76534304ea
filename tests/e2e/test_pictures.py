"""The pictures (issue #20 point 9) in a browser, at 1280 px and 390 px, in English and German: the
participant's agenda as a timeline, the organiser's meetings per slot, the partner's map of exchange
flows. Each is drawn, fits the width (no sideways scroll), has no serious or critical axe-core violation,
and is saved as a screenshot to PICTURES_SCREENSHOTS (default: a temporary folder, printed)."""

import os
from datetime import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_accessibility import AXE, RUN_AXE, _log_in
from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world

pytestmark = pytest.mark.browser


def _agenda_with_programme(s) -> None:
    """The owner's agenda: two published meetings, a welcome coffee and a site visit."""
    from clusterxchange.events.domain import matchmaking, registering, timetable
    from clusterxchange.events.models import Meeting, ProgrammeItem
    from tests.conftest import make_org, make_user

    ev, users = s.ev, s.users
    event = ev.event
    org = make_org("Delta Chips Manufacturing Saxony", "DE", description="Chip design house")
    user = make_user("delta-pictures@test.example", org)
    third = registering.register(
        user, event, org, profile="ASIC design services", participant_type=s.objects["participant_type"]
    )
    matchmaking.respond(
        ev.participant.user, matchmaking.request_meeting(user, third, ev.participant, "Chips?"), True
    )
    slots = list(ev.session_am.slots.order_by("starts_at"))
    tables = list(event.tables.order_by("number"))
    for meeting, slot, table in zip(
        Meeting.objects.filter(event=event).order_by("pk"), slots[::2], tables, strict=False
    ):
        Meeting.objects.filter(pk=meeting.pk).update(slot=slot, table=table)
    timetable.publish_agenda(users["manager"], event, final=True)
    day = event.start_date

    def at(hour, minute=0):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=event.tz)

    ProgrammeItem.objects.create(
        event=event, kind="reception", title="Welcome coffee", starts_at=at(8, 30), ends_at=at(9)
    )
    ProgrammeItem.objects.create(
        event=event,
        kind="site_visit",
        title="Guided tour of the clean room",
        starts_at=at(12),
        ends_at=at(13, 30),
        place="Fab 1",
    )


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", [1280, 390])
def test_pictures_are_drawn_fit_and_are_accessible(
    live_server, reference_data, request, page, width, tmp_path_factory
):
    from clusterxchange.tandems.reference import load_topics

    load_topics()  # migration data, flushed by the live-server tests before this one
    s = request.getfixturevalue("sworld")
    _agenda_with_programme(s)
    partner_a = s.w.programme.partners.get(cluster=s.w.cluster_a)
    pictures = [
        ("owner", reverse("events:agenda", args=[s.ev.event.slug]), "#agenda-timeline svg[role=img]"),
        ("manager", reverse("events:schedule", args=[s.ev.event.slug]), "#meetings-per-slot progress"),
        (
            "manager",
            reverse("reporting:partner", args=[s.w.programme.slug, partner_a.pk]),
            "#partner-map svg",
        ),
    ]
    shots = Path(os.environ.get("PICTURES_SCREENSHOTS") or tmp_path_factory.mktemp("pictures"))
    shots.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {shots}")
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for role, path, picture in pictures:
        page.context.clear_cookies()
        _log_in(page, live_server, s.users[role])
        for language in ("en", "de"):
            url = live_server.url + (f"/{language}" if language != "en" else "") + path
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert page.locator(picture).first.is_visible(), (url, picture)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 1:
                problems.append(f"{url} at {width} px scrolls sideways by {overflow} px")
            page.evaluate(AXE)
            problems += [
                f"{url} at {width} px: {v['id']} ({v['impact']}): {v['help']} — " + " | ".join(v["nodes"])
                for v in page.evaluate(RUN_AXE)
                if v["impact"] in {"serious", "critical"}
            ]
            name = path.strip("/").replace("/", "-")
            page.locator(picture).first.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"{name}-{language}-{width}.png"), full_page=True)
    assert not problems, "\n".join(problems)
