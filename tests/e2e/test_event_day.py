"""The event day in a browser: staff check a participant in by name and with the phone's camera
(390 px); the organiser marks a no-show on the grid, moves a meeting (select-to-move, drag-and-drop),
prints the table plan and books for two participants."""

from datetime import date, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def _login(browser, live_server, email, width):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _event_day(day: date, start: time = time(9), end: time = time(11)):
    from clusterxchange.directory.models import ClusterMembership, Person
    from clusterxchange.events.domain import organising, registering, timetable
    from clusterxchange.programmes.models import PartnerCluster, Programme
    from tests.conftest import make_org, make_user

    cluster = make_org("Silicon Cluster", "DE", "cluster", city="Dresden")
    alpha = make_org("Alpha Sensors", "FR", city="Nice")
    gamma = make_org("Gamma Robotics", "ES", city="Bilbao")
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
            "start_date": day,
            "end_date": day,
            "time_zone": "Europe/Berlin",
            "published": True,
            "validation": "automatic",
        },
    )
    timetable.add_session(
        organiser,
        event,
        {"name": "Morning", "date": day, "start_time": start, "end_time": end, "slot_minutes": 30},
    )
    timetable.set_table_count(organiser, event, 2)
    person = Person.objects.create(first_name="Amélie", last_name="Durand", organisation=alpha, user=alice)
    first = registering.register(alice, event, alpha, person=person)
    second = registering.register(bob, event, gamma)
    return event, first, second


def test_staff_check_a_participant_in_by_name_on_a_phone(live_server, reference_data, browser):
    from clusterxchange.events.models import Registration

    event, first, _second = _event_day(timezone.localdate())
    context, page = _login(browser, live_server, "organiser@test.example", 390)
    page.goto(f"{live_server.url}/events/{event.slug}/checkin/")
    expect(page.locator("#checkin-counts")).to_contain_text("0 / 2 checked in")
    page.get_by_label("Name or organisation").fill("durand")
    person = page.locator(".checkin-person", has_text="Amélie Durand")
    expect(person).to_contain_text("Alpha Sensors")
    person.get_by_role("button", name="Check in Amélie Durand").click()
    expect(page.locator("#checkin-result")).to_contain_text("Amélie Durand (Alpha Sensors) is checked in at")
    expect(page.locator("#checkin-counts")).to_contain_text("1 / 2 checked in")
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Checking in twice (the code typed from the badge) says when, and changes nothing.
    from clusterxchange.events.badges import badge_token

    arrived = Registration.objects.get(pk=first.pk).checked_in_at
    page.get_by_label("Badge code").fill(badge_token(first))
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("is already checked in at")
    assert Registration.objects.get(pk=first.pk).checked_in_at == arrived
    context.close()


@pytest.mark.parametrize(("who", "width"), [("organiser", 1280), ("host", 390)])
def test_the_organiser_or_a_table_host_marks_a_no_show_on_the_grid(
    live_server, reference_data, browser, who, width
):
    """The organiser at a laptop; a table host of the event staff on a phone, with their own login."""
    from django.contrib.auth import get_user_model

    from clusterxchange.directory.models import Organisation
    from clusterxchange.events import attendance
    from clusterxchange.events.domain import matchmaking
    from clusterxchange.events.models import Meeting, Slot
    from tests.conftest import make_user

    # Today from midnight (the site's time zone is the event's): the meeting has begun.
    event, first, second = _event_day(timezone.localdate(), time(0, 0), time(0, 30))
    request = matchmaking.request_meeting(first.user, first, second)
    matchmaking.respond(second.user, request, True)
    meeting = Meeting.objects.get(request=request)
    slot = Slot.objects.filter(session__event=event).order_by("starts_at").first()
    meeting.slot = meeting.published_slot = slot
    meeting.table = meeting.published_table = event.tables.first()
    meeting.save()

    if who == "host":
        host = make_user("host@test.example", Organisation.objects.get(name="Silicon Cluster"))
        organiser = get_user_model().objects.get(email="organiser@test.example")
        attendance.add_staff(organiser, event, host.email)
    context, page = _login(browser, live_server, f"{who}@test.example", width)
    page.goto(f"{live_server.url}/events/{event.slug}/grid/")
    cell = page.locator(f"#meeting-{meeting.pk}")
    expect(cell).to_contain_text("Alpha Sensors")
    cell.get_by_label("Attendance").select_option("no_show")
    cell.get_by_role("button", name="Save").click()
    expect(page.locator(f"#meeting-{meeting.pk}")).to_contain_text("No-show")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the grid scrolls in its box
    meeting.refresh_from_db()
    assert meeting.attendance == "no_show" and meeting.attendance_by.email == f"{who}@test.example"
    context.close()


