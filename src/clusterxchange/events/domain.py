"""Event actions: the only code that changes events, registrations, requests, the time grid and agendas.

Each action checks permission, validates (refusing with a reason a person can act on), writes in
one transaction, records an audit entry and notifies the people concerned after the commit.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, apply_fields, audited_update, require, unique_slug
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import lowered
from clusterxchange.directory.matching import record_outcome
from clusterxchange.engines.matching import MatchingUse
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    ProgrammeItem,
    Registration,
    Session,
    Slot,
    Table,
)
from clusterxchange.events.notifications import (
    AGENDA_PUBLISHED,
    MEETING_CANCELLED,
    MEETING_REQUEST,
    NEW_MEETING,
    PLACE_FREE,
    REGISTRATION,
    REQUEST_ACCEPTED,
    REQUEST_DECLINED,
    REQUEST_REMINDER,
    notify,
)
from clusterxchange.events.questions import check_type, clean_answers, pair_refusal, save_answers
from clusterxchange.events.rules import forget_registration
from clusterxchange.events.scheduling import write_places
from clusterxchange.events.timing import feedback_too_early
from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import PartnerCluster

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "host_cluster",
    "host_event",
    "city",
    "country",
    "venue",
    "start_date",
    "end_date",
    "time_zone",
    "capacity",
    "registration_deadline",
    "validation",
    "acceptance",
    "meeting_cap",
    "request_expiry_days",
    "meeting_reminder_minutes",
    "support_per_delegate_eur",
    "note",
    "published",
]
ITEM_FIELDS = ["kind", "title", "starts_at", "ends_at", "place", "description"]
SESSION_FIELDS = [
    "name",
    "date",
    "start_time",
    "end_time",
    "slot_minutes",
    "gap_minutes",
    "break_start",
    "break_end",
    "online",
]
FEEDBACK_FIELDS = ["took_place", "usefulness", "follow_up", "testimonial", "publish_consent"]
PLACE_TAKING = [Registration.Status.REGISTERED, Registration.Status.VALIDATED]
OPEN_REQUESTS = [MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]


def event_slug(title: str, start, exclude_pk: int | None = None) -> str:
    text = f"{title}-{start:%Y}" if start else title
    return unique_slug(Event.objects, text, fallback="event", exclude_pk=exclude_pk)


# Events ------------------------------------------------------------------------------------------


@transaction.atomic
def create_event(actor, programme, fields: dict, *, check_permission: bool = True) -> Event:
    if check_permission:
        require(actor, "events.add_event")
        roles = roles_of(actor)
        host = fields.get("host_cluster")
        if programme.pk not in roles.coordinator_programme_ids and (
            host is None or host.pk not in roles.managed_cluster_ids
        ):
            raise PermissionDenied(_("You can only organise events hosted by a cluster you manage."))
    event = Event(programme=programme)
    apply_fields(event, fields, EVENT_FIELDS)
    event.slug = event_slug(event.title, event.start_date)
    event.full_clean()
    event.save()
    audit.record(actor, "events.event.create", event)
    return event


@transaction.atomic
def update_event(actor, event: Event, fields: dict, *, expected_version: str | None = None) -> Event:
    require(actor, "events.change_event", event)
    with audited_update(
        actor, event, fields, EVENT_FIELDS, action="events.event.update", expected_version=expected_version
    ):
        event.full_clean(exclude=["slug"])
    while _promote_waiting(actor, event) is not None:  # a raised capacity admits the waiting list
        pass
    return event


@transaction.atomic
def add_programme_item(actor, event: Event, fields: dict) -> ProgrammeItem:
    require(actor, "events.change_event", event)
    item = ProgrammeItem(event=event)
    apply_fields(item, fields, ITEM_FIELDS)
    errors = {}
    if item.starts_at and item.ends_at and item.ends_at < item.starts_at:
        errors["ends_at"] = _("An item cannot end before it starts.")
    if item.starts_at:
        day = timezone.localtime(item.starts_at, event.tz).date()
        if not event.start_date <= day <= event.end_date:
            errors["starts_at"] = _("The item must take place between the event's first and last day.")
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    audit.record(actor, "events.programme_item.create", event, comment=item.title)
    return item


@transaction.atomic
def remove_programme_item(actor, item: ProgrammeItem) -> None:
    require(actor, "events.change_event", item.event)
    audit.record(actor, "events.programme_item.delete", item.event, comment=item.title)
    item.delete()


# Registration ------------------------------------------------------------------------------------


def places_taken(event: Event) -> int:
    return event.registrations.filter(status__in=PLACE_TAKING).count()


def has_room(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


def _admitted_status(event: Event) -> str:
    if event.validation == Event.Validation.AUTOMATIC:
        return Registration.Status.VALIDATED
    return Registration.Status.REGISTERED


def _partner_for(event: Event, organisation):
    return PartnerCluster.objects.responsible_for(event.programme, organisation)


@transaction.atomic
def register(
    actor,
    event: Event,
    organisation,
    *,
    role: str = Registration.Role.LOCAL,
    profile: str = "",
    opportunities=(),
    person=None,
    answers: dict | None = None,
    participant_type=None,
    user=None,
    check_permission: bool = True,
) -> Registration:
    """Register for the event: validated at once (automatic validation), or waiting for the organiser;
    on the waiting list when the event is full. `answers` (question id → answer) are checked first:
    a participant registering themselves must answer the required questions and choose a
    participant type when the event has types (`questions.clean_answers`)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if check_permission:
        require(actor, "events.register", event)
        if organisation.pk not in roles_of(actor).organisation_ids:
            raise PermissionDenied(_("You can only register for an organisation you belong to."))
        if not event.registration_open:
            raise Refused(_("Registration for this event is closed."))
    # The participant registers themselves; an organiser's import may name the participant's account.
    user = actor if check_permission and actor.is_authenticated else user
    existing = event.registrations.filter(organisation=organisation, user=user).first() if user else None
    if existing is not None and existing.status != Registration.Status.CANCELLED:
        raise Refused(
            _("You are already registered for this event (%(status)s).")
            % {"status": existing.get_status_display()}
        )
    cleaned_answers = clean_answers(event, answers or {}, require_all=check_permission)
    check_type(event, participant_type, required=check_permission)
    if person is None and user is not None:
        person = getattr(user, "person", None)
    registration = existing or Registration(event=event, organisation=organisation, user=user)
    registration.participant_type = participant_type
    registration.person = person
    registration.role = role
    registration.profile = profile
    registration.partner = _partner_for(event, organisation)
    registration.status = _admitted_status(event) if has_room(event) else Registration.Status.WAITING
    if registration.status == Registration.Status.VALIDATED:
        registration.decided_at = timezone.now()
        _grant_support(registration)
    registration.full_clean(exclude=["calendar_token"])
    registration.save()
    own = [o for o in opportunities if o.organisation_id == organisation.pk]
    registration.opportunities.set(own)
    save_answers(registration, cleaned_answers)
    if user is not None:
        forget_registration(user)
    audit.record(actor, "events.registration.create", registration, to_state=registration.status)
    notify(event, [registration], REGISTRATION, {"status": Registration.Status(registration.status).label})
    return registration


