"""Event figures for the organiser and the KPIs: requested, accepted, scheduled, held, satisfaction."""

from django.db.models import Avg, Count, Q

from clusterxchange.events.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration


def event_statistics(event: Event) -> dict:
    registrations = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    request_counts = dict(
        event.meeting_requests.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    meetings = event.meetings.filter(status=Meeting.Status.ACTIVE)
    feedback = MeetingFeedback.objects.filter(meeting__event=event)
    held = meetings.held().count()
    by_organiser = meetings.held().exclude(attendance=Meeting.Attendance.UNKNOWN).count()
    figures = feedback.aggregate(
        satisfaction=Avg("usefulness", filter=Q(took_place=True)),
        answers=Count("pk"),
    )
    return {
        "registrations": {
            str(status.label): registrations.get(status.value, 0) for status in Registration.Status
        },
        "participants": registrations.get(Registration.Status.VALIDATED, 0),
        "delegates": event.registrations.filter(
            status=Registration.Status.VALIDATED, role=Registration.Role.DELEGATE
        ).count(),
        "requested": sum(request_counts.values()),
        "accepted": request_counts.get(MeetingRequest.Status.ACCEPTED, 0),
        "declined": request_counts.get(MeetingRequest.Status.DECLINED, 0),
        "pending": request_counts.get(MeetingRequest.Status.PENDING, 0),
        "expired": request_counts.get(MeetingRequest.Status.EXPIRED, 0),
        "scheduled": meetings.filter(slot__isnull=False).count(),
        "published": meetings.filter(published_slot__isnull=False).count(),
        "held": held,
        "held_by_organiser": by_organiser,
        "held_by_participants": held - by_organiser,
        "no_shows": meetings.filter(attendance=Meeting.Attendance.NO_SHOW).count(),
        "checked_in": event.registrations.filter(
            status=Registration.Status.VALIDATED, checked_in_at__isnull=False
        ).count(),
        "feedback_answers": figures["answers"],
        "satisfaction": round(figures["satisfaction"], 2) if figures["satisfaction"] is not None else None,
        "follow_ups": meetings.filter(feedback__follow_up=True).distinct().count(),
        "testimonials": list(
            feedback.filter(publish_consent=True)
            .exclude(testimonial="")
            .select_related("registration__organisation")
            .values_list("registration__organisation__name", "testimonial")
        ),
    }