def _scheduled_meeting(day):
    from clusterxchange.events.domain import matchmaking
    from clusterxchange.events.models import Meeting, Slot

    event, first, second = _event_day(day)
    request = matchmaking.request_meeting(first.user, first, second)
    matchmaking.respond(second.user, request, True)
    meeting = Meeting.objects.get(request=request)
    slots = list(Slot.objects.filter(session__event=event).order_by("starts_at"))
    tables = list(event.tables.order_by("number"))
    meeting.slot, meeting.table = slots[0], tables[0]
    meeting.save()
    return event, meeting, slots, tables


def test_the_organiser_moves_a_meeting_on_the_grid_by_select_to_move(live_server, reference_data, browser):
    from datetime import timedelta

    event, meeting, slots, tables = _scheduled_meeting(timezone.localdate() + timedelta(days=7))
    context, page = _login(browser, live_server, "organiser@test.example", 1280)
    page.goto(f"{live_server.url}/events/{event.slug}/grid/")
    page.locator(f"#meeting-{meeting.pk}").get_by_role("link", name="Move").click()
    expect(page.locator("#move-panel")).to_contain_text("Moving Alpha Sensors – Gamma Robotics")
    # keyboard only: focus the button and press Enter
    target = page.get_by_role("button", name="Move here: Table 2 at 09:30")
    target.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message-success")).to_contain_text("moved to Table 2 at 09:30")
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (slots[1], tables[1])
    context.close()


def test_the_organiser_drags_a_meeting_to_a_free_cell(live_server, reference_data, browser):
    from datetime import timedelta

    event, meeting, slots, tables = _scheduled_meeting(timezone.localdate() + timedelta(days=7))
    context, page = _login(browser, live_server, "organiser@test.example", 1280)
    page.goto(f"{live_server.url}/events/{event.slug}/grid/")
    page.drag_and_drop(
        f"#meeting-{meeting.pk}", f'td[data-slot="{slots[2].pk}"][data-table="{tables[0].pk}"]'
    )
    expect(page.locator(".message-success")).to_contain_text("moved to Table 1 at 10:00")
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (slots[2], tables[0])
    context.close()


