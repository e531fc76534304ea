"""The event day: its staff, check-in of participants, release of absent participants' meetings, and
attendance of meetings (the organiser's or staff's mark, a participant's no-show report).

Actions here change state like those of `domain.py`: permission first (`rules.py`), validation,
one transaction, an audit entry, emails after the commit. The read functions (`search`, `counts`)
serve the check-in page and the API alike.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.addresses import address_in
from clusterxchange.core.domain import Refused, require
from clusterxchange.events.badges import read_badge
from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration
from clusterxchange.events.notifications import PARTNER_ABSENT, STAFF_ADDED, notify, notify_users
from clusterxchange.events.timing import meeting_starts_at

ABSENT = "absent"
SEARCH_LIMIT = 20


# Staff -------------------------------------------------------------------------------------------


@transaction.atomic
def add_staff(actor, event: Event, email: str):
    """Make a person with an account staff of the event day (they check in and mark attendance with
    their own login, nothing else an organiser does); they are told by email."""
    require(actor, "events.change_event", event)
    email = email.strip()
    user = (
        get_user_model().objects.filter(address_in("email", [email]), is_active=True).first()
        if email
        else None
    )
    if user is None:
        raise ValidationError(
            {"email": _("Nobody has an account with this email address: invite them to the platform first.")}
        )
    if event.staff.filter(pk=user.pk).exists():
        raise ValidationError({"email": _("%(email)s is already on the staff.") % {"email": user.email}})
    event.staff.add(user)
    audit.record(actor, "events.staff.add", event, comment=user.email)
    notify_users(event, [user], STAFF_ADDED, path=reverse("events:checkin", args=[event.slug]))
    return user


@transaction.atomic
def remove_staff(actor, event: Event, user) -> None:
    require(actor, "events.change_event", event)
    if not event.staff.filter(pk=user.pk).exists():
        raise Refused(_("%(email)s is not on the staff.") % {"email": user.email})
    event.staff.remove(user)
    audit.record(actor, "events.staff.remove", event, comment=user.email)


def staff_of(event: Event):
    return event.staff.order_by("last_name", "first_name", "email")


# Check-in ----------------------------------------------------------------------------------------


def _clock(event: Event, moment) -> str:
    return timezone.localtime(moment, event.tz).strftime("%H:%M")


def _lock(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation", "person", "user")
        .get(pk=registration.pk)
    )


@transaction.atomic
def check_in(actor, event: Event, registration: Registration, *, via: str = "name") -> Registration:
    """Record the participant's arrival now; a second check-in is refused and changes nothing."""
    require(actor, "events.check_in", event)
    if registration.event_id != event.pk:
        raise Refused(_("This person is registered for another event."))
    registration = _lock(registration)
    name = registration.person_name or registration.organisation.name
    if registration.checked_in_at is not None:
        raise Refused(
            _("%(name)s is already checked in at %(time)s.")
            % {"name": name, "time": _clock(event, registration.checked_in_at)}
        )
    if registration.status != Registration.Status.VALIDATED:
        raise Refused(
            _("%(name)s's registration is “%(status)s”: only validated participants check in.")
            % {"name": name, "status": registration.get_status_display()}
        )
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(actor, "events.registration.check_in", registration, comment=via)
    return registration


def check_in_code(actor, event: Event, code: str) -> Registration:
    """Check in the holder of a badge whose QR code was scanned (or typed)."""
    require(actor, "events.check_in", event)
    return check_in(actor, event, read_badge(event, code), via="badge")


@transaction.atomic
def undo_check_in(actor, event: Event, registration: Registration) -> Registration:
    """Take back a check-in made by mistake (the wrong person in the list)."""
    require(actor, "events.check_in", event)
    if registration.event_id != event.pk:
        raise Refused(_("This person is registered for another event."))
    registration = _lock(registration)
    if registration.checked_in_at is None:
        raise Refused(_("This person is not checked in."))
    registration.checked_in_at = None
    registration.checked_in_by = None
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(actor, "events.registration.undo_check_in", registration)
    return registration


@dataclass(frozen=True)
class Counts:
    checked_in: int
    registered: int

    @property
    def percent(self) -> int:
        return round(100 * self.checked_in / self.registered) if self.registered else 0


def counts(event: Event) -> Counts:
    validated = event.registrations.filter(status=Registration.Status.VALIDATED)
    return Counts(
        checked_in=validated.filter(checked_in_at__isnull=False).count(), registered=validated.count()
    )


def search(event: Event, text: str, limit: int = SEARCH_LIMIT, *, validated_only: bool = False):
    """Participants whose person, user or organisation name contains every word typed (at most
    `limit`, validated first; only validated ones with `validated_only`); no words, no results."""
    words = text.split()[:5]
    if not words:
        return Registration.objects.none()
    found = event.registrations.exclude(status=Registration.Status.CANCELLED)
    if validated_only:
        found = found.filter(status=Registration.Status.VALIDATED)
    for word in words:
        found = found.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__istartswith=word)
        )
    return found.select_related("organisation", "person", "user", "checked_in_by").order_by(
        "organisation__name", "pk"
    )[:limit]


# Absent participants -----------------------------------------------------------------------------


