"""Events API: the same rules, domain actions and agendas as the web pages."""

from datetime import date, datetime
from datetime import time as clock
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.api_auth import request_user
from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType
from clusterxchange.events import agendas, hybrid, schedule_reasons, scheduling
from clusterxchange.events.domain import matchmaking, organising, registering, timetable
from clusterxchange.events.filters import ParticipantFilter
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    ParticipantType,
    Registration,
    SchedulingRun,
    lost_run_reason,
)
from clusterxchange.events.rules import organised_programme, registration_of, visible_events
from clusterxchange.events.statistics import event_statistics
from clusterxchange.events.suggestions import suggestions_for

router = Router(tags=["events"])


class ProgrammeItemOut(Schema):
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str


class EventSummary(Schema):
    slug: str
    kind: str
    title: str
    host_cluster: str
    city: str
    country: str
    start_date: date
    end_date: date
    time_zone: str


class EventOut(EventSummary):
    description: str
    host_event: str
    venue: str
    capacity: int | None
    places_taken: int
    registration_deadline: datetime | None
    registration_open: bool
    validation: str
    acceptance: str
    meeting_reminder_minutes: int
    support_per_delegate_eur: Decimal
    note: str
    agenda: str
    programme: list[ProgrammeItemOut]


class RegistrationIn(Schema):
    organisation: str = Field(..., description="Slug of an organisation the caller belongs to")
    role: Literal["delegate", "local", "exhibitor"] = "local"
    profile: str = ""
    opportunities: list[int] = Field([], description="Ids of the organisation's published opportunities")
    answers: dict[int, str | list[str] | bool] = Field(
        {}, description="Registration question id → answer (see /questions); required ones must be answered"
    )
    participant_type: int | None = Field(
        None, description="Id of a participant type (when the event has types)"
    )


class RegistrationOut(Schema):
    id: int
    organisation: str
    person: str
    role: str
    status: str
    partner: str | None
    support_eur: Decimal | None
    reason: str


class DecisionIn(Schema):
    decision: Literal["validate", "reject"]
    reason: str = ""


class ParticipantOut(Schema):
    id: int
    organisation: str
    organisation_slug: str
    org_type: str
    country: str
    role: str
    profile: str
    opportunities: list[str]


class ParticipantSuggestionOut(Schema):
    participant: ParticipantOut
    reasons: list[str]


class RequestIn(Schema):
    recipient: int = Field(..., description="Registration id of the participant to meet")
    message: str = Field("", max_length=2000)
    must_meet: bool = False


class RequestOut(Schema):
    id: int
    requester: int
    requester_organisation: str
    recipient: int
    recipient_organisation: str
    message: str
    must_meet: bool
    status: str
    expires_at: datetime | None


class AnswerIn(Schema):
    answer: Literal["accept", "decline"]


class AgendaItemOut(Schema):
    meeting: int
    starts_at: datetime
    ends_at: datetime
    table: str | None
    with_registration: int
    with_organisation: str
    with_person: str
    must_meet: bool
    online: bool
    video_link: str = Field(..., description="The online meeting's link (empty on site, or none yet)")


class MeetingVideoIn(Schema):
    online: bool
    video_link: str = Field("", max_length=500, description="http(s) only; empty for the programme's room")


class MeetingVideoOut(Schema):
    meeting: int
    online: bool = Field(..., description="Marked online, or in an online session")
    video_link: str = Field(..., description="The link the parties use (empty on site, or none yet)")


class RunOut(Schema):
    id: int
    status: str
    progress: int
    meetings: int
    placed: int
    moved: int
    message: str
    mode: str = Field(..., description="exact, oversubscribed or reschedule; empty before the end")
    outcome: str = Field(
        ..., description="optimal, feasible, infeasible, unknown or bad_input; empty before the end"
    )
    breaks: int | None = Field(..., description="Breaks in the written agenda")
    lower_bound: int | None = Field(..., description="No agenda with every meeting has fewer breaks")
    reasons: list[str] = Field(..., description="Why not every meeting fits, or what contradicts, in words")


class ScheduleNoteOut(Schema):
    meeting: int
    first_organisation: str
    second_organisation: str
    must_meet: bool
    locked: bool
    starts_at: datetime | None = Field(..., description="Its time slot; null when it is not placed")
    kind: str = Field(
        ...,
        description=(
            "What the note says: no_common_slot, at_max_meetings, no_common_free_slot, no_shared_table, "
            "precedence_order, not_reached, time_limit, no_free_slot (why it is not placed), "
            "moved_published (moved from its published time); empty for a note kept from before"
        ),
    )
    kept_locked: bool = Field(
        ..., description="Locked: it keeps its slot, which the scheduler could not keep"
    )
    note: str = Field(..., description="The note in words, with the organisations' names and local times")


