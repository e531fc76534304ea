"""The event day: badges and their QR codes, check-in (twice, forged, another event's), release of
absent participants' meetings with the partners' emails, attendance marks and the KPI's source."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clusterxchange.core.domain import Refused
from clusterxchange.events import attendance, badges
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import Meeting, MeetingFeedback, MeetingRequest, Registration, Slot
from clusterxchange.reporting.measures import Scope, meeting_records
from tests.conftest import make_org, make_user
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

ON_THE_DAY = "2031-06-20T15:00:00+02:00"  # the afternoon of the event day (tests/events/conftest.py)


def _meeting(ew, request=None, slot_index=0, table_index=0) -> Meeting:
    slot = Slot.objects.filter(session__event=ew.event).order_by("starts_at")[slot_index]
    table = ew.event.tables.order_by("number")[table_index]
    request = request or ew.pending
    MeetingRequest.objects.filter(pk=request.pk).update(status="accepted")
    return Meeting.objects.create(
        event=ew.event,
        request=request,
        first=request.requester,
        second=request.recipient,
        slot=slot,
        table=table,
        published_slot=slot,
        published_table=table,
    )


# Badges and codes --------------------------------------------------------------------------------


def test_a_badge_code_names_its_participant(ew):
    code = badges.badge_token(ew.participant)
    assert badges.read_badge(ew.event, code) == ew.participant
    assert code.startswith(f"{ew.event.pk}.{ew.participant.pk}:")


@pytest.mark.parametrize(
    "forged",
    [
        lambda code: code[:-2] + ("AA" if not code.endswith("AA") else "BB"),  # signature changed
        lambda code: code.replace(".", ".9", 1),  # another registration, same signature
        lambda code: "hello",
        lambda code: "",
    ],
)
def test_a_forged_code_is_refused_with_a_reason_and_changes_nothing(world, ew, forged):
    code = forged(badges.badge_token(ew.participant))
    with pytest.raises(Refused, match=r"forged|not a badge code"):
        attendance.check_in_code(world.users["manager"], ew.event, code)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_badge_of_another_event_is_refused_naming_that_event(world, ew):
    other_event = make_event(
        world, title="Another Day", start_date=date(2031, 7, 1), end_date=date(2031, 7, 1)
    )
    there = registering.register(world.users["owner"], other_event, world.org_a1)
    with pytest.raises(Refused, match=r"another event .*Another Day"):
        attendance.check_in_code(world.users["manager"], ew.event, badges.badge_token(there))
    there.refresh_from_db()
    assert there.checked_in_at is None


def test_a_code_signed_for_one_event_does_not_pass_for_another(world, ew):
    """The salt is per event: the same "<event>.<registration>" text signed for event 1 is worthless
    when the prefix is changed to another event's id."""
    other_event = make_event(world, title="Another Day")
    code = badges.badge_token(ew.participant)
    swapped = code.replace(f"{ew.event.pk}.", f"{other_event.pk}.", 1)
    with pytest.raises(Refused, match="forged"):
        attendance.check_in_code(world.users["manager"], other_event, swapped)


def test_the_badges_pdf_has_a_qr_code_per_validated_participant(ew):
    html = badges.badges_html(ew.event, badges.badge_registrations(ew.event))
    assert html.count('class="badge"') == 2 and html.count("<svg") == 2
    assert badges.badge_token(ew.participant) in html
    assert badges.badges_pdf(ew.event, badges.badge_registrations(ew.event)).startswith(b"%PDF")


# Check-in ----------------------------------------------------------------------------------------


@pytest.mark.run_at(ON_THE_DAY)
def test_check_in_records_time_and_staff_and_twice_says_when(world, ew):
    manager = world.users["manager"]
    done = attendance.check_in_code(manager, ew.event, badges.badge_token(ew.participant))
    assert done.checked_in_by == manager and done.checked_in_at is not None
    first_time = done.checked_in_at
    with pytest.raises(Refused, match=r"already checked in at 15:00"):
        attendance.check_in(world.users["coordinator"], ew.event, ew.participant)
    ew.participant.refresh_from_db()
    assert ew.participant.checked_in_at == first_time and ew.participant.checked_in_by == manager
    assert attendance.counts(ew.event).checked_in == 1 and attendance.counts(ew.event).registered == 2


def test_only_organisers_check_in(world, ew):
    for role in ("owner", "outsider", "same_cluster"):
        with pytest.raises(PermissionDenied):
            attendance.check_in(world.users[role], ew.event, ew.participant)


def test_a_cancelled_registration_does_not_check_in(world, ew):
    registering.cancel_registration(world.users["outsider"], ew.other)
    with pytest.raises(Refused, match="Cancelled"):
        attendance.check_in(world.users["manager"], ew.event, ew.other)


def test_search_finds_people_by_any_part_of_their_name_or_organisation(world, ew):
    ew.participant.person = world.person_a1
    ew.participant.save()
    assert list(attendance.search(ew.event, "amél dur")) == [ew.participant]
    assert list(attendance.search(ew.event, "gamma")) == [ew.other]
    assert list(attendance.search(ew.event, "")) == []


