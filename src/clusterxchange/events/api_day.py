"""Events API, the event day: its staff, check-in, counts, absent participants, attendance of meetings.
The same rules and actions (`events.attendance`) as the check-in page and the grid
(registered in `api/main.py` beside `events.api`, under /api/events)."""

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from clusterxchange.core.api_auth import request_user
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.events import attendance, on_behalf
from clusterxchange.events.api import RegistrationOut, RequestOut, _event, _registration_out, _request_out
from clusterxchange.events.models import Meeting, Registration, Slot, Table
from clusterxchange.events.rules import registration_of

router = Router(tags=["events: event day"])


class StaffIn(Schema):
    email: str = Field(..., max_length=254, description="The email address of a person with an account")


class StaffOut(Schema):
    id: int
    email: str
    name: str


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


class PlaceIn(Schema):
    slot: int = Field(..., description="Id of a time slot of the event")
    table: int = Field(..., description="Id of a table of the event")


class PlaceOut(Schema):
    meeting: int
    slot: int
    table: int
    starts_at: datetime
    published: bool


class CancelIn(Schema):
    reason: str = Field("", max_length=200, description="Sent to both participants")


class CancelOut(Schema):
    meeting: int
    status: str


class RegisterForIn(Schema):
    organisation: str = Field(..., description="The organisation's slug")
    person: int | None = Field(None, description="Id of one of its people")
    role: Literal["local", "delegate", "exhibitor"] | None = None


class RequestForIn(Schema):
    requester: int = Field(..., description="Registration id of the participant the request is sent for")
    recipient: int = Field(..., description="Registration id of the other participant")
    message: str = Field("", max_length=2000)
    book: bool = Field(False, description="Accept it at once in the recipient's name (book the meeting)")


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


def _staff_out(user) -> dict:
    return {"id": user.pk, "email": user.email, "name": user.get_full_name()}


@router.get("/{slug}/staff", response=list[StaffOut], summary="The event day's staff (the organisers)")
def staff_list(request, slug: str):
    return [_staff_out(user) for user in attendance.staff_of(_event(request, slug, "events.change_event"))]


@router.post(
    "/{slug}/staff",
    response={201: StaffOut},
    summary="Add a person with an account to the event day's staff (the organisers); they are told",
)
def staff_add(request, slug: str, payload: StaffIn):
    event = _event(request, slug, "events.change_event")
    return Status(201, _staff_out(attendance.add_staff(request_user(request), event, payload.email)))


@router.delete("/{slug}/staff/{user_id}", response={204: None}, summary="Remove a person from the staff")
def staff_remove(request, slug: str, user_id: int):
    event = _event(request, slug, "events.change_event")
    attendance.remove_staff(request_user(request), event, get_object_or_404(get_user_model(), pk=user_id))
    return Status(204, None)


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
    event = _event(request, slug, "events.release_absent")
    chosen = Registration.objects.filter(event=event, pk__in=payload.registrations)
    return {"released": attendance.release_absent(request_user(request), event, chosen)}


@router.put(
    "/{slug}/meetings/{meeting_id}/attendance",
    response=AttendanceOut,
    summary="Mark a meeting held or no-show (the organisers or the event staff)",
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


# Acting for participants (events.on_behalf): the organiser; recorded "on behalf of" the participants.


@router.put(
    "/{slug}/meetings/{meeting_id}/place",
    response=PlaceOut,
    summary="Move a meeting to a free slot and table (the organiser); a published one is announced",
)
def place_meeting(request, slug: str, meeting_id: int, payload: PlaceIn):
    event = _event(request, slug, "events.schedule")
    meeting = get_object_or_404(Meeting, event=event, pk=meeting_id)
    slot = get_object_or_404(Slot, session__event=event, pk=payload.slot)
    table = get_object_or_404(Table, event=event, pk=payload.table)
    moved = on_behalf.move_meeting(request_user(request), meeting, slot, table)
    return {
        "meeting": moved.pk,
        "slot": slot.pk,
        "table": table.pk,
        "starts_at": slot.starts_at,
        "published": moved.is_published,
    }


@router.post(
    "/{slug}/meetings/{meeting_id}/cancel",
    response=CancelOut,
    summary="Cancel a meeting for its participants (the organiser); both are told",
)
def cancel_meeting(request, slug: str, meeting_id: int, payload: CancelIn):
    event = _event(request, slug, "events.act_for_participants")
    meeting = get_object_or_404(Meeting, event=event, pk=meeting_id)
    cancelled = on_behalf.cancel_meeting(request_user(request), meeting, payload.reason)
    return {"meeting": cancelled.pk, "status": cancelled.status}


@router.post(
    "/{slug}/on-behalf/registrations",
    response={201: RegistrationOut},
    summary="Register an organisation (and one of its people) for the event (the organiser)",
)
def register_for(request, slug: str, payload: RegisterForIn):
    event = _event(request, slug, "events.act_for_participants")
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    person = get_object_or_404(Person, pk=payload.person) if payload.person else None
    registration = on_behalf.register_participant(
        request_user(request), event, organisation, person=person, role=payload.role or ""
    )
    return Status(201, _registration_out(registration))


@router.post(
    "/{slug}/on-behalf/requests",
    response={201: RequestOut},
    summary="Send a meeting request in a participant's name, or book the meeting at once (the organiser)",
)
def request_for(request, slug: str, payload: RequestForIn):
    event = _event(request, slug, "events.act_for_participants")
    requester = get_object_or_404(Registration, event=event, pk=payload.requester)
    recipient = get_object_or_404(Registration, event=event, pk=payload.recipient)
    user = request_user(request)
    if payload.book:
        meeting_request = on_behalf.book_meeting(user, event, requester, recipient, payload.message).request
    else:
        meeting_request = on_behalf.request_meeting(user, event, requester, recipient, payload.message)
    meeting_request.refresh_from_db()
    return Status(201, _request_out(meeting_request))