class EventIn(Schema):
    kind: Literal["mission", "study_visit", "b2b"]
    title: str = Field(..., min_length=1, max_length=200)
    host_cluster: str = Field(..., description="Slug of the host cluster")
    city: str = Field(..., min_length=1, max_length=120)
    country: str = Field(..., min_length=2, max_length=2)
    venue: str = ""
    host_event: str = ""
    description: str = ""
    start_date: date
    end_date: date
    time_zone: str = "Europe/Brussels"
    capacity: int | None = Field(None, ge=1)
    registration_deadline: datetime | None = None
    validation: Literal["automatic", "manual"] = "manual"
    acceptance: Literal["opt_in", "auto"] = "opt_in"
    meeting_cap: int = Field(12, ge=1, le=200)
    request_expiry_days: int = Field(7, ge=1, le=90)
    meeting_reminder_minutes: int = Field(
        0, ge=0, le=240, description="Reminder before each meeting; 0: none"
    )
    support_per_delegate_eur: Decimal = Field(Decimal(0), ge=0)
    note: str = ""
    published: bool = False


class ProgrammeItemIn(Schema):
    kind: Literal["site_visit", "conference", "reception", "meetings", "travel", "other"] = "other"
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime = Field(..., description="With an offset, or local time of the event")
    ends_at: datetime
    place: str = ""
    description: str = ""


class SessionIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    date: date
    start_time: str = Field(..., pattern=r"^\d{2}:\d{2}$", description="HH:MM, local time of the event")
    end_time: str = Field(..., pattern=r"^\d{2}:\d{2}$")
    slot_minutes: int = Field(30, ge=5, le=240)
    gap_minutes: int = Field(0, ge=0, le=120)
    break_start: str | None = Field(None, pattern=r"^\d{2}:\d{2}$")
    break_end: str | None = Field(None, pattern=r"^\d{2}:\d{2}$")
    online: bool = Field(False, description="The session's meetings take place by video")


class SessionOut(Schema):
    id: int
    name: str
    date: date
    online: bool
    slots: list[datetime]


class TablesIn(Schema):
    count: int = Field(..., description="At least one")


class AvailabilityIn(Schema):
    unavailable_sessions: list[int] = Field([], description="Ids of sessions when the caller is away")
    meeting_cap: int | None = Field(None, ge=1)


class LockIn(Schema):
    locked: bool


class PublishIn(Schema):
    final: bool


class PublishOut(Schema):
    agenda: str
    notified: int


class ParticipantQuery(Schema):
    q: str | None = None
    country: str | None = None
    org_type: str | None = None
    ecosystem: str | None = None
    opportunity: str | None = None
    role: str | None = None


def _event(request, slug: str, permission: str | None = None) -> Event:
    user = request_user(request)
    event = get_object_or_404(visible_events(user).select_related("host_cluster"), slug=slug)
    if permission and not user.has_perm(permission, event):
        raise PermissionDenied("You are not allowed to do this.")
    return event


def _summary(event: Event) -> dict:
    return {
        "slug": event.slug,
        "kind": event.kind,
        "title": event.title,
        "host_cluster": event.host_cluster.name,
        "city": event.city,
        "country": event.country,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "time_zone": event.time_zone,
    }


def _registration_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "organisation": registration.organisation.name,
        "person": str(registration.person or ""),
        "role": registration.role,
        "status": registration.status,
        "partner": registration.partner.cluster.name if registration.partner_id else None,
        "support_eur": registration.support_eur,
        "reason": registration.reason,
    }


def _participant_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "organisation": registration.organisation.name,
        "organisation_slug": registration.organisation.slug,
        "org_type": registration.organisation.org_type,
        "country": str(registration.organisation.country),
        "role": registration.role,
        "profile": registration.profile,
        "opportunities": [o.title for o in registration.opportunities.all()],
    }


def _request_out(meeting_request: MeetingRequest) -> dict:
    return {
        "id": meeting_request.pk,
        "requester": meeting_request.requester_id,
        "requester_organisation": meeting_request.requester.organisation.name,
        "recipient": meeting_request.recipient_id,
        "recipient_organisation": meeting_request.recipient.organisation.name,
        "message": meeting_request.message,
        "must_meet": meeting_request.must_meet,
        "status": meeting_request.status,
        "expires_at": meeting_request.expires_at,
    }