def _grant_support(registration: Registration) -> None:
    support = registration.event.support_per_delegate_eur or Decimal(0)
    if registration.role == Registration.Role.DELEGATE and support > 0 and registration.support_eur is None:
        registration.support_eur = support


def _lock_registration(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation", "user", "person")
        .get(pk=registration.pk)
    )


@transaction.atomic
def decide_registration(actor, registration: Registration, validate: bool, reason: str = "") -> Registration:
    registration = _lock_registration(registration)
    require(actor, "events.decide_registration", registration)
    allowed = {Registration.Status.REGISTERED, Registration.Status.WAITING}
    if validate:
        allowed.add(Registration.Status.REJECTED)
    else:
        allowed.add(Registration.Status.VALIDATED)
    if registration.status not in allowed:
        raise Refused(
            _("This registration is “%(status)s”: it cannot be %(what)s now.")
            % {
                "status": registration.get_status_display(),
                "what": _("validated") if validate else _("rejected"),
            }
        )
    if not validate and not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason for the rejection; the participant will read it.")}
        )
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    from_state = registration.status
    if (
        validate
        and from_state in {Registration.Status.WAITING, Registration.Status.REJECTED}
        and not has_room(event)
    ):
        raise Refused(_("The event is full: raise its capacity or wait for a place to free up."))
    registration.status = Registration.Status.VALIDATED if validate else Registration.Status.REJECTED
    registration.reason = reason
    registration.decided_at = timezone.now()
    if validate:
        _grant_support(registration)
    registration.save()
    audit.record(
        actor,
        "events.registration.decide",
        registration,
        from_state=from_state,
        to_state=registration.status,
        comment=reason,
    )
    if not validate:
        _cancel_requests_of(actor, registration)
        if from_state in PLACE_TAKING:
            _promote_waiting(actor, event)
    notify(
        event,
        [registration],
        REGISTRATION,
        {"status": Registration.Status(registration.status).label},
        reason,
    )
    return registration


