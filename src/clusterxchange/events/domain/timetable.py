"""The meeting grid: sessions and their slots, tables and who owns them, locked meetings, and
publishing the agendas.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, apply_fields, require
from clusterxchange.core.texts import lowered
from clusterxchange.events.models import Event, Meeting, Registration, Session, Slot, Table
from clusterxchange.events.notifications import AGENDA_PUBLISHED, notify
from clusterxchange.events.scheduling import write_places

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