def _run_out(run: SchedulingRun) -> dict:
    return {
        "id": run.pk,
        "status": run.shown_status,
        "progress": run.progress,
        "meetings": run.meetings,
        "placed": run.placed,
        "moved": run.moved,
        "message": lost_run_reason() if run.lost else run.message,
        "mode": run.mode,
        "outcome": run.outcome,
        "breaks": run.breaks,
        "lower_bound": run.lower_bound,
        "reasons": schedule_reasons.described(run.event, run.reasons),
    }


def _own(request, event: Event) -> Registration:
    registration = registration_of(request.user, event)
    if registration is None:
        raise PermissionDenied("You are not registered for this event.")
    return registration


@router.get("", response=list[EventSummary], auth=None, summary="Events: upcoming or past")
def list_events(request, when: Literal["upcoming", "past", "all"] = "upcoming", kind: str | None = None):
    events = visible_events(request_user(request)).select_related("host_cluster")
    today = timezone.localdate()
    if when == "upcoming":
        events = events.filter(end_date__gte=today).order_by("start_date")
    elif when == "past":
        events = events.filter(end_date__lt=today).order_by("-start_date")
    if kind:
        events = events.filter(kind=kind)
    return [_summary(event) for event in events[:500]]


@router.get("/{slug}", response=EventOut, auth=None, summary="An event with its programme")
def get_event(request, slug: str):
    event = _event(request, slug)
    return {
        **_summary(event),
        "description": event.description,
        "host_event": event.host_event,
        "venue": event.venue,
        "capacity": event.capacity,
        "places_taken": registering.places_taken(event),
        "registration_deadline": event.registration_deadline,
        "registration_open": event.registration_open,
        "validation": event.validation,
        "acceptance": event.acceptance,
        "support_per_delegate_eur": event.support_per_delegate_eur,
        "note": event.note,
        "agenda": event.agenda,
        "meeting_reminder_minutes": event.meeting_reminder_minutes,
        "programme": list(event.programme_items.all()),
    }


@router.post("/{slug}/registrations", response={201: RegistrationOut}, summary="Register for the event")
def create_registration(request, slug: str, payload: RegistrationIn):
    event = _event(request, slug, "events.register")
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    opportunities = Opportunity.objects.filter(pk__in=payload.opportunities, organisation=organisation)
    registration = registering.register(
        request.user,
        event,
        organisation,
        role=payload.role,
        profile=payload.profile,
        opportunities=opportunities,
        answers=payload.answers,
        participant_type=get_object_or_404(ParticipantType, event=event, pk=payload.participant_type)
        if payload.participant_type is not None
        else None,
    )
    return Status(201, _registration_out(registration))


@router.get(
    "/{slug}/registrations", response=list[RegistrationOut], summary="All registrations (the organiser)"
)
def list_registrations(request, slug: str):
    event = _event(request, slug, "events.view_registrations")
    return [
        _registration_out(r)
        for r in event.registrations.select_related("organisation", "person", "partner__cluster")
    ]


@router.post(
    "/{slug}/registrations/{registration_id}/decision",
    response=RegistrationOut,
    summary="Validate or reject a registration (the organiser)",
)
def decide_registration(request, slug: str, registration_id: int, payload: DecisionIn):
    event = _event(request, slug, "events.view_registrations")
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    registration = registering.decide_registration(
        request.user, registration, payload.decision == "validate", payload.reason
    )
    return _registration_out(registration)


@router.delete(
    "/{slug}/registrations/{registration_id}", response=RegistrationOut, summary="Cancel a registration"
)
def cancel_registration(request, slug: str, registration_id: int):
    event = _event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    if not request.user.has_perm("events.change_registration", registration):
        raise Http404
    return _registration_out(registering.cancel_registration(request.user, registration))


@router.get(
    "/{slug}/participants", response=list[ParticipantOut], summary="Validated participants (marketplace)"
)
def list_participants(request, slug: str, query: Query[ParticipantQuery]):
    event = _event(request, slug, "events.use_marketplace")
    queryset = (
        event.registrations.filter(status=Registration.Status.VALIDATED)
        .select_related("organisation")
        .prefetch_related("opportunities")
    )
    data = {key: value for key, value in query.dict().items() if value}
    filterset = ParticipantFilter(data, queryset=queryset)
    return [_participant_out(r) for r in filterset.qs[:1000]]