def test_the_organiser_books_for_two_participants_found_by_name_on_a_phone(
    live_server, reference_data, browser, monkeypatch
):
    """A large event (above BOOK_LISTS_ALL participants): each side is found as one types, the single
    match is chosen, and the booking goes through."""
    from clusterxchange.events import views_day
    from clusterxchange.events.models import Meeting

    monkeypatch.setattr(views_day, "BOOK_LISTS_ALL", 1)
    event, first, second = _event_day(timezone.localdate())
    context, page = _login(browser, live_server, "organiser@test.example", 390)
    page.goto(f"{live_server.url}/events/{event.slug}/schedule/book/")
    expect(page.locator("#book-first-help")).to_contain_text("Type a name above")
    page.get_by_label("Find the first participant").fill("durand")
    expect(page.locator("#book-first-help")).to_contain_text("1 of 2 participants matches.")
    page.get_by_label("Find the second participant").fill("gamma")
    expect(page.locator("#book-second-help")).to_contain_text("1 of 2 participants matches.")
    expect(page.get_by_label("First participant", exact=True)).to_have_value(str(first.pk))
    expect(page.get_by_label("Second participant", exact=True)).to_have_value(str(second.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Do it for them").click()
    expect(page.locator(".message-success")).to_contain_text("is booked")
    assert Meeting.objects.filter(first=first, second=second).count() == 1
    context.close()


def test_the_printed_table_plan_fits_the_paper(live_server, reference_data, browser):
    """Printed, the grid's tables come in sheets of a few tables, each within an A4 landscape page (the
    screen's forty columns ran off the paper)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from clusterxchange.events.domain import timetable

    event, _meeting, _slots, _tables = _scheduled_meeting(timezone.localdate() + timedelta(days=7))
    organiser = get_user_model().objects.get(email="organiser@test.example")
    timetable.set_table_count(organiser, event, 12)
    context, page = _login(browser, live_server, "organiser@test.example", 1280)
    page.goto(f"{live_server.url}/events/{event.slug}/grid/")
    expect(page.locator("table.meeting-grid")).to_be_visible()
    expect(page.locator("table.meeting-grid-print").first).to_be_hidden()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 718})  # A4 landscape inside 10 mm margins, in CSS px
    expect(page.locator("table.meeting-grid")).to_be_hidden()
    sheets = page.locator("table.meeting-grid-print")
    expect(sheets).to_have_count(2)
    expect(sheets.first).to_contain_text("Alpha Sensors (Amélie Durand)")
    assert (
        page.evaluate(
            "Math.max(...[...document.querySelectorAll('.meeting-grid-print')].map(t => t.getBoundingClientRect().right))"
        )
        <= 1047
    )
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2  # a sheet per page
    context.close()


def _camera_showing(code: str, path) -> None:
    """A Y4M video (what Chromium's fake camera plays) of the badge's QR code on white, 640×480."""
    import segno

    width, height, scale = 640, 480, 8
    rows = [list(row) for row in segno.make(code, error="m").matrix_iter(scale=scale, border=4)]
    top, left = (height - len(rows)) // 2, (width - len(rows[0])) // 2
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                luma[(top + y) * width + left + x] = 0
    chroma = b"\x80" * (width * height // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        video.write(frame * 10)


def test_staff_scan_a_badge_with_the_phone_camera(live_server, reference_data, browser, tmp_path):
    """The camera reads the badge's QR code (the vendored jsQR: headless Chromium on Linux has no
    BarcodeDetector) and checks its holder in, at 390 px."""
    from clusterxchange.core.models import AuditEntry
    from clusterxchange.events.badges import badge_token
    from clusterxchange.events.models import Registration
    from tests.e2e.conftest import CHROMIUM

    event, first, _second = _event_day(timezone.localdate())
    video = tmp_path / "badge.y4m"
    _camera_showing(badge_token(first), video)
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context, page = _login(camera_browser, live_server, "organiser@test.example", 390)
        context.grant_permissions(["camera"], origin=live_server.url)
        page.goto(f"{live_server.url}/events/{event.slug}/checkin/")
        page.get_by_role("button", name="Start the camera").click()
        expect(page.locator("#checkin-result")).to_contain_text(
            "Amélie Durand (Alpha Sensors) is checked in at"
        )
        expect(page.locator("#checkin-counts")).to_contain_text("1 / 2 checked in")
        assert Registration.objects.get(pk=first.pk).checked_in_at is not None
        assert AuditEntry.objects.get(action="events.registration.check_in").comment == "badge"
        context.close()
    finally:
        camera_browser.close()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_the_day_the_home_page_leads_to_the_days_pages_in_one_tap_on_a_phone(
    live_server, reference_data, browser
):
    """walk3: a participant needed five taps (menu, events, the list, the event, "My agenda") to find
    their meetings of the day on a phone; the home page's "Today" box is one tap from each role's page."""
    event, _meeting, _slots, _tables = _scheduled_meeting(timezone.localdate())
    for email, link, heading in (
        ("alice@test.example", "My agenda", "My agenda"),
        ("organiser@test.example", "Meeting grid", "Meeting grid"),
    ):
        context, page = _login(browser, live_server, email, 390)
        today = page.locator("#today-box")
        expect(today).to_contain_text("Sensor Day B2B")
        assert _no_sideways_scroll(page)
        today.get_by_role("link", name=link).click()
        expect(page.locator("h1")).to_have_text(heading)
        assert _no_sideways_scroll(page), email
        context.close()
    # The grid's rows give the time alone: the day is chosen above the grid.
    context, page = _login(browser, live_server, "organiser@test.example", 390)
    page.goto(f"{live_server.url}/events/{event.slug}/grid/")
    expect(page.locator(".meeting-grid tbody th").first).to_have_text("09:00")
    context.close()