@transaction.atomic
def cancel_registration(actor, registration: Registration) -> Registration:
    registration = _lock_registration(registration)
    require(actor, "events.change_registration", registration)
    if registration.status in {Registration.Status.CANCELLED, Registration.Status.REJECTED}:
        raise Refused(
            _("This registration is already “%(status)s”.") % {"status": registration.get_status_display()}
        )
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    from_state = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    if registration.user_id:
        forget_registration(registration.user)
    audit.record(
        actor, "events.registration.cancel", registration, from_state=from_state, to_state=registration.status
    )
    _cancel_requests_of(actor, registration)
    if from_state in PLACE_TAKING:
        _promote_waiting(actor, event)
    return registration


def _promote_waiting(actor, event: Event) -> Registration | None:
    """Give a freed place to the first registration on the waiting list."""
    if not has_room(event):
        return None
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "pk").first()
    )
    if waiting is None:
        return None
    waiting.status = _admitted_status(event)
    if waiting.status == Registration.Status.VALIDATED:
        waiting.decided_at = timezone.now()
        _grant_support(waiting)
    waiting.save()
    audit.record(actor, "events.registration.promote", waiting, from_state="waiting", to_state=waiting.status)
    notify(event, [waiting], PLACE_FREE)
    return waiting


def _cancel_requests_of(actor, registration: Registration) -> None:
    """A participant who leaves takes their requests and meetings with them; others are told."""
    requests = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration), status__in=OPEN_REQUESTS
    ).select_related("requester__user", "recipient__user", "requester__person", "recipient__person")
    for meeting_request in requests:
        _close_request(actor, meeting_request, MeetingRequest.Status.CANCELLED)


@transaction.atomic
def set_availability(
    actor, registration: Registration, unavailable_sessions, meeting_cap: int | None
) -> Registration:
    registration = _lock_registration(registration)
    require(actor, "events.change_registration", registration)
    sessions = list(unavailable_sessions)
    if any(session.event_id != registration.event_id for session in sessions):
        raise ValidationError({"unavailable_sessions": _("Choose sessions of this event.")})
    all_sessions = set(registration.event.sessions.values_list("pk", flat=True))
    if all_sessions and all_sessions <= {session.pk for session in sessions}:
        raise ValidationError(
            {
                "unavailable_sessions": _(
                    "You would be available in no session at all: keep at least one session free for meetings."
                )
            }
        )
    if meeting_cap is not None and meeting_cap < 1:
        raise ValidationError(
            {"meeting_cap": _("Allow at least one meeting, or leave empty for the event's limit.")}
        )
    event_cap = registration.event.meeting_cap
    if meeting_cap is not None and meeting_cap > event_cap:
        # The organiser's limit holds for everybody: a participant can only lower their own.
        raise ValidationError(
            {
                "meeting_cap": _("The event allows at most %(cap)d meetings per participant.")
                % {"cap": event_cap}
            }
        )
    registration.meeting_cap = meeting_cap
    registration.save(update_fields=["meeting_cap"])
    registration.unavailable_sessions.set(sessions)
    audit.record(
        actor,
        "events.registration.availability",
        registration,
        changes={
            "unavailable": [s.name + " " + s.date.isoformat() for s in sessions],
            "cap": str(meeting_cap),
        },
    )
    return registration


