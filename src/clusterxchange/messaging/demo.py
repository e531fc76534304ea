"""The messaging part of the demo: the coordinator's message to the participants of the Silicon Saxony
Day, in its history with every recipient. Written and queued by the real domain actions; the delivery
states are invented (the demo sends no email): all delivered but one, refused by the mail server."""

from django.utils import timezone

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.events.models import Event
from clusterxchange.messaging import domain

SUBJECT = "Silicon Saxony Day: your agenda is online"
BODY = (
    "Dear {name},\n\n"
    "the final agenda of {event} is published: {agenda_link}\n"
    "Please check your meetings and tell us before Monday if a slot does not suit you.\n\n"
    "See you in Dresden!"
)


@register("messaging", order=60)
def load(context: DemoContext) -> None:
    event = Event.objects.filter(title="Silicon Saxony Day, Dresden").first()
    if event is None:
        return
    coordinator = User.objects.filter(programme_roles__programme=event.programme).order_by("pk").first()
    if coordinator is None:
        return
    message = domain.send_message(coordinator, f"event_participants:{event.pk}", SUBJECT, BODY)
    domain.deliver_message(message.pk)  # the background task's work, here and now
    emails = OutgoingEmail.objects.filter(group_recipient__message=message)
    emails.update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), attempts=1, next_attempt_at=None)
    refused = emails.order_by("recipient").first()
    if refused is not None:
        OutgoingEmail.objects.filter(pk=refused.pk).update(
            status=OutgoingEmail.Status.FAILED,
            sent_at=None,
            attempts=6,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
        )
    context.log(f"  a message to {message.queued} participants of the Silicon Saxony Day")
