"""The events' contribution to the programme's KPIs: missions and study visits held, delegates,
and B2B meetings (scheduled, held, with a follow-up).

Counting rule: an event counts when it is published and has ended within [start, end] (dated by its
last day); a delegate counts once per event with a validated registration as travelling delegate,
for the partnership named in the registration; a meeting counts as held when either party says so.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from clusterxchange.events.models import Event, EventKind, Meeting, Registration


@dataclass(frozen=True)
class EventCount:
    missions: int
    study_visits: int
    b2b_sessions: int
    delegates: int
    sme_delegates: int
    meetings_scheduled: int
    meetings_held: int
    follow_ups: int


def counted_events(
    programme, *, start: date | None = None, end: date | None = None, partner=None
) -> QuerySet:
    events = Event.objects.filter(programme=programme, published=True)
    if start is not None:
        events = events.filter(end_date__gte=start)
    if end is not None:
        events = events.filter(end_date__lte=end)
    if partner is not None:
        events = events.filter(Q(host_cluster=partner.cluster) | Q(registrations__partner=partner)).distinct()
    return events


def count(programme, *, start: date | None = None, end: date | None = None, partner=None) -> EventCount:
    events = counted_events(programme, start=start, end=end, partner=partner)
    delegates = Registration.objects.filter(
        event__in=events, status=Registration.Status.VALIDATED, role=Registration.Role.DELEGATE
    )
    if partner is not None:
        delegates = delegates.filter(partner=partner)
    meetings = Meeting.objects.filter(
        event__in=events, status=Meeting.Status.ACTIVE, published_slot__isnull=False
    )
    if partner is not None:
        meetings = meetings.filter(Q(first__partner=partner) | Q(second__partner=partner))
    kinds = dict.fromkeys(EventKind.values, 0)
    for kind in events.values_list("kind", flat=True):
        kinds[kind] += 1
    return EventCount(
        missions=kinds[EventKind.MISSION],
        study_visits=kinds[EventKind.STUDY_VISIT],
        b2b_sessions=kinds[EventKind.B2B],
        delegates=delegates.count(),
        sme_delegates=delegates.filter(organisation__is_sme=True).count(),
        meetings_scheduled=meetings.count(),
        meetings_held=meetings.filter(feedback__took_place=True).distinct().count(),
        follow_ups=meetings.filter(feedback__follow_up=True).distinct().count(),
    )