@transaction.atomic
def link_exchange(actor, registration: Registration, reference: str) -> Registration:
    """Record a delegate's trip as a ClusterXchange exchange (with its grant) of the same programme."""

    registration = _lock_registration(registration)
    require(actor, "events.decide_registration", registration)
    if not reference.strip():
        registration.exchange = None
        registration.save(update_fields=["exchange"])
        audit.record(actor, "events.registration.unlink_exchange", registration)
        return registration
    if (
        registration.role != Registration.Role.DELEGATE
        or registration.status != Registration.Status.VALIDATED
    ):
        raise Refused(_("Only a validated travelling delegate's trip can be recorded as an exchange."))
    exchange = Exchange.objects.filter(reference=reference.strip().upper()).first()
    event = registration.event
    if exchange is None:
        raise ValidationError(
            {"exchange": _("There is no exchange %(reference)s.") % {"reference": reference}}
        )
    errors = []
    if exchange.programme_id != event.programme_id:
        errors.append(_("The exchange belongs to another programme."))
    if exchange.visitor_organisation_id != registration.organisation_id:
        errors.append(
            _("The exchange's visitor is %(name)s, not the delegate's organisation.")
            % {"name": exchange.visitor_organisation}
        )
    if exchange.start_date > event.end_date or exchange.end_date < event.start_date:
        errors.append(_("The exchange's dates do not overlap the event's."))
    if errors:
        raise ValidationError({"exchange": errors})
    registration.exchange = exchange
    if exchange.grant_amount_eur is not None:
        registration.support_eur = exchange.grant_amount_eur
    registration.save(update_fields=["exchange", "support_eur"])
    audit.record(actor, "events.registration.link_exchange", registration, comment=exchange.reference)
    return registration


@transaction.atomic
def record_learnings(actor, registration: Registration, learnings: str, actions: str) -> Registration:
    registration = _lock_registration(registration)
    require(actor, "events.change_registration", registration)
    if registration.status != Registration.Status.VALIDATED:
        raise Refused(_("Only validated attendees record learnings."))
    registration.learnings, registration.actions = learnings, actions
    registration.save(update_fields=["learnings", "actions"])
    audit.record(actor, "events.registration.learnings", registration)
    return registration


# Meeting requests --------------------------------------------------------------------------------


def active_meeting_count(registration: Registration) -> int:
    return Meeting.objects.filter(
        Q(first=registration) | Q(second=registration), status=Meeting.Status.ACTIVE
    ).count()


def _check_cap(registration: Registration) -> None:
    if active_meeting_count(registration) >= registration.cap:
        raise Refused(
            _("%(name)s has reached the limit of %(cap)d meetings.")
            % {"name": registration.display_name, "cap": registration.cap}
        )


@transaction.atomic
def request_meeting(
    actor,
    requester: Registration,
    recipient: Registration,
    message: str = "",
    must_meet: bool = False,
    suggested: bool = False,
) -> MeetingRequest:
    event = Event.objects.select_for_update().get(pk=requester.event_id)
    fresh = Registration.objects.select_related("organisation", "event", "participant_type").in_bulk(
        [requester.pk, recipient.pk]
    )
    requester, recipient = fresh[requester.pk], fresh[recipient.pk]
    require(actor, "events.change_registration", requester)
    if requester.status != Registration.Status.VALIDATED:
        raise Refused(_("Your registration must be validated before you can request meetings."))
    if recipient.event_id != requester.event_id:
        raise ValidationError({"recipient": _("This participant is not registered for this event.")})
    if recipient.pk == requester.pk:
        raise ValidationError({"recipient": _("You cannot request a meeting with yourself.")})
    if recipient.organisation_id == requester.organisation_id:
        raise ValidationError({"recipient": _("You cannot request a meeting with your own organisation.")})
    if recipient.status == Registration.Status.REJECTED:
        raise ValidationError(
            {
                "recipient": _("%(name)s's registration was rejected: no meetings can be requested.")
                % {"name": recipient.display_name}
            }
        )
    if recipient.status != Registration.Status.VALIDATED:
        raise ValidationError(
            {
                "recipient": _("%(name)s is not a validated participant (%(status)s).")
                % {"name": recipient.display_name, "status": recipient.get_status_display()}
            }
        )
    duplicate = MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        status__in=OPEN_REQUESTS,
    ).first()
    if duplicate is not None:
        raise ValidationError(
            {
                "recipient": _("There is already a request between you and %(name)s (%(status)s).")
                % {"name": recipient.display_name, "status": duplicate.get_status_display()}
            }
        )
    refusal = pair_refusal(requester, recipient)
    if refusal:
        raise Refused(refusal)
    _check_cap(requester)
    now = timezone.now()
    meeting_request = MeetingRequest(
        event=event,
        requester=requester,
        recipient=recipient,
        message=message.strip(),
        must_meet=must_meet,
        suggested=suggested,
        expires_at=now + timedelta(days=event.request_expiry_days),
    )
    meeting_request.full_clean()
    meeting_request.save()
    audit.record(actor, "events.request.create", meeting_request, to_state=meeting_request.status)
    if event.acceptance == Event.Acceptance.AUTO:
        _check_cap(recipient)
        _accept(actor, meeting_request)
        notify(event, [recipient], NEW_MEETING, {"name": requester.display_name}, message)
    else:
        notify(event, [recipient], MEETING_REQUEST, {"name": requester.display_name}, message)
    return meeting_request