@pytest.mark.run_at(ON_THE_DAY)
def test_the_check_in_page_answers_htmx_with_the_result_and_counts(world, ew):
    client = world.client("manager")
    url = reverse("events:checkin_code", args=[ew.event.slug])
    response = client.post(url, {"code": badges.badge_token(ew.participant)}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "is checked in at 15:00" in body and 'data-outcome="done"' in body
    assert "<strong data-checked-in>1</strong>" in body
    again = client.post(url, {"code": badges.badge_token(ew.participant)}, HTTP_HX_REQUEST="true")
    assert "already checked in at 15:00" in again.content.decode()
    search = client.get(
        reverse("events:checkin", args=[ew.event.slug]),
        {"q": "alpha"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="checkin-found",
    )
    assert "checked in at 15:00" in search.content.decode() and "<html" not in search.content.decode()


# Absent participants -----------------------------------------------------------------------------


@pytest.mark.run_at(ON_THE_DAY)
def test_releasing_an_absent_participant_cancels_their_meetings_and_tells_the_partners(
    world, ew, django_capture_on_commit_callbacks
):
    meeting = _meeting(ew)
    org = make_org("Delta Chips", "DE")
    third = registering.register(make_user("delta@test.example", org), ew.event, org)
    second_request = matchmaking.request_meeting(third.user, third, ew.other)
    second = _meeting(ew, second_request, slot_index=1)
    attendance.check_in(world.users["manager"], ew.event, ew.participant)  # Alpha came; Gamma did not
    assert list(attendance.absent(ew.event)) == [ew.other, third] or set(attendance.absent(ew.event)) == {
        ew.other,
        third,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = attendance.release_absent(world.users["manager"], ew.event, [ew.other])
    assert released == 2
    for m in (meeting, second):
        m.refresh_from_db()
        assert (m.status, m.cancel_reason, m.slot_id, m.table_id) == ("cancelled", "absent", None, None)
        assert m.request.status == "cancelled"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["delta@test.example", "owner@test.example"]
    assert all("Gamma Robotics is absent" in message.subject for message in mail.outbox)


@pytest.mark.run_at(ON_THE_DAY)
def test_a_checked_in_participant_is_not_released(world, ew):
    meeting = _meeting(ew)
    attendance.check_in(world.users["manager"], ew.event, ew.other)
    with pytest.raises(Refused, match="checked in at 15:00"):
        attendance.release_absent(world.users["manager"], ew.event, [ew.other])
    meeting.refresh_from_db()
    assert meeting.status == "active"


def test_nobody_is_absent_before_the_event(world, ew):
    _meeting(ew)
    with pytest.raises(Refused, match="not begun"):
        attendance.release_absent(world.users["manager"], ew.event, [ew.other])


@pytest.mark.run_at(ON_THE_DAY)
def test_the_absent_page_releases_the_chosen(world, ew):
    meeting = _meeting(ew)
    client = world.client("coordinator")
    url = reverse("events:absent", args=[ew.event.slug])
    assert "Gamma Robotics" in client.get(url).content.decode()
    response = client.post(url, {"registrations": [ew.other.pk]}, follow=True)
    assert "1 meeting was released" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    empty = client.post(url, {}, follow=True)
    assert "Choose at least one absent participant" in empty.content.decode()


# Attendance and the KPI --------------------------------------------------------------------------


@pytest.mark.run_at(ON_THE_DAY)
def test_the_organiser_marks_a_no_show_on_the_grid(world, ew):
    meeting = _meeting(ew)
    client = world.client("manager")
    grid = client.get(reverse("events:grid", args=[ew.event.slug])).content.decode()
    assert f'id="attendance-{meeting.pk}"' in grid
    client.post(
        reverse("events:meeting_attendance", args=[ew.event.slug, meeting.pk]), {"attendance": "no_show"}
    )
    meeting.refresh_from_db()
    assert meeting.attendance == "no_show" and meeting.attendance_by == world.users["manager"]
    bad = client.post(
        reverse("events:meeting_attendance", args=[ew.event.slug, meeting.pk]),
        {"attendance": "maybe"},
        follow=True,
    )
    assert "Choose held, no-show" in bad.content.decode()
    meeting.refresh_from_db()
    assert meeting.attendance == "no_show"


def test_attendance_is_not_marked_before_the_meeting_starts(world, ew):
    meeting = _meeting(ew)
    with pytest.raises(Refused, match="has not started yet"):
        attendance.mark_attendance(world.users["manager"], meeting, "held")


@pytest.mark.run_at(ON_THE_DAY)
def test_a_participant_reports_a_no_show_of_their_own_meeting_only(world, ew):
    meeting = _meeting(ew)
    world.client("owner").post(reverse("events:report_no_show", args=[ew.event.slug, meeting.pk]))
    assert MeetingFeedback.objects.get(meeting=meeting, registration=ew.participant).took_place is False
    response = world.client("same_cluster").post(
        reverse("events:report_no_show", args=[ew.event.slug, meeting.pk])
    )
    assert response.status_code == 403


@pytest.mark.run_at(ON_THE_DAY)
def test_meetings_held_uses_the_organisers_mark_first_and_says_its_source(world, ew):
    first = _meeting(ew)
    org = make_org("Delta Chips", "DE")
    third = registering.register(make_user("delta@test.example", org), ew.event, org)
    second = _meeting(ew, matchmaking.request_meeting(third.user, third, ew.other), slot_index=1)
    org4 = make_org("Epsilon Optics", "DE")
    fourth = registering.register(make_user("eps@test.example", org4), ew.event, org4)
    third_meeting = _meeting(
        ew, matchmaking.request_meeting(fourth.user, fourth, ew.participant), slot_index=2
    )
    # first: the participants say held, the organiser says no-show -> not held
    MeetingFeedback.objects.create(meeting=first, registration=ew.participant, took_place=True)
    attendance.mark_attendance(world.users["manager"], first, "no_show")
    # second: a participant says held, no mark -> held by the participants' feedback
    MeetingFeedback.objects.create(meeting=second, registration=third, took_place=True)
    # third: a participant reported a no-show, the organiser marked it held -> held by the organiser
    attendance.report_no_show(world.users["owner"], third_meeting, ew.participant)
    attendance.mark_attendance(world.users["coordinator"], third_meeting, "held")

    records = {m.pk: m.held_source for m in meeting_records(world.programme, Scope())}
    assert records == {second.pk: "participants", third_meeting.pk: "organiser"}
    from clusterxchange.events.statistics import event_statistics

    stats = event_statistics(ew.event)
    assert (stats["held"], stats["held_by_organiser"], stats["held_by_participants"], stats["no_shows"]) == (
        2,
        1,
        1,
        1,
    )
    page = world.client("coordinator").get(
        reverse("reporting:records", args=[world.programme.slug, "b2b-meetings"])
    )
    body = page.content.decode()
    assert (
        "Evidence that it took place" in body
        and "The organiser&#x27;s mark" in body
        and "participants&#x27; feedback" in body
    )


def test_what_event_staff_see_of_a_participant_at_check_in(world, ew):
    """Name, organisation, country, role, status and arrival: no email, phone or profile."""
    ew.participant.person = world.person_a1
    ew.participant.save()
    found = world.client("manager").get(f"/api/events/{ew.event.slug}/checkin/search?q=alpha").json()
    assert [sorted(item) for item in found] == [
        ["checked_in_at", "country", "id", "name", "organisation", "role", "status"]
    ]
    assert found[0]["name"] == "Amélie Durand" and found[0]["organisation"] == "Alpha Sensors"
    page = world.client("manager").get(reverse("events:checkin", args=[ew.event.slug]), {"q": "alpha"})
    body = page.content.decode()
    assert "Amélie Durand" in body and "Alpha Sensors" in body
    for private in ("amelie@alpha.example", "+33 6 00", "Printed sensors"):
        assert private not in body
    for role in ("owner", "outsider", "same_cluster"):
        assert (
            world.client(role).get(f"/api/events/{ew.event.slug}/checkin/search?q=alpha").status_code == 403
        )


def test_a_participant_downloads_only_their_own_badge(world, ew):
    own = world.client("owner").get(reverse("events:badge", args=[ew.event.slug]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    other = world.client("owner").get(
        reverse("events:badge", args=[ew.event.slug]) + f"?registration={ew.other.pk}"
    )
    assert other.status_code == 403


# Organisers acting for participants --------------------------------------------------------------


def test_an_organiser_books_a_meeting_for_two_participants_who_are_told(
    world, ew, django_capture_on_commit_callbacks
):
    from clusterxchange.core.models import AuditEntry

    org = make_org("Delta Chips", "DE")
    third = registering.register(make_user("delta@test.example", org), ew.event, org)
    mail.outbox.clear()
    url = reverse("events:book", args=[ew.event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager").post(
            url, {"participants": [third.pk, ew.participant.pk], "message": "Meet at the booth"}, follow=True
        )
    assert "is booked" in response.content.decode()
    meeting = Meeting.objects.get(first=third, second=ew.participant)
    assert meeting.status == "active" and meeting.request.status == "accepted"
    assert {a for m in mail.outbox for a in m.to} == {"delta@test.example", "owner@test.example"}
    entry = AuditEntry.objects.filter(action="events.meeting.book_on_behalf").get()
    assert entry.actor == world.users["manager"]
    # The limits of a request hold: a second booking between the same two is refused, nothing added.
    again = world.client("manager").post(url, {"participants": [ew.participant.pk, third.pk]}, follow=True)
    assert "already a request between" in again.content.decode()
    assert (
        Meeting.objects.filter(first__in=[third, ew.participant], second__in=[third, ew.participant]).count()
        == 1
    )
    one = world.client("manager").post(url, {"participants": [third.pk]}, follow=True)
    assert "Choose two participants" in one.content.decode()


def test_a_badge_never_prints_an_email_address(world, ew):
    """The outsider's registration has no person and their user no name: the badge shows the
    organisation, not the login email."""
    html = badges.badges_html(ew.event, badges.badge_registrations(ew.event))
    assert "outsider@test.example" not in html
    assert ew.other.person_name == ""
