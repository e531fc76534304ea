"""Organisers acting for participants (issue #18 points 2 and 3): register someone, request, book,
move and cancel a meeting on their behalf.

Each action is the participants' usual one (`events/domain/`) done by the organiser, so the same limits
and refusals hold; the audit trail names the organiser as the actor and says on whose behalf
("on behalf of …" in the entry's comment), and the participants are emailed in their own language.
Moving a meeting on the grid is here too: it is the organiser's change of the participants' agenda.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.texts import sentence
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration, Slot, Table
from clusterxchange.events.notifications import MEETING_CANCELLED_BY_ORGANISERS, MEETING_MOVED, notify

PERMISSION = "events.act_for_participants"
SEARCH_LIMIT = 20  # organisations found by name on the "register someone" page


def on_behalf_of(*registrations: Registration) -> str:
    """The audit comment naming the participants an organiser acted for (stored, so not translated)."""
    return "on behalf of " + " and ".join(name_of(r) for r in registrations)


def name_of(registration: Registration) -> str:
    """The person and their organisation, or the organisation alone."""
    person = registration.person_name
    return f"{person} ({registration.display_name})" if person else registration.display_name


def _when(event: Event, slot: Slot):
    """The slot's start in the event's zone, formatted in the reader's language when rendered."""
    return lazy(
        lambda: date_format(timezone.localtime(slot.starts_at, event.tz), "SHORT_DATETIME_FORMAT"), str
    )()


def _agenda(event: Event) -> str:
    return reverse("events:agenda", args=[event.slug])


# Registering someone -----------------------------------------------------------------------------


def register_participant(actor, event: Event, organisation, *, person=None, role: str = "") -> Registration:
    """Register an organisation (and one of its people) for the event as the organiser: the event's
    validation applies as for anyone, and the person is told by email. An organisation already
    registered with the same person (or without one) is refused."""
    require(actor, PERMISSION, event)
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError({"person": _("Choose a person of this organisation.")})
    existing = event.registrations.filter(organisation=organisation, person=person).exclude(
        status=Registration.Status.CANCELLED
    )
    if existing.exists():
        raise Refused(
            _("%(name)s is already registered for this event.") % {"name": person or organisation.name}
        )
    registration = registering.register(
        actor,
        event,
        organisation,
        role=role or Registration.Role.LOCAL,
        person=person,
        check_permission=False,
    )
    audit.record(
        actor,
        "events.registration.create_on_behalf",
        registration,
        to_state=registration.status,
        comment=on_behalf_of(registration),
    )
    return registration


# Requests and meetings ---------------------------------------------------------------------------


def _same_event(event: Event, *registrations: Registration) -> None:
    if any(r.event_id != event.pk for r in registrations):
        raise ValidationError({"participants": _("Choose two participants of this event.")})


@transaction.atomic
def request_meeting(actor, event: Event, requester: Registration, recipient: Registration, message: str = ""):
    """A meeting request from `requester` to `recipient`, sent by the organiser; the recipient answers
    it as usual (and is emailed as usual)."""
    require(actor, PERMISSION, event)
    _same_event(event, requester, recipient)
    meeting_request = matchmaking.request_meeting(actor, requester, recipient, message)
    audit.record(
        actor,
        "events.request.create_on_behalf",
        meeting_request,
        to_state=meeting_request.status,
        comment=on_behalf_of(requester),
    )
    return meeting_request


@transaction.atomic
def book_meeting(
    actor, event: Event, first: Registration, second: Registration, message: str = ""
) -> Meeting:
    """A meeting between `first` and `second`, accepted at once (the limits and refusals of a request
    hold: validated participants, other organisations, no open request between them, caps)."""
    require(actor, PERMISSION, event)
    _same_event(event, first, second)
    meeting_request = matchmaking.request_meeting(actor, first, second, message)
    if meeting_request.status == MeetingRequest.Status.PENDING:
        matchmaking.respond(actor, meeting_request, True)
    audit.record(
        actor,
        "events.meeting.book_on_behalf",
        meeting_request,
        to_state="accepted",
        comment=on_behalf_of(first, second),
    )
    return Meeting.objects.select_related("first__organisation", "second__organisation").get(
        request=meeting_request
    )


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "event",
            "slot",
            "table",
            "request",
            "first__organisation",
            "second__organisation",
            "first__user",
            "second__user",
            "first__person",
            "second__person",
        )
        .get(pk=meeting.pk)
    )


