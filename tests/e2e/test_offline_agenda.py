"""The agenda on a phone (issue #18 point 9) in a browser: a participant opens their agenda at 390 px,
the page is installable (manifest and icons served here) and keeps itself; offline, a reload shows the
same agenda with its "last updated" time, the online meeting's video link, and says it is offline."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_event_day import _event_day, _login

pytestmark = pytest.mark.browser

DAY = date(2031, 6, 20)
JITSI = "https://meet.jit.si"


def _published_online_meeting(event, first, second):
    from clusterxchange.accounts.models import User
    from clusterxchange.events import hybrid
    from clusterxchange.events.domain import matchmaking, timetable
    from clusterxchange.events.models import Meeting

    programme = event.programme
    programme.video_link_template = JITSI
    programme.save(update_fields=["video_link_template"])
    request = matchmaking.request_meeting(first.user, first, second, "Let us meet")
    matchmaking.respond(second.user, request, True)
    meeting = Meeting.objects.get(request=request)
    meeting.slot = event.sessions.get().slots.order_by("starts_at").first()
    meeting.table = event.tables.order_by("number").first()
    meeting.save()
    timetable.publish_agenda(User.objects.get(email="organiser@test.example"), event, final=True)
    meeting = hybrid.set_meeting_video(first.user, meeting, True)
    return f"{JITSI}/{meeting.video_room}"


def test_the_agenda_is_installable_and_shown_offline_with_its_last_update(
    live_server, reference_data, browser
):
    event, first, second = _event_day(DAY, time(9), time(11))
    link = _published_online_meeting(event, first, second)
    context, page = _login(browser, live_server, "alice@test.example", 390)
    agenda = f"{live_server.url}/events/{event.slug}/agenda/"
    page.goto(agenda)
    expect(page.locator("#agenda")).to_contain_text("Gamma Robotics")
    expect(page.get_by_role("link", name="Join the video meeting")).to_have_attribute("href", link)
    updated = page.locator("#agenda-updated").inner_text()
    assert updated
    expect(page.locator("#agenda-offline")).to_be_hidden()
    # Installable: the manifest names the agenda as the start page and its icons are served here.
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href, {credentials: 'include'}).then(r => r.json())"
    )
    assert manifest["start_url"] == f"/events/{event.slug}/agenda/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert page.request.get(f"{live_server.url}{icon['src']}").headers["content-type"] == "image/png"
    # The service worker controls the page and the page is saved.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector("html[data-agenda-saved='1']", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    context.set_offline(True)
    page.reload()
    expect(page.locator("#agenda")).to_contain_text("Gamma Robotics")
    expect(page.locator("#agenda-updated")).to_have_text(updated)
    expect(page.locator("#agenda-offline")).to_be_visible()
    expect(page.locator("#agenda-offline")).to_contain_text("You are offline")
    expect(page.get_by_role("link", name="Join the video meeting")).to_have_attribute("href", link)
    # The saved copy keeps its styles: still fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.set_offline(False)
    context.close()