def _accept(actor, meeting_request: MeetingRequest) -> Meeting:
    meeting_request.status = MeetingRequest.Status.ACCEPTED
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "answered_at"])
    meeting, _created = Meeting.objects.update_or_create(
        request=meeting_request,
        defaults={
            "event_id": meeting_request.event_id,
            "first_id": meeting_request.requester_id,
            "second_id": meeting_request.recipient_id,
            "must_meet": meeting_request.must_meet,
            "status": Meeting.Status.ACTIVE,
        },
    )
    audit.record(actor, "events.request.accept", meeting_request, from_state="pending", to_state="accepted")
    _record_outcome(meeting_request.recipient, meeting_request.requester, "accepted", "meeting request")
    return meeting


def _lock_request(meeting_request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related(
            "event",
            "requester__organisation",
            "recipient__organisation",
            "requester__user",
            "recipient__user",
        )
        .get(pk=meeting_request.pk)
    )


def respond(actor, meeting_request: MeetingRequest, accept: bool) -> MeetingRequest:
    """Accept or decline (the recipient); an expired request is marked expired and refused."""
    with transaction.atomic():
        meeting_request = _lock_request(meeting_request)
        require(actor, "events.change_registration", meeting_request.recipient)
        if meeting_request.status != MeetingRequest.Status.PENDING:
            raise Refused(
                _("This request is “%(status)s”: it can no longer be answered.")
                % {"status": meeting_request.get_status_display()}
            )
        expired = meeting_request.expires_at is not None and meeting_request.expires_at < timezone.now()
        if expired:
            meeting_request.status = MeetingRequest.Status.EXPIRED
            meeting_request.save(update_fields=["status"])
            audit.record(
                actor, "events.request.expire", meeting_request, from_state="pending", to_state="expired"
            )
        else:
            _answer(actor, meeting_request, accept)
            return meeting_request
    raise Refused(
        _("This request expired on %(date)s.")
        % {
            "date": date_format(
                timezone.localtime(meeting_request.expires_at, meeting_request.event.tz),
                "SHORT_DATETIME_FORMAT",
            )
        }
    )


def _answer(actor, meeting_request: MeetingRequest, accept: bool) -> None:
    if accept:
        if meeting_request.requester.status != Registration.Status.VALIDATED:
            raise Refused(
                _("%(name)s no longer takes part.") % {"name": meeting_request.requester.display_name}
            )
        refusal = pair_refusal(meeting_request.requester, meeting_request.recipient)
        if refusal:
            raise Refused(refusal)
        _check_cap(meeting_request.recipient)
        _check_cap(meeting_request.requester)
        _accept(actor, meeting_request)
        answer = REQUEST_ACCEPTED
    else:
        meeting_request.status = MeetingRequest.Status.DECLINED
        meeting_request.answered_at = timezone.now()
        meeting_request.save(update_fields=["status", "answered_at"])
        audit.record(
            actor, "events.request.decline", meeting_request, from_state="pending", to_state="declined"
        )
        _record_outcome(meeting_request.recipient, meeting_request.requester, "declined", "meeting request")
        answer = REQUEST_DECLINED
    notify(
        meeting_request.event,
        [meeting_request.requester],
        answer,
        {"name": meeting_request.recipient.display_name},
    )