def absent(event: Event):
    """Validated participants not checked in who still have active meetings."""
    with_meetings = Meeting.objects.filter(event=event, status=Meeting.Status.ACTIVE)
    ids = set(with_meetings.values_list("first_id", flat=True)) | set(
        with_meetings.values_list("second_id", flat=True)
    )
    return (
        event.registrations.filter(
            status=Registration.Status.VALIDATED, checked_in_at__isnull=True, pk__in=ids
        )
        .select_related("organisation", "person")
        .order_by("organisation__name", "pk")
    )


@transaction.atomic
def release_absent(actor, event: Event, registrations) -> int:
    """Cancel the meetings of participants who did not come (reason "absent"), free their slots and
    tables, and tell each partner by email. Returns the number of meetings released."""
    require(actor, "events.release_absent", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if timezone.localdate(timezone=event.tz) < event.start_date:
        raise Refused(_("The event has not begun: nobody can be absent yet."))
    chosen = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(pk__in=[r.pk for r in registrations])
        .select_related("organisation", "person", "user")
    )
    if not chosen:
        raise ValidationError({"registrations": _("Choose at least one absent participant.")})
    errors = []
    for registration in chosen:
        if registration.event_id != event.pk:
            errors.append(_("%(name)s is not a participant of this event.") % {"name": registration})
        elif registration.checked_in_at is not None:
            errors.append(
                _("%(name)s checked in at %(time)s: their meetings stay.")
                % {"name": registration.display_name, "time": _clock(event, registration.checked_in_at)}
            )
    if errors:
        raise Refused(" ".join(errors))
    ids = {r.pk for r in chosen}
    meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(event=event, status=Meeting.Status.ACTIVE)
        .filter(Q(first_id__in=ids) | Q(second_id__in=ids))
        .exclude(attendance=Meeting.Attendance.HELD)
        .select_related(
            "request",
            "slot",
            "published_slot",
            "first__organisation",
            "second__organisation",
            "first__user",
            "second__user",
            "first__person",
            "second__person",
        )
    )
    for meeting in meetings:
        absentee = meeting.first if meeting.first_id in ids else meeting.second
        partner = meeting.other_party(absentee)
        starts = meeting.published_slot or meeting.slot
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = ABSENT
        meeting.locked = False
        meeting.slot = meeting.table = None
        meeting.save(update_fields=["status", "cancel_reason", "locked", "slot", "table"])
        MeetingRequest.objects.filter(pk=meeting.request_id).update(status=MeetingRequest.Status.CANCELLED)
        audit.record(actor, "events.meeting.release_absent", meeting, to_state="cancelled", comment=ABSENT)
        if partner.pk not in ids:  # two absent parties: nobody to tell
            notify(
                event,
                [partner],
                PARTNER_ABSENT,
                {"name": absentee.display_name, "time": _clock(event, starts.starts_at) if starts else "–"},
                path=reverse("events:agenda", args=[event.slug]),
            )
    return len(meetings)


# Attendance --------------------------------------------------------------------------------------


@transaction.atomic
def mark_attendance(actor, meeting: Meeting, attendance: str) -> Meeting:
    """The organiser's (or the event staff's) mark: held, no-show, or "" to clear it. It overrides the
    participants' feedback in the "B2B meetings held" KPI."""
    require(actor, "events.mark_attendance", meeting.event)
    if attendance not in Meeting.Attendance.values:
        raise ValidationError({"attendance": _("Choose held, no-show or not marked.")})
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("event").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.ACTIVE:
        raise Refused(_("This meeting was cancelled."))
    if meeting.slot_id is None and meeting.published_slot_id is None:
        raise Refused(_("This meeting is not scheduled."))
    if attendance and timezone.now() < meeting_starts_at(meeting):
        raise Refused(
            _("The meeting has not started yet (%(time)s): mark it once it has begun.")
            % {"time": _clock(meeting.event, meeting_starts_at(meeting))}
        )
    before = meeting.attendance
    meeting.attendance = attendance
    meeting.attendance_by = actor if attendance else None
    meeting.attendance_at = timezone.now() if attendance else None
    meeting.save(update_fields=["attendance", "attendance_by", "attendance_at"])
    audit.record(actor, "events.meeting.attendance", meeting, from_state=before, to_state=attendance)
    return meeting


def grid_marks(event: Event) -> dict:
    """What the meeting grid needs to show and take attendance marks."""
    reported = set(
        MeetingFeedback.objects.filter(meeting__event=event, took_place=False).values_list(
            "meeting_id", flat=True
        )
    )
    return {"reported": reported, "now": timezone.now(), "attendance_choices": Meeting.Attendance.choices}


def report_no_show(actor, meeting: Meeting, registration: Registration) -> Meeting:
    """A participant says the other party did not come: their feedback becomes "did not take place"."""
    require(actor, "events.report_no_show", registration)
    if registration.pk not in (meeting.first_id, meeting.second_id):
        raise PermissionDenied(_("You did not take part in this meeting."))
    with transaction.atomic():
        matchmaking.record_feedback(actor, meeting, registration, {"took_place": False})
        audit.record(actor, "events.meeting.report_no_show", meeting, comment=str(registration.pk))
    return meeting
