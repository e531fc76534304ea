"""B2B meetings: requests (within each participant's cap), answers, cancellations, expiry and
reminders of requests left unanswered, and the feedback after a meeting (its outcome feeds the
matching).
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, apply_fields, require
from clusterxchange.directory.matching import record_outcome
from clusterxchange.engines.matching import MatchingUse
from clusterxchange.events.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration
from clusterxchange.events.notifications import (
    MEETING_CANCELLED,
    MEETING_REQUEST,
    NEW_MEETING,
    REQUEST_ACCEPTED,
    REQUEST_DECLINED,
    REQUEST_REMINDER,
    notify,
)
from clusterxchange.events.questions import pair_refusal
from clusterxchange.events.timing import feedback_too_early

FEEDBACK_FIELDS = ["took_place", "usefulness", "follow_up", "testimonial", "publish_consent"]


OPEN_REQUESTS = [MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]


def cancel_requests_of(actor, registration: Registration) -> None:
    """A participant who leaves takes their requests and meetings with them; others are told."""
    requests = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration), status__in=OPEN_REQUESTS
    ).select_related("requester__user", "recipient__user", "requester__person", "recipient__person")
    for meeting_request in requests:
        _close_request(actor, meeting_request, MeetingRequest.Status.CANCELLED)


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