def _close_request(actor, meeting_request: MeetingRequest, status: str) -> None:
    from_state = meeting_request.status
    meeting_request.status = status
    meeting_request.save(update_fields=["status"])
    meeting = Meeting.objects.filter(request=meeting_request, status=Meeting.Status.ACTIVE).first()
    if meeting is not None:
        was_published = meeting.is_published
        meeting.status = Meeting.Status.CANCELLED
        meeting.locked = False
        meeting.slot = meeting.table = None
        meeting.save(update_fields=["status", "locked", "slot", "table"])
        if was_published:
            notify(
                meeting_request.event,
                [meeting_request.requester, meeting_request.recipient],
                MEETING_CANCELLED,
                {"a": meeting_request.requester.display_name, "b": meeting_request.recipient.display_name},
            )
    audit.record(actor, "events.request.close", meeting_request, from_state=from_state, to_state=status)


@transaction.atomic
def cancel_request(actor, meeting_request: MeetingRequest) -> MeetingRequest:
    meeting_request = _lock_request(meeting_request)
    if not (
        actor.has_perm("events.change_registration", meeting_request.requester)
        or actor.has_perm("events.change_registration", meeting_request.recipient)
    ):
        raise PermissionDenied(_("You are not a party to this request."))
    if meeting_request.status not in OPEN_REQUESTS:
        raise Refused(
            _("This request is already “%(status)s”.") % {"status": meeting_request.get_status_display()}
        )
    _close_request(actor, meeting_request, MeetingRequest.Status.CANCELLED)
    return meeting_request


def expire_requests(now: datetime | None = None) -> int:
    """Mark pending requests past their expiry as expired (a periodic task calls this)."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires_at__lt=now).update(
        status=MeetingRequest.Status.EXPIRED
    )


def remind_pending(now: datetime | None = None) -> int:
    """Remind recipients once of requests that expire within a day."""
    now = now or timezone.now()
    due = MeetingRequest.objects.filter(
        status=MeetingRequest.Status.PENDING,
        reminded_at__isnull=True,
        expires_at__gte=now,
        expires_at__lt=now + timedelta(days=1),
    ).select_related("event", "recipient__user", "recipient__person", "requester__organisation")
    count = 0
    for meeting_request in due:
        values = {"name": meeting_request.requester.display_name, "event": meeting_request.event.title}
        with transaction.atomic():
            notify(
                meeting_request.event, [meeting_request.recipient], REQUEST_REMINDER, values, kind="reminders"
            )
            MeetingRequest.objects.filter(pk=meeting_request.pk).update(reminded_at=now)
        count += 1
    return count


# The time grid -----------------------------------------------------------------------------------


def slot_times(session: Session, tz) -> list[tuple[datetime, datetime]]:
    """The session's meeting slots: consecutive meetings with the pause between them, skipping the break."""
    start = datetime.combine(session.date, session.start_time)
    end = datetime.combine(session.date, session.end_time)
    break_start = datetime.combine(session.date, session.break_start) if session.break_start else None
    break_end = datetime.combine(session.date, session.break_end) if session.break_end else None
    length, gap = timedelta(minutes=session.slot_minutes), timedelta(minutes=session.gap_minutes)
    slots, cursor = [], start
    while cursor + length <= end:
        finish = cursor + length
        if break_start and break_end and cursor < break_end and finish > break_start:
            cursor = break_end
            continue
        slots.append((timezone.make_aware(cursor, tz), timezone.make_aware(finish, tz)))
        cursor = finish + gap
    return slots


