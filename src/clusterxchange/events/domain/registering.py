"""Registrations: registering (validated at once or waiting for the organiser, on the waiting
list when full), the organiser's decision, cancelling (the first on the waiting list moves up),
availability, the exchange a registration led to and what was learned.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.roles import roles_of
from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import Event, Registration
from clusterxchange.events.notifications import PLACE_FREE, REGISTRATION, notify
from clusterxchange.events.questions import check_type, clean_answers, save_answers
from clusterxchange.events.rules import forget_registration
from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import PartnerCluster

PLACE_TAKING = [Registration.Status.REGISTERED, Registration.Status.VALIDATED]


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
        matchmaking.cancel_requests_of(actor, registration)
        if from_state in PLACE_TAKING:
            promote_waiting(actor, event)
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
    matchmaking.cancel_requests_of(actor, registration)
    if from_state in PLACE_TAKING:
        promote_waiting(actor, event)
    return registration


def promote_waiting(actor, event: Event) -> Registration | None:
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
