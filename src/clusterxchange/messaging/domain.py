"""Messages to groups: preview, send (as a background task), unsubscribe, bounces.

Sending is done by `deliver_message` (the task `messaging.tasks.send_group_message`) in batches.
Each batch locks the message row, skips the recipients that already have a row, renders the others
in their own language, queues their `OutgoingEmail`s and writes their `MessageRecipient` rows (unique
per message and user) in one transaction: a worker killed mid-batch leaves neither, and the task
started again (automatically, see tasks.py) carries on where the last committed batch stopped.
Nobody is written to twice and nobody is lost; each email is addressed to one person only.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clusterxchange.accounts.language import preferred_language
from clusterxchange.accounts.models import User
from clusterxchange.core import audit, placeholders
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.mail import send_after_commit
from clusterxchange.core.texts import EDITABLE, EditableText, later
from clusterxchange.messaging import groups
from clusterxchange.messaging.models import (
    AddressSuppression,
    GroupMessage,
    MailKind,
    MessageRecipient,
    NotificationText,
    Unsubscription,
)
from clusterxchange.programmes.models import Programme

UNSUBSCRIBE_SALT = "clusterxchange.messaging.unsubscribe"
FRAME = gettext_lazy("Sent by %(sender)s (%(programme)s) to: %(group)s.")
UNSUBSCRIBE = gettext_lazy("To receive no more messages from organisers, open: %(link)s")
UNSUBSCRIBE_LINES = {
    MailKind.GROUP_MESSAGES: UNSUBSCRIBE,
    MailKind.REMINDERS: gettext_lazy("To receive no more reminders, open: %(link)s"),
}


def max_recipients() -> int:
    return int(getattr(settings, "GROUP_MESSAGE_MAX_RECIPIENTS", 5000))


def max_body() -> int:
    return int(getattr(settings, "GROUP_MESSAGE_MAX_CHARS", 10000))


def batch_size() -> int:
    return int(getattr(settings, "GROUP_MESSAGE_BATCH", 200))


# Who receives it ---------------------------------------------------------------------------------


def reachable(users, kind: str = MailKind.GROUP_MESSAGES):
    """`users` without those who unsubscribed from `kind` or whose address bounced or complained."""
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .filter(~Exists(Unsubscription.objects.filter(user=OuterRef("pk"), kind=kind)))
        .filter(~Exists(AddressSuppression.objects.filter(address=OuterRef("address"))))
    )


@dataclass(frozen=True)
class Preview:
    audience: groups.Audience
    count: int
    unsubscribed: int
    example_to: str
    subject: str
    body: str


def audience_for(actor, value: str) -> groups.Audience:
    require(actor, "messaging.send_message")
    audience = groups.resolve(actor, value)
    if audience is None:
        raise PermissionDenied(_("You may not write to this group."))
    return audience


def check_text(audience: groups.Audience, subject: str, body: str) -> None:
    """Bad input: an empty or too long subject or text, or an unknown placeholder (the error lists
    the known ones)."""
    errors = {}
    known = audience.group.placeholders
    listed = ", ".join(f"{{{name}}}" for name in known)
    for field, text, limit in (("subject", subject, 200), ("body", body, max_body())):
        if not (text or "").strip():
            errors[field] = [_("This field is required.")]
        elif len(text) > limit:
            errors[field] = [
                _("At most %(limit)d characters (this one has %(count)d).")
                % {"limit": limit, "count": len(text)}
            ]
        elif bad := placeholders.unknown(text, known):
            errors[field] = [
                ngettext(
                    "Unknown placeholder %(names)s. Known placeholders: %(known)s.",
                    "Unknown placeholders %(names)s. Known placeholders: %(known)s.",
                    len(bad),
                )
                % {"names": ", ".join(f"{{{name}}}" for name in bad), "known": listed}
            ]
    if errors:
        raise ValidationError(errors)


def counted(actor, audience: groups.Audience) -> tuple[int, int]:
    """(recipients, left out because they unsubscribed or their address is blocked)."""
    everyone = audience.users(actor).filter(is_active=True).exclude(email="")
    total = everyone.count()
    count = reachable(everyone).count()
    return count, total - count


def check_size(count: int) -> None:
    if count == 0:
        raise Refused(_("Nobody in this group can receive the message: it is empty."))
    if count > max_recipients():
        raise Refused(
            _("This group has %(count)d recipients; a message may go to at most %(limit)d.")
            % {"count": count, "limit": max_recipients()}
        )


def preview(actor, audience_value: str, subject: str, body: str) -> Preview:
    """The recipient count and the message as its first recipient will read it."""
    audience = audience_for(actor, audience_value)
    check_text(audience, subject, body)
    count, unsubscribed = counted(actor, audience)
    check_size(count)
    first = reachable(audience.users(actor)).order_by("pk").first()
    rendered_subject, rendered_body = render(actor, audience, first, subject, body)
    return Preview(audience, count, unsubscribed, first.email, rendered_subject, rendered_body)


@transaction.atomic
def send_message(actor, audience_value: str, subject: str, body: str) -> GroupMessage:
    """Record the message and start sending it in the background (after the commit)."""
    from clusterxchange.messaging.tasks import send_group_message  # noqa: PLC0415 — cycle: the task calls the domain back

    audience = audience_for(actor, audience_value)
    check_text(audience, subject, body)
    count, unsubscribed = counted(actor, audience)
    check_size(count)
    message = GroupMessage.objects.create(
        programme=audience.target.programme,
        sender=actor,
        audience=audience.value,
        audience_label=audience.label,
        event=audience.target.event,
        subject=subject,
        body=body,
        expected=count,
        skipped=unsubscribed,
    )
    audit.record(actor, "messaging.message.send", message, to_state=message.status, comment=audience.value)
    transaction.on_commit(lambda: send_group_message.enqueue(message.pk))
    return message


# Rendering and sending ---------------------------------------------------------------------------


def unsubscribe_token(user_id: int, kind: str = MailKind.GROUP_MESSAGES) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user_id: int, kind: str = MailKind.GROUP_MESSAGES) -> str:
    path = reverse(
        "messaging:unsubscribe", args=[unsubscribe_token(user_id, kind)]
    )  # in the reader's language
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def render(sender, audience: groups.Audience, user, subject: str, body: str) -> tuple[str, str]:
    """The subject and text `user` receives, the frame in the language active now."""
    values = {**audience.target.values, "name": user.get_full_name() or user.email}
    frame = later(
        FRAME,
        sender=str(sender) if sender else settings.SITE_NAME,
        programme=audience.target.programme.acronym,
        group=audience.label,
    )
    footer = later(UNSUBSCRIBE, link=unsubscribe_link(user.pk))
    text = f"{placeholders.fill(body, values)}\n\n-- \n{frame}\n{footer}\n"
    return placeholders.fill(subject, values), text


def _fail(message_id: int, reason: str) -> None:
    GroupMessage.objects.filter(pk=message_id).update(
        status=GroupMessage.Status.FAILED, reason=reason, finished_at=timezone.now()
    )


def deliver_message(message_id: int) -> int:
    """Queue the message for every recipient who has not got it yet (the background task); returns
    how many were queued by this run."""
    message = GroupMessage.objects.select_related("sender", "programme").get(pk=message_id)
    if message.finished:
        return 0
    GroupMessage.objects.filter(pk=message.pk).update(
        status=GroupMessage.Status.SENDING, attempts=F("attempts") + 1
    )
    sender = message.sender
    audience = groups.resolve(sender, message.audience) if sender and sender.is_active else None
    if audience is None:
        _fail(message.pk, _("The sender may no longer write to this group; nothing more was sent."))
        return 0
    user_ids = list(reachable(audience.users(sender)).order_by("pk").values_list("pk", flat=True))
    queued = 0
    size = batch_size()
    for start in range(0, len(user_ids), size):
        queued += _queue_batch(message, audience, user_ids[start : start + size])
    GroupMessage.objects.filter(pk=message.pk).update(
        status=GroupMessage.Status.SENT, finished_at=timezone.now(), reason=""
    )
    return queued


@transaction.atomic
def _queue_batch(message: GroupMessage, audience: groups.Audience, user_ids: list[int]) -> int:
    GroupMessage.objects.select_for_update().filter(pk=message.pk).first()  # one worker at a time
    done = set(
        MessageRecipient.objects.filter(message=message, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    users = list(User.objects.filter(pk__in=[pk for pk in user_ids if pk not in done]).order_by("pk"))
    if not users:
        return 0
    rendered = []
    for user in users:
        language = preferred_language(user)
        with translation.override(language):
            subject, text = render(message.sender, audience, user, message.subject, message.body)
        rendered.append((user, language, subject, text))
    emails = send_after_commit(
        [
            (subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
            for user, _language, subject, text in rendered
        ]
    )
    MessageRecipient.objects.bulk_create(
        MessageRecipient(message=message, user=user, address=user.email, language=language, email=email)
        for (user, language, _subject, _text), email in zip(rendered, emails, strict=True)
    )
    GroupMessage.objects.filter(pk=message.pk).update(queued=F("queued") + len(users))
    return len(users)


def task_lost(message_id: int, reason: str, retry) -> None:
    """The task sending the message failed (its worker died): start it again, at most three times."""
    message = GroupMessage.objects.filter(pk=message_id).first()
    if message is None or message.finished:
        return
    if message.attempts >= 3:
        _fail(message_id, reason)
        return
    retry()


# Unsubscribing and bounces -----------------------------------------------------------------------


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The user and kind of an unsubscribe link; a changed or cut link is refused."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(data["u"]))
        kind = MailKind(data["k"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise Refused(
            _(
                "This unsubscribe link is not valid: it was changed or cut short. Open the link from the "
                "email again, whole, or change your email settings after logging in."
            )
        ) from error
    return user, kind


@transaction.atomic
def unsubscribe(token: str) -> tuple[User, str]:
    user, kind = read_unsubscribe_token(token)
    _obj, created = Unsubscription.objects.get_or_create(user=user, kind=kind)
    if created:
        audit.record(user, "messaging.unsubscribe", user, to_state=kind)
    return user, kind


@transaction.atomic
def resubscribe(token: str) -> tuple[User, str]:
    user, kind = read_unsubscribe_token(token)
    if Unsubscription.objects.filter(user=user, kind=kind).delete()[0]:
        audit.record(user, "messaging.resubscribe", user, to_state=kind)
    return user, kind


def is_unsubscribed(user, kind: str) -> bool:
    return Unsubscription.objects.filter(user=user, kind=kind).exists()


@transaction.atomic
def record_bounce(actor, address: str, reason: str, detail: str = "") -> AddressSuppression:
    """A bounce or complaint reported by the mail provider: no more non-essential mail to the address."""
    require(actor, "messaging.record_bounce")
    if reason not in AddressSuppression.Reason.values:
        raise ValidationError(
            {"reason": _("One of: %(values)s.") % {"values": ", ".join(AddressSuppression.Reason.values)}}
        )
    suppression = AddressSuppression.objects.filter(
        address=address.strip().lower()
    ).first() or AddressSuppression(address=address)
    suppression.reason, suppression.detail, suppression.recorded_by = reason, detail[:2000], actor
    suppression.full_clean()
    suppression.save()
    audit.record(actor, "messaging.address.suppress", suppression, to_state=reason)
    return suppression


# Other apps' non-essential mail (core.mail.send_in_languages with a kind) -----------------------


def blocked_addresses(addresses: set[str], kind: str) -> set[str]:
    """Those of `addresses` whose person unsubscribed from `kind` or whose address is blocked."""
    lowered = {address.lower(): address for address in addresses}
    blocked = set(AddressSuppression.objects.filter(address__in=lowered).values_list("address", flat=True))
    blocked |= set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=lowered)
        .filter(Exists(Unsubscription.objects.filter(user=OuterRef("pk"), kind=kind)))
        .values_list("address", flat=True)
    )
    return {lowered[address] for address in blocked}


def unsubscribe_footer(address: str, kind: str) -> str:
    """The unsubscribe line of an email of `kind` to `address`, in the active language ("" for an
    address without an account: the choice is kept per user)."""
    user = User.objects.filter(email__iexact=address).only("pk").first()
    if user is None or kind not in UNSUBSCRIBE_LINES:
        return ""
    return str(later(UNSUBSCRIBE_LINES[kind], link=unsubscribe_link(user.pk, kind)))


# Notification texts per programme and language ---------------------------------------------------


def custom_text(programme_id: int | None, key: str, language: str) -> tuple[str, str] | None:
    """The programme's wording of `key` in `language`, for core.texts (registered in apps.py). A
    notification that belongs to no programme (an account's roles, joining an organisation) takes the
    wording of the current programme, the one the site opens on."""
    if programme_id is None:
        current = Programme.objects.current()
        if current is None:
            return None
        programme_id = current.pk
    row = (
        NotificationText.objects.filter(programme_id=programme_id, key=key, language=language)
        .values_list("subject", "body")
        .first()
    )
    return tuple(row) if row else None


def check_notification_text(text: EditableText, subject: str, body: str) -> None:
    known = ", ".join(f"{{{name}}}" for name in text.placeholders)
    errors = {}
    for field, value, limit in (("subject", subject, 200), ("body", body, max_body())):
        if not (value or "").strip() and (field == "subject" or str(text.body)):
            errors[field] = [_("This field is required.")]
        elif len(value) > limit:
            errors[field] = [
                _("At most %(limit)d characters (this one has %(count)d).")
                % {"limit": limit, "count": len(value)}
            ]
        elif bad := placeholders.unknown(value, text.placeholders):
            errors[field] = [
                ngettext(
                    "Unknown placeholder %(names)s. Known placeholders: %(known)s.",
                    "Unknown placeholders %(names)s. Known placeholders: %(known)s.",
                    len(bad),
                )
                % {"names": ", ".join(f"{{{name}}}" for name in bad), "known": known}
            ]
    missing = [name for name in text.required if f"{{{name}}}" not in f"{subject} {body}"]
    if missing and not errors:
        errors["body"] = [
            _("The text must keep %(names)s.") % {"names": ", ".join(f"{{{name}}}" for name in missing)}
        ]
    if errors:
        raise ValidationError(errors)


def preview_notification_text(actor, programme, key: str, subject: str, body: str) -> tuple[str, str]:
    """The text filled with example values (each placeholder shows its own name in brackets)."""
    require(actor, "messaging.edit_texts", programme)
    text = EDITABLE[key]
    check_notification_text(text, subject, body)
    values = {name: f"[{name}]" for name in text.placeholders}
    return placeholders.fill(subject, values), placeholders.fill(body, values)


@transaction.atomic
def save_notification_text(
    actor, programme, key: str, language: str, subject: str, body: str
) -> NotificationText:
    require(actor, "messaging.edit_texts", programme)
    text = EDITABLE[key]
    check_notification_text(text, subject, body)
    row, _created = NotificationText.objects.update_or_create(
        programme=programme,
        key=key,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": actor},
    )
    audit.record(actor, "messaging.text.save", row, comment=f"{key} {language}")
    return row


@transaction.atomic
def reset_notification_text(actor, programme, key: str, language: str) -> None:
    """Back to the shipped text."""
    require(actor, "messaging.edit_texts", programme)
    row = NotificationText.objects.filter(programme=programme, key=key, language=language).first()
    if row is not None:
        audit.record(actor, "messaging.text.reset", row, comment=f"{key} {language}")
        row.delete()