@router.get(
    "/{slug}/suggestions",
    response=list[ParticipantSuggestionOut],
    summary="Whom the caller should meet, and why",
)
def list_suggestions(request, slug: str, limit: int = 8):
    event = _event(request, slug, "events.request_meeting")
    limit = max(1, min(limit, 50))
    return [
        {"participant": _participant_out(candidate), "reasons": reasons}
        for candidate, reasons in suggestions_for(_own(request, event), limit=limit)
    ]


@router.get(
    "/{slug}/requests", response=list[RequestOut], summary="The caller's meeting requests, sent and received"
)
def list_requests(request, slug: str):
    event = _event(request, slug, "events.use_marketplace")
    own = _own(request, event)

    requests = MeetingRequest.objects.filter(Q(requester=own) | Q(recipient=own)).select_related(
        "requester__organisation", "recipient__organisation"
    )
    return [_request_out(r) for r in requests]


@router.post("/{slug}/requests", response={201: RequestOut}, summary="Request a meeting")
def create_request(request, slug: str, payload: RequestIn):
    event = _event(request, slug, "events.request_meeting")
    recipient = get_object_or_404(Registration, event=event, pk=payload.recipient)
    meeting_request = matchmaking.request_meeting(
        request.user, _own(request, event), recipient, payload.message, payload.must_meet
    )
    meeting_request.refresh_from_db()
    return Status(201, _request_out(meeting_request))


@router.post(
    "/{slug}/requests/{request_id}/answer", response=RequestOut, summary="Accept or decline a request"
)
def answer_request(request, slug: str, request_id: int, payload: AnswerIn):
    event = _event(request, slug, "events.use_marketplace")
    meeting_request = get_object_or_404(MeetingRequest, event=event, pk=request_id)
    if not request.user.has_perm("events.change_registration", meeting_request.recipient):
        raise PermissionDenied("Only the recipient answers a request.")
    meeting_request = matchmaking.respond(request.user, meeting_request, payload.answer == "accept")
    return _request_out(meeting_request)


@router.get("/{slug}/agenda", response=list[AgendaItemOut], summary="The caller's published meetings")
def get_agenda(request, slug: str):
    event = _event(request, slug)
    own = _own(request, event)
    return [
        {
            "meeting": row.meeting.pk,
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
            "table": str(row.table) if row.table else None,
            "with_registration": row.other.pk,
            "with_organisation": row.other.organisation.name,
            "with_person": str(row.other.person or ""),
            "must_meet": row.must_meet,
            "online": row.online,
            "video_link": row.video_link,
        }
        for row in agendas.agenda_rows(own)
    ]


@router.post(
    "/{slug}/schedule", response={202: RunOut}, summary="Run the scheduler in the background (the organiser)"
)
def start_scheduling(request, slug: str):
    event = _event(request, slug, "events.schedule")
    run = scheduling.start_run(request.user, event)
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get("/{slug}/schedule/runs/{run_id}", response=RunOut, summary="Progress of a scheduling run")
def get_run(request, slug: str, run_id: int):
    event = _event(request, slug, "events.schedule")
    return _run_out(get_object_or_404(SchedulingRun, event=event, pk=run_id))


@router.get(
    "/{slug}/schedule/notes",
    response=list[ScheduleNoteOut],
    summary="Why meetings were not placed, or were moved or kept, by the last run (the organiser)",
)
def list_schedule_notes(request, slug: str):
    event = _event(request, slug, "events.schedule")
    meetings = list(
        event.meetings.filter(status=Meeting.Status.ACTIVE)
        .exclude(scheduler_note={})
        .select_related("slot", "first__organisation", "second__organisation")
        .order_by("pk")
    )
    notes = schedule_reasons.notes(event, meetings)
    return [
        {
            "meeting": meeting.pk,
            "first_organisation": meeting.first.organisation.name,
            "second_organisation": meeting.second.organisation.name,
            "must_meet": meeting.must_meet,
            "locked": meeting.locked,
            "starts_at": meeting.slot.starts_at if meeting.slot else None,
            "kind": meeting.scheduler_note.get("code", ""),
            "kept_locked": bool(meeting.scheduler_note.get("kept_locked")),
            "note": notes[meeting.pk],
        }
        for meeting in meetings
    ]


@router.get("/{slug}/statistics", response=dict, summary="Event figures (the organiser)")
def get_statistics(request, slug: str):
    event = _event(request, slug, "events.view_statistics")
    stats = event_statistics(event)
    stats["testimonials"] = [{"organisation": name, "text": text} for name, text in stats["testimonials"]]
    return stats


