"""Organisers acting for participants (issue #18 point 3, first step): book a meeting between two
validated participants. The request and its acceptance are the participants' usual actions, done by
the organiser: the audit trail names the organiser, and both participants are emailed as usual."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import require
from clusterxchange.events import domain
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration


@transaction.atomic
def book_meeting(
    actor, event: Event, first: Registration, second: Registration, message: str = ""
) -> Meeting:
    """A meeting between `first` and `second`, accepted at once (the limits and refusals of a request
    hold: validated participants, other organisations, no open request between them, caps)."""
    require(actor, "events.schedule", event)
    if first.event_id != event.pk or second.event_id != event.pk:
        raise ValidationError({"second": _("Choose two participants of this event.")})
    meeting_request = domain.request_meeting(actor, first, second, message)
    if meeting_request.status == MeetingRequest.Status.PENDING:
        domain.respond(actor, meeting_request, True)
    audit.record(actor, "events.meeting.book_on_behalf", meeting_request, to_state="accepted")
    return Meeting.objects.select_related("first__organisation", "second__organisation").get(
        request=meeting_request
    )
