"""Messages API: the caller's messages with their recipients and delivery state, sending a message,
and recording bounces and complaints from the mail provider; same rules as the pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.domain import require
from clusterxchange.core.pagination import api_page
from clusterxchange.messaging import domain
from clusterxchange.messaging.models import AddressSuppression, GroupMessage
from clusterxchange.messaging.rules import visible_messages

router = Router(tags=["messaging"])


class MessageOut(Schema):
    id: int
    programme: str = Field(..., description="The programme's acronym")
    sender: str | None
    audience: str = Field(..., description="group:target, e.g. event_participants:12")
    audience_label: str
    subject: str
    body: str
    status: str
    expected: int = Field(..., description="Recipients counted when it was sent")
    queued: int = Field(..., description="Emails queued so far")
    skipped: int = Field(..., description="Left out: unsubscribed or blocked address")
    reason: str
    created_at: datetime
    finished_at: datetime | None


class RecipientOut(Schema):
    address: str
    language: str
    delivery: str | None = Field(..., description="queued, sent or failed")
    attempts: int
    reason: str = Field(..., description="Why the last attempt failed")


class MessageDetailOut(MessageOut):
    recipients: list[RecipientOut]


class MessagePage(Schema):
    count: int
    page: int
    pages: int
    results: list[MessageOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class MessageIn(Schema):
    audience: str = Field(..., max_length=80, description="group:target, as listed on the compose page")
    subject: str = Field(..., max_length=200)
    body: str


class BounceIn(Schema):
    address: str = Field(..., max_length=254)
    reason: str = Field(..., pattern="^(bounce|complaint)$")
    detail: str = Field("", max_length=2000)


class BounceOut(Schema):
    address: str
    reason: str
    detail: str
    recorded_at: datetime


def message_out(message: GroupMessage) -> dict:
    return {
        "id": message.pk,
        "programme": message.programme.acronym,
        "sender": str(message.sender) if message.sender else None,
        **{
            name: getattr(message, name)
            for name in (
                "audience",
                "audience_label",
                "subject",
                "body",
                "status",
                "expected",
                "queued",
                "skipped",
                "reason",
                "created_at",
                "finished_at",
            )
        },
    }


@router.get("/messages", response=MessagePage, summary="Messages the caller sent or coordinates")
def list_messages(request, query: Query[PageQuery]):
    require(request.user, "messaging.send_message")
    messages = (
        visible_messages(request.user).select_related("programme", "sender").order_by("-created_at", "-pk")
    )
    return api_page(messages, query.page, query.page_size, message_out)


@router.get("/messages/{message_id}", response=MessageDetailOut, summary="A message with its recipients")
def get_message(request, message_id: int):
    message = get_object_or_404(
        visible_messages(request.user).select_related("programme", "sender"), pk=message_id
    )
    recipients = [
        {
            "address": r.address,
            "language": r.language,
            "delivery": r.email.status if r.email else None,
            "attempts": r.email.attempts if r.email else 0,
            "reason": r.email.last_error if r.email and r.email.status == "failed" else "",
        }
        for r in message.recipients.select_related("email").order_by("address")
    ]
    return {**message_out(message), "recipients": recipients}


@router.post("/messages", response={201: MessageOut}, summary="Send a message to a group (in the background)")
def send_message(request, payload: MessageIn):
    message = domain.send_message(request.user, payload.audience, payload.subject, payload.body)
    return Status(
        201, message_out(GroupMessage.objects.select_related("programme", "sender").get(pk=message.pk))
    )


@router.post("/bounces", response={201: BounceOut}, summary="Record a bounce or complaint for an address")
def record_bounce(request, payload: BounceIn):
    suppression: AddressSuppression = domain.record_bounce(
        request.user, payload.address, payload.reason, payload.detail
    )
    return Status(201, suppression)