def _time(value: str | None):

    if value is None:
        return None
    hours, minutes = value.split(":")
    try:
        return clock(int(hours), int(minutes))
    except ValueError as exc:
        raise ValidationError(f"{value} is not a time of day (HH:MM).") from exc


def _local(event: Event, value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, event.tz)


@router.post(
    "", response={201: EventOut}, summary="Create an event (coordinators, managers of the host cluster)"
)
def create_event(request, payload: EventIn):

    data = payload.dict()
    data["host_cluster"] = get_object_or_404(
        Organisation, slug=data["host_cluster"], org_type=OrganisationType.CLUSTER
    )
    data["country"] = data["country"].upper()
    programme = organised_programme(request.user)
    if programme is None or not request.user.has_perm("events.add_event"):
        raise PermissionDenied("You are not allowed to do this.")
    event = organising.create_event(request.user, programme, data)
    return Status(201, get_event(request, event.slug))


@router.post(
    "/{slug}/programme", response={201: ProgrammeItemOut}, summary="Add a programme item (the organiser)"
)
def add_programme_item(request, slug: str, payload: ProgrammeItemIn):
    event = _event(request, slug, "events.change_event")
    data = payload.dict()
    data["starts_at"], data["ends_at"] = _local(event, data["starts_at"]), _local(event, data["ends_at"])
    return Status(201, organising.add_programme_item(request.user, event, data))


@router.post("/{slug}/sessions", response={201: SessionOut}, summary="Add a meeting session (the organiser)")
def add_session(request, slug: str, payload: SessionIn):
    event = _event(request, slug, "events.schedule")
    data = payload.dict()
    for key in ("start_time", "end_time", "break_start", "break_end"):
        data[key] = _time(data[key])
    session = timetable.add_session(request.user, event, data)
    return Status(
        201,
        {
            "id": session.pk,
            "name": session.name,
            "date": session.date,
            "online": session.online,
            "slots": [s.starts_at for s in session.slots.all()],
        },
    )


@router.put("/{slug}/tables", response=TablesIn, summary="Set the number of tables (the organiser)")
def set_tables(request, slug: str, payload: TablesIn):
    event = _event(request, slug, "events.schedule")
    return {"count": len(timetable.set_table_count(request.user, event, payload.count))}


@router.put(
    "/{slug}/availability", response=RegistrationOut, summary="The caller's availability and meeting cap"
)
def set_availability(request, slug: str, payload: AvailabilityIn):
    event = _event(request, slug)
    own = _own(request, event)
    sessions = list(event.sessions.filter(pk__in=payload.unavailable_sessions))
    registering.set_availability(request.user, own, sessions, payload.meeting_cap)
    return _registration_out(own)


@router.post(
    "/{slug}/meetings/{meeting_id}/lock",
    response=dict,
    summary="Lock or unlock a scheduled meeting (the organiser)",
)
def lock_meeting(request, slug: str, meeting_id: int, payload: LockIn):

    event = _event(request, slug, "events.schedule")
    meeting = timetable.lock_meeting(
        request.user, get_object_or_404(Meeting, event=event, pk=meeting_id), payload.locked
    )
    return {"meeting": meeting.pk, "locked": meeting.locked}


@router.post(
    "/{slug}/publish", response=PublishOut, summary="Publish the preliminary or final agenda (the organiser)"
)
def publish_agenda(request, slug: str, payload: PublishIn):
    event = _event(request, slug, "events.schedule")
    notified = timetable.publish_agenda(request.user, event, payload.final)
    event.refresh_from_db()
    return {"agenda": event.agenda, "notified": notified}


@router.put(
    "/{slug}/meetings/{meeting_id}/video",
    response=MeetingVideoOut,
    summary="Set a meeting on site or online, with its video link (its two parties, the organiser)",
)
def set_meeting_video(request, slug: str, meeting_id: int, payload: MeetingVideoIn):
    event = _event(request, slug)
    meeting = get_object_or_404(Meeting, event=event, pk=meeting_id)
    meeting = hybrid.set_meeting_video(request.user, meeting, payload.online, payload.video_link)
    meeting = Meeting.objects.select_related("slot__session", "event__programme").get(pk=meeting.pk)
    return {
        "meeting": meeting.pk,
        "online": hybrid.is_online(meeting),
        "video_link": hybrid.video_link(meeting),
    }