@transaction.atomic
def cancel_meeting(actor, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a meeting for its participants (one of them asked the organiser, or cannot come): the
    slot and table are freed and both are told, whether or not the agenda was published."""
    require(actor, PERMISSION, meeting.event)
    meeting = _locked_meeting(meeting)
    if meeting.status != Meeting.Status.ACTIVE:
        raise Refused(_("This meeting is already cancelled."))
    if meeting.attendance:
        raise Refused(
            _("This meeting is marked “%(mark)s”: clear the mark first.")
            % {"mark": meeting.get_attendance_display()}
        )
    slot = meeting.published_slot or meeting.slot
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()[:200]
    meeting.locked = False
    meeting.slot = meeting.table = None
    meeting.save(update_fields=["status", "cancel_reason", "locked", "slot", "table"])
    MeetingRequest.objects.filter(pk=meeting.request_id).update(status=MeetingRequest.Status.CANCELLED)
    audit.record(
        actor,
        "events.meeting.cancel_on_behalf",
        meeting,
        from_state="active",
        to_state="cancelled",
        comment=on_behalf_of(meeting.first, meeting.second),
    )
    event = meeting.event
    for registration in (meeting.first, meeting.second):
        notify(
            event,
            [registration],
            MEETING_CANCELLED_BY_ORGANISERS,
            {
                "name": meeting.other_party(registration).display_name,
                "time": _when(event, slot) if slot else "–",
            },
            comment=reason.strip(),
            path=_agenda(event),
        )
    return meeting


# Moving a meeting on the grid --------------------------------------------------------------------


def _clock(event: Event, slot: Slot) -> str:
    return timezone.localtime(slot.starts_at, event.tz).strftime("%H:%M")


def check_move(meeting: Meeting, slot: Slot, table: Table) -> None:
    """Why `meeting` cannot go to `slot` at `table`, as a `Refused`; nothing when it can. The rules are
    the scheduler's: one meeting per table and slot, each party in one meeting at a time, nobody in a
    session they said they cannot attend, an exhibitor's meetings at their own table, and nobody else
    at it; a locked meeting stays, and a meeting already begun or marked stays where it was held."""
    event = meeting.event
    now = timezone.now()
    if meeting.status != Meeting.Status.ACTIVE:
        raise Refused(_("This meeting was cancelled."))
    if meeting.locked:
        raise Refused(_("This meeting is locked: unlock it on the scheduling page to move it."))
    if meeting.attendance:
        raise Refused(
            _("This meeting is already marked “%(mark)s”.") % {"mark": meeting.get_attendance_display()}
        )
    if meeting.slot_id is not None and meeting.slot.starts_at <= now:
        raise Refused(
            _("This meeting has begun (%(time)s): it stays where it is.")
            % {"time": _clock(event, meeting.slot)}
        )
    if slot.session.event_id != event.pk or table.event_id != event.pk:
        raise ValidationError({"slot": _("Choose a time slot and a table of this event.")})
    if (meeting.slot_id, meeting.table_id) == (slot.pk, table.pk):
        raise Refused(
            _("The meeting is already at %(table)s at %(time)s.")
            % {"table": table, "time": _clock(event, slot)}
        )
    if slot.starts_at <= now:
        raise Refused(
            _("The slot at %(time)s has begun: choose a later one.") % {"time": _clock(event, slot)}
        )
    parties = (meeting.first, meeting.second)
    for party in parties:
        if party.status != Registration.Status.VALIDATED:
            raise Refused(
                _("%(name)s is not a validated participant (%(status)s).")
                % {"name": party.display_name, "status": party.get_status_display()}
            )
        if party.unavailable_sessions.filter(pk=slot.session_id).exists():
            raise Refused(
                _("%(name)s is not available in the session “%(session)s”.")
                % {"name": party.display_name, "session": slot.session.name}
            )
    occupant = (
        Meeting.objects.filter(slot=slot, table=table, status=Meeting.Status.ACTIVE)
        .exclude(pk=meeting.pk)
        .select_related("first__organisation", "second__organisation")
        .first()
    )
    if occupant is not None:
        raise Refused(
            _("%(table)s is taken at %(time)s (%(meeting)s).")
            % {"table": table, "time": _clock(event, slot), "meeting": occupant}
        )
    busy = (
        Meeting.objects.filter(slot=slot, status=Meeting.Status.ACTIVE)
        .filter(Q(first__in=parties) | Q(second__in=parties))
        .exclude(pk=meeting.pk)
        .first()
    )
    if busy is not None:
        party = next(p for p in parties if p.pk in (busy.first_id, busy.second_id))
        raise Refused(
            _("%(name)s already has a meeting at %(time)s.")
            % {"name": party.display_name, "time": _clock(event, slot)}
        )
    if table.owner_id is not None and table.owner_id not in (meeting.first_id, meeting.second_id):
        raise Refused(
            sentence(_("%(table)s is the own table of %(name)s."), table=table, name=table.owner.display_name)
        )
    hosts = list(Table.objects.filter(owner__in=parties).exclude(pk=table.pk))
    if hosts and table.owner_id is None:
        raise Refused(
            _("%(name)s receives every meeting at their own table (%(table)s).")
            % {"name": hosts[0].owner.display_name, "table": hosts[0]}
        )


@transaction.atomic
def move_meeting(actor, meeting: Meeting, slot: Slot, table: Table) -> Meeting:
    """Put a meeting at another slot and table (see `check_move` for the refusals). A meeting of the
    published agenda moves in the published agenda too and both participants are told, each in their
    language; a meeting not yet published just moves (they learn of it when the agenda is published)."""
    require(actor, "events.schedule", meeting.event)
    meeting = _locked_meeting(meeting)
    Event.objects.select_for_update().get(pk=meeting.event_id)  # one move at a time per event
    slot = Slot.objects.select_related("session").get(pk=slot.pk)
    table = Table.objects.select_related("owner").get(pk=table.pk)
    check_move(meeting, slot, table)
    before = {"slot": meeting.slot, "table": meeting.table}
    published = meeting.is_published
    meeting.slot, meeting.table, meeting.scheduler_note = slot, table, {}
    fields = ["slot", "table", "scheduler_note"]
    if published:
        meeting.published_slot, meeting.published_table = slot, table
        fields += ["published_slot", "published_table"]
    meeting.save(update_fields=fields)
    audit.record(
        actor,
        "events.meeting.move",
        meeting,
        changes=audit.field_changes(before, {"slot": slot, "table": table}),
        comment=on_behalf_of(meeting.first, meeting.second),
    )
    if published:
        event = meeting.event
        for registration in (meeting.first, meeting.second):
            notify(
                event,
                [registration],
                MEETING_MOVED,
                {
                    "name": meeting.other_party(registration).display_name,
                    "time": _when(event, slot),
                    "table": lazy(table.__str__, str)(),
                },
                path=_agenda(event),
            )
    return meeting


def move_targets(
    meeting: Meeting, slots: list[Slot], tables: list[Table], cells: dict
) -> set[tuple[int, int]]:
    """The free (slot, table) cells among `slots` × `tables` where `meeting` may go, by the rules of
    `check_move` (the grid offers only these; `move_meeting` checks again)."""
    now = timezone.now()
    if meeting.status != Meeting.Status.ACTIVE or meeting.locked or meeting.attendance:
        return set()
    if meeting.slot_id is not None and meeting.slot.starts_at <= now:
        return set()
    parties = [meeting.first_id, meeting.second_id]
    busy = set(
        Meeting.objects.filter(status=Meeting.Status.ACTIVE, slot__in=slots)
        .filter(Q(first__in=parties) | Q(second__in=parties))
        .exclude(pk=meeting.pk)
        .values_list("slot_id", flat=True)
    )
    away = set(
        Registration.unavailable_sessions.through.objects.filter(registration_id__in=parties).values_list(
            "session_id", flat=True
        )
    )
    hosts = set(Table.objects.filter(owner__in=parties).values_list("pk", flat=True))
    free_slots = [s.pk for s in slots if s.starts_at > now and s.pk not in busy and s.session_id not in away]
    free_tables = [
        t.pk for t in tables if (t.pk in hosts if hosts else t.owner_id is None or t.owner_id in parties)
    ]
    return {
        (slot, table)
        for slot in free_slots
        for table in free_tables
        if (slot, table) not in cells and (slot, table) != (meeting.slot_id, meeting.table_id)
    }