def _validate_session(event: Event, session: Session) -> None:
    errors = {}
    if session.date and not event.start_date <= session.date <= event.end_date:
        errors["date"] = _("The day must be between the event's first and last day.")
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        errors["end_time"] = _("A session must end after it starts.")
    if (session.break_start is None) != (session.break_end is None):
        errors["break_end"] = _("Give both the start and the end of the break, or neither.")
    elif session.break_start and session.break_end:
        if session.break_end <= session.break_start:
            errors["break_end"] = _("The break must end after it starts.")
        elif (
            session.start_time
            and session.end_time
            and not (session.start_time <= session.break_start and session.break_end <= session.end_time)
        ):
            errors["break_start"] = _("The break must lie inside the session.")
    if errors:
        raise ValidationError(errors)
    overlapping = (
        event.sessions.filter(
            date=session.date, start_time__lt=session.end_time, end_time__gt=session.start_time
        )
        .exclude(pk=session.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start_time": _("This session overlaps “%(name)s” (%(start)s–%(end)s) on the same day.")
                % {
                    "name": overlapping.name,
                    "start": overlapping.start_time.strftime("%H:%M"),
                    "end": overlapping.end_time.strftime("%H:%M"),
                }
            }
        )
    if not slot_times(session, event.tz):
        raise ValidationError({"end_time": _("The session is too short for a single meeting.")})


@transaction.atomic
def add_session(actor, event: Event, fields: dict) -> Session:
    require(actor, "events.schedule", event)
    Event.objects.select_for_update().get(pk=event.pk)
    session = Session(event=event)
    apply_fields(session, fields, SESSION_FIELDS)
    _validate_session(event, session)
    session.full_clean()
    session.save()
    Slot.objects.bulk_create(
        [Slot(session=session, starts_at=start, ends_at=end) for start, end in slot_times(session, event.tz)]
    )
    audit.record(actor, "events.session.create", event, comment=str(session))
    return session


@transaction.atomic
def remove_session(actor, session: Session) -> None:
    event = session.event
    require(actor, "events.schedule", event)
    kept = Meeting.objects.filter(slot__session=session, status=Meeting.Status.ACTIVE).filter(
        Q(locked=True) | Q(published_slot__isnull=False)
    )
    if kept.exists():
        raise Refused(
            _("Locked or published meetings take place in this session: unlock or move them first.")
        )
    Meeting.objects.filter(slot__session=session).update(slot=None, table=None)
    audit.record(actor, "events.session.delete", event, comment=str(session))
    session.delete()


@transaction.atomic
def set_table_count(actor, event: Event, count: int) -> list[Table]:
    require(actor, "events.schedule", event)
    if count is None or count < 1:
        raise ValidationError({"count": _("An event needs at least one table.")})
    Event.objects.select_for_update().get(pk=event.pk)
    existing = list(event.tables.order_by("number"))
    if count < len(existing):
        dropped = existing[count:]
        kept = Meeting.objects.filter(table__in=dropped, status=Meeting.Status.ACTIVE).filter(
            Q(locked=True) | Q(published_slot__isnull=False)
        )
        if kept.exists():
            raise Refused(_("Locked or published meetings use the tables you would remove."))
        Meeting.objects.filter(table__in=dropped).update(slot=None, table=None)
        Table.objects.filter(pk__in=[t.pk for t in dropped]).delete()
    else:
        Table.objects.bulk_create([Table(event=event, number=n) for n in range(len(existing) + 1, count + 1)])
    audit.record(actor, "events.tables.count", event, changes={"tables": [str(len(existing)), str(count)]})
    return list(event.tables.order_by("number"))


@transaction.atomic
def assign_table(actor, table: Table, owner: Registration | None, label: str = "") -> Table:
    require(actor, "events.schedule", table.event)
    if owner is not None and (
        owner.event_id != table.event_id or owner.status != Registration.Status.VALIDATED
    ):
        raise ValidationError({"owner": _("Choose a validated participant of this event.")})
    table.owner = owner
    table.label = label
    table.full_clean()
    table.save()
    audit.record(actor, "events.table.assign", table.event, comment=f"{table.number}: {owner or '-'}")
    return table


@transaction.atomic
def lock_meeting(actor, meeting: Meeting, locked: bool) -> Meeting:
    require(actor, "events.schedule", meeting.event)
    if locked and meeting.slot_id is None:
        raise Refused(_("Only a scheduled meeting can be locked."))
    meeting.locked = locked
    meeting.save(update_fields=["locked"])
    audit.record(actor, "events.meeting.lock" if locked else "events.meeting.unlock", meeting)
    return meeting


