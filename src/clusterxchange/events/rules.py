"""Who may see and do what with an event, in one place (pages, API and admin ask these).

- organiser: a manager of the host cluster, or a coordinator of the event's programme;
- participant: a user with a registration for the event (validated to use the marketplace);
- event staff: users the organisers named to help on the day (check-in, attendance marks);
- anyone reads a published event page and the list of events.
"""

from datetime import timedelta

import rules
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, refuse_with
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.roles import roles_of
from clusterxchange.events.models import Event, MeetingRequest, Registration
from clusterxchange.programmes.models import Programme


def visible_events(user):
    """The events the user may see: published ones, those they organise and those they staff."""
    roles = roles_of(user)
    seen = (
        Q(published=True)
        | Q(host_cluster_id__in=roles.managed_cluster_ids)
        | Q(programme_id__in=roles.coordinator_programme_ids)
    )
    if user.is_authenticated:
        seen |= Q(pk__in=Event.staff.through.objects.filter(user_id=user.pk).values("event_id"))
    return Event.objects.filter(seen)


def organised_events(user):
    """The events the user organises (`is_organiser`)."""
    roles = roles_of(user)
    return Event.objects.filter(
        Q(host_cluster_id__in=roles.managed_cluster_ids) | Q(programme_id__in=roles.coordinator_programme_ids)
    )


def events_held_today(user) -> list[tuple[Event, bool]]:
    """The events held today, in each event's own time zone, that the user works on (organises, or is on
    the day's staff) or takes part in (a validated registration), each with whether the user works on
    it: the home page's way to the day's pages (the check-in and the meeting grid, or the participant's
    agenda) in one tap."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    around_today = Q(start_date__lte=today + timedelta(days=1), end_date__gte=today - timedelta(days=1))
    working = set(organised_events(user).filter(around_today).values_list("pk", flat=True))
    working |= set(Event.staff.through.objects.filter(user_id=user.pk).values_list("event_id", flat=True))
    taking_part = Registration.objects.filter(user=user, status=Registration.Status.VALIDATED).values(
        "event_id"
    )
    candidates = Event.objects.filter(around_today).filter(Q(pk__in=working) | Q(pk__in=taking_part))
    return [
        (event, event.pk in working)
        for event in candidates.order_by("start_date", "title")
        if event.start_date <= timezone.localtime(timezone.now(), event.tz).date() <= event.end_date
    ]


def registrations_to_decide(user):
    """The registrations waiting for the organisers' decision in the events the user organises that
    have not ended (the waiting list waits for a place, not for a decision)."""
    return Registration.objects.filter(
        event__in=organised_events(user),
        event__end_date__gte=timezone.localdate(),
        status=Registration.Status.REGISTERED,
    )


def meeting_requests_to_answer(user):
    """The meeting requests sent to the user's own live registrations, still open to an answer, in
    events that have not ended."""
    if not user.is_authenticated:
        return MeetingRequest.objects.none()
    return (
        MeetingRequest.objects.filter(
            status=MeetingRequest.Status.PENDING,
            recipient__user_id=user.pk,
            event__end_date__gte=timezone.localdate(),
        )
        .exclude(recipient__status=Registration.Status.CANCELLED)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    )


def organised_programme(user) -> Programme | None:
    """The programme a new event of the user belongs to: the newest of those they administer."""
    return Programme.objects.administered_by(roles_of(user)).order_by("-start_date").first()


@rules.predicate
def is_organiser(user, event) -> bool:
    if event is None:
        return False
    roles = roles_of(user)
    return (
        event.host_cluster_id in roles.managed_cluster_ids
        or event.programme_id in roles.coordinator_programme_ids
    )


@rules.predicate
def is_event_staff(user, event) -> bool:
    """Named by the organisers to help on the day (`Event.staff`)."""
    if event is None or not user.is_authenticated:
        return False
    return event.staff.filter(pk=user.pk).exists()


@rules.predicate
def can_organise(user) -> bool:
    roles = roles_of(user)
    return roles.is_coordinator or roles.is_cluster_manager


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.published


@rules.predicate
def can_register(user, event) -> bool:
    return event is not None and user.is_authenticated and bool(roles_of(user).organisation_ids)


def registration_of(user, event):
    """The user's live registration for the event (not cancelled), or None; cached per request."""
    if event is None or not user.is_authenticated:
        return None
    return _live_registration(user, event)


