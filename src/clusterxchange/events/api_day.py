"""Events API, the event day: check-in, counts, absent participants, attendance of meetings.
The same rules and actions (`events.attendance`) as the check-in page and the grid
(registered in `api/main.py` beside `events.api`, under /api/events)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from clusterxchange.api.auth import request_user
from clusterxchange.events import attendance
from clusterxchange.events.models import Event, Meeting, Registration
from clusterxchange.events.rules import registration_of, visible_events

router = Router(tags=["events: event day"])


class CheckInPersonOut(Schema):
    id: int
    name: str
    organisation: str
    country: str
    role: str
    status: str
    checked_in_at: datetime | None


class CodeIn(Schema):
    code: str = Field(..., max_length=200, description="The text of the badge's QR code")


class CountsOut(Schema):
    checked_in: int
    registered: int


class ReleaseIn(Schema):
    registrations: list[int] = Field(..., description="Registration ids of absent participants")


class ReleaseOut(Schema):
    released: int


class AttendanceIn(Schema):
    attendance: Literal["", "held", "no_show"] = Field(..., description='"" clears the mark')


class AttendanceOut(Schema):
    meeting: int
    attendance: str
    attendance_at: datetime | None


def _event(request, slug: str, permission: str | None = None) -> Event:
    user = request_user(request)
    event = get_object_or_404(visible_events(user), slug=slug)
    if permission and not user.has_perm(permission, event):
        raise PermissionDenied("You are not allowed to do this.")
    return event


def _person_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "name": registration.person_name,
        "organisation": registration.organisation.name,
        "country": str(registration.organisation.country),
        "role": registration.role,
        "status": registration.status,
        "checked_in_at": registration.checked_in_at,
    }


@router.get("/{slug}/checkin/counts", response=CountsOut, summary="Checked in and registered (event staff)")
def checkin_counts(request, slug: str):
    counts = attendance.counts(_event(request, slug, "events.check_in"))
    return {"checked_in": counts.checked_in, "registered": counts.registered}


@router.get(
    "/{slug}/checkin/search",
    response=list[CheckInPersonOut],
    summary="Find participants by name (event staff)",
)
def checkin_search(request, slug: str, q: str = ""):
    event = _event(request, slug, "events.check_in")
    return [_person_out(r) for r in attendance.search(event, q)]


@router.post("/{slug}/checkin", response=CheckInPersonOut, summary="Check in the holder of a badge code")
def checkin_code(request, slug: str, payload: CodeIn):
    event = _event(request, slug, "events.check_in")
    return _person_out(attendance.check_in_code(request_user(request), event, payload.code))


@router.post(
    "/{slug}/registrations/{registration_id}/checkin",
    response=CheckInPersonOut,
    summary="Check in a participant found by name",
)
def checkin_registration(request, slug: str, registration_id: int):
    event = _event(request, slug, "events.check_in")
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    return _person_out(attendance.check_in(request_user(request), event, registration))


@router.post(
    "/{slug}/absent/release",
    response=ReleaseOut,
    summary="Release the meetings of absent participants; their partners are told by email",
)
def release_absent(request, slug: str, payload: ReleaseIn):
    event = _event(request, slug, "events.check_in")
    chosen = Registration.objects.filter(event=event, pk__in=payload.registrations)
    return {"released": attendance.release_absent(request_user(request), event, chosen)}


@router.put(
    "/{slug}/meetings/{meeting_id}/attendance",
    response=AttendanceOut,
    summary="Mark a meeting held or no-show (the organiser)",
)
def mark_attendance(request, slug: str, meeting_id: int, payload: AttendanceIn):
    event = _event(request, slug, "events.mark_attendance")
    meeting = attendance.mark_attendance(
        request_user(request), get_object_or_404(Meeting, event=event, pk=meeting_id), payload.attendance
    )
    return {"meeting": meeting.pk, "attendance": meeting.attendance, "attendance_at": meeting.attendance_at}


@router.post(
    "/{slug}/meetings/{meeting_id}/no-show",
    response=AttendanceOut,
    summary="Report that the other party of one's own meeting did not come (a participant)",
)
def report_no_show(request, slug: str, meeting_id: int):
    event = _event(request, slug)
    user = request_user(request)
    own = registration_of(user, event)
    if own is None:
        raise PermissionDenied("You are not registered for this event.")
    meeting = attendance.report_no_show(user, get_object_or_404(Meeting, event=event, pk=meeting_id), own)
    return {"meeting": meeting.pk, "attendance": meeting.attendance, "attendance_at": meeting.attendance_at}