@transaction.atomic
def publish_agenda(actor, event: Event, final: bool) -> int:
    """Publish the scheduled meetings; only participants whose agenda changed are notified."""
    require(actor, "events.schedule", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not final and event.agenda == Event.Agenda.FINAL:
        raise Refused(
            _("The final agenda is already published; publish the final agenda again after changes.")
        )
    meetings = list(
        event.meetings.filter(status=Meeting.Status.ACTIVE).select_related(
            "first__user", "second__user", "first__person", "second__person"
        )
    )
    if not any(meeting.slot_id for meeting in meetings):
        raise Refused(_("No meeting is scheduled yet: run the scheduler first."))
    dropped = [
        meeting for meeting in meetings if meeting.slot_id is None and meeting.published_slot_id is not None
    ]
    if dropped:
        raise Refused(
            _(
                "%(count)d meetings of the published agenda are no longer scheduled (%(names)s): "
                "schedule them again, or cancel them so that the participants are told."
            )
            % {"count": len(dropped), "names": "; ".join(str(meeting) for meeting in dropped[:5])}
        )
    changed: dict[int, Registration] = {}
    moved = []
    for meeting in meetings:
        if (meeting.slot_id, meeting.table_id) != (meeting.published_slot_id, meeting.published_table_id):
            changed[meeting.first_id] = meeting.first
            changed[meeting.second_id] = meeting.second
            meeting.published_slot_id, meeting.published_table_id = meeting.slot_id, meeting.table_id
            moved.append(meeting)

    write_places(moved, ["published_slot_id", "published_table_id"])
    from_state = event.agenda
    event.agenda = Event.Agenda.FINAL if final else Event.Agenda.PRELIMINARY
    event.agenda_published_at = timezone.now()
    event.save(update_fields=["agenda", "agenda_published_at"])
    audit.record(
        actor,
        "events.agenda.publish",
        event,
        from_state=from_state,
        to_state=event.agenda,
        changes={"changed": str(len(changed))},
    )

    return notify(
        event,
        changed.values(),
        AGENDA_PUBLISHED,
        {"kind": lowered(Event.Agenda(event.agenda).label)},
        path=reverse("events:agenda", args=[event.slug]),
    )


# Follow-up ---------------------------------------------------------------------------------------


@transaction.atomic
def record_feedback(actor, meeting: Meeting, registration: Registration, fields: dict) -> MeetingFeedback:
    require(actor, "events.change_registration", registration)
    if registration.pk not in (meeting.first_id, meeting.second_id):
        raise PermissionDenied(_("You did not take part in this meeting."))
    if meeting.status != Meeting.Status.ACTIVE:
        raise Refused(_("This meeting was cancelled."))
    reason = feedback_too_early(meeting)
    if reason:
        raise Refused(reason)
    if fields.get("took_place") is False:
        fields = {**fields, "usefulness": None, "follow_up": False}
    feedback, _created = MeetingFeedback.objects.get_or_create(
        meeting=meeting, registration=registration, defaults={"took_place": bool(fields.get("took_place"))}
    )
    apply_fields(feedback, fields, FEEDBACK_FIELDS)
    feedback.full_clean()
    feedback.save()
    audit.record(actor, "events.meeting.feedback", meeting)
    if feedback.usefulness:
        other = meeting.second if registration.pk == meeting.first_id else meeting.first
        _record_outcome(
            registration, other, "meeting_feedback", "meeting feedback", rating=feedback.usefulness
        )
    return feedback


def _record_outcome(
    asking: Registration, candidate: Registration, kind: str, source: str, rating=None
) -> None:
    """What the matching engine learns from: who accepted or declined whom, and how useful meetings were."""
    if (
        asking.organisation_id
        and candidate.organisation_id
        and asking.organisation_id != candidate.organisation_id
    ):
        record_outcome(
            MatchingUse.EVENT_MEETING,
            asking.organisation,
            candidate.organisation,
            kind,
            rating=rating,
            source=source,
        )