@cached_on_object
def _live_registration(user, event):
    return (
        event.registrations.filter(user=user)
        .exclude(status="cancelled")
        .select_related("organisation", "event")
        .first()
    )


forget_registration = _live_registration.forget


@rules.predicate
def is_registered(user, event) -> bool:
    return registration_of(user, event) is not None


@rules.predicate
def is_validated_participant(user, event) -> bool:
    registration = registration_of(user, event)
    return registration is not None and registration.status == "validated"


@rules.predicate
def owns_registration(user, registration) -> bool:
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def organises_registration(user, registration) -> bool:
    return registration is not None and is_organiser(user, registration.event)


@rules.predicate
def is_meeting_party(user, meeting) -> bool:
    if meeting is None:
        return False
    own = registration_of(user, meeting.event)
    return own is not None and own.pk in (meeting.first_id, meeting.second_id)


@rules.predicate
def organises_meeting(user, meeting) -> bool:
    return meeting is not None and is_organiser(user, meeting.event)


rules.add_perm("events.add_event", can_organise)
rules.add_perm("events.view_event", is_published | is_organiser | is_event_staff)
rules.add_perm("events.change_event", is_organiser)
rules.add_perm("events.register", is_published & can_register)
rules.add_perm("events.view_registrations", is_organiser)
rules.add_perm("events.decide_registration", organises_registration)
rules.add_perm("events.change_registration", owns_registration | organises_registration)
rules.add_perm("events.use_marketplace", is_validated_participant | is_organiser)
rules.add_perm("events.request_meeting", is_validated_participant)
rules.add_perm("events.schedule", is_organiser)
# Organisers register, request, book, move and cancel for participants (events.on_behalf).
rules.add_perm("events.act_for_participants", is_organiser)
rules.add_perm("events.view_statistics", is_organiser)
# The event day: the organisers and the event staff (desk staff, table hosts, each with their own
# login) check participants in, print badges, see the grid and mark meetings held or no-show; only
# organisers release absent participants' meetings. A participant reads their own badge and reports a
# no-show of their own meetings.
rules.add_perm("events.check_in", is_organiser | is_event_staff)
rules.add_perm("events.mark_attendance", is_organiser | is_event_staff)
rules.add_perm("events.view_grid", is_organiser | is_event_staff)
rules.add_perm("events.release_absent", is_organiser)
rules.add_perm("events.view_badge", owns_registration | organises_registration)
rules.add_perm("events.report_no_show", owns_registration)
# Hybrid meetings: the two parties and the organisers set a meeting online (and its video link).
rules.add_perm("events.change_meeting_video", is_meeting_party | organises_meeting)


# What a refused person reads (core.domain.require).
ORGANISERS_ONLY = _("Only the event's organisers may do this.")
for _permission in (
    "events.change_event",
    "events.schedule",
    "events.view_registrations",
    "events.view_statistics",
    "events.act_for_participants",
    "events.release_absent",
):
    refuse_with(_permission, ORGANISERS_ONLY)
for _permission in ("events.check_in", "events.mark_attendance", "events.view_grid"):
    refuse_with(_permission, _("Only the event's organisers and its staff may do this."))
refuse_with("events.add_event", COORDINATORS_AND_MANAGERS)
refuse_with("events.register", _("Only people of a member organisation may register for a published event."))
refuse_with("events.request_meeting", _("Only the event's validated participants may request meetings."))
refuse_with(
    "events.use_marketplace",
    _("The marketplace is open to the event's validated participants and its organisers."),
)
refuse_with(
    "events.change_registration",
    _("Only the participant and the event's organisers may change this registration."),
)
refuse_with(
    "events.change_meeting_video",
    _("Only the meeting's two parties and the event's organisers may change how it takes place."),
)
