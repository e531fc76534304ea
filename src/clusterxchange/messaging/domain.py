"""Messages to groups: preview, send (as a background task), unsubscribe, bounces.

Sending is done by `deliver_message` (the task `messaging.tasks.send_group_message`) in batches.
Each batch locks the message row, skips the recipients that already have a row, renders the others
in their own language, queues their `OutgoingEmail`s and writes their `MessageRecipient` rows (unique
per message and user, and per message and address) in one transaction: a worker killed mid-batch
leaves neither, and the task started again (automatically, see tasks.py) carries on where the last
committed batch stopped. Nobody is written to twice and nobody is lost; each email is addressed to one
person only.

The event groups also reach guests: people registered without an account who have an email (their
`directory.Person`). A guest gets the message in their language (`guest_language`), their name from
the person record, and an unsubscribe link signed for their address (it records an
`AddressSuppression` "unsubscribed"). Guests cannot open the agenda (it needs a login), so their
`{agenda_link}` says so instead of giving a link.
"""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clusterxchange.accounts.language import guest_language, preferred_language
from clusterxchange.accounts.models import User
from clusterxchange.core import audit, placeholders
from clusterxchange.core.addresses import address_in
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.mail import send_after_commit
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EDITABLE, EditableText, later
from clusterxchange.core.tokens import read_signed, sign
from clusterxchange.directory.models import Person
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
GUEST_AGENDA = gettext_lazy("the agenda is shown to participants with an account, after logging in")
BOUNCE_REASONS = (AddressSuppression.Reason.BOUNCE, AddressSuppression.Reason.COMPLAINT)
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


def account_with(address) -> QuerySet:
    """The user whose address, in lower case, is `address` (an expression)."""
    return User.objects.annotate(lower=Lower("email")).filter(lower=address)


def reachable_guests(persons):
    """`persons` (guests: no account) whose address is not an account's (that person is reached, if
    at all, as the user) and is not blocked (bounced, complained or unsubscribed), annotated with
    their lower-case `address`."""
    return (
        persons.exclude(email="")
        .annotate(address=Lower("email"))
        .filter(~Exists(account_with(OuterRef("address"))))
        .filter(~Exists(AddressSuppression.objects.filter(address=OuterRef("address"))))
    )


@dataclass(frozen=True)
class Recipient:
    """One person a group message goes to: a user, or a guest (`user` None, `person` set)."""

    address: str
    name: str
    language: str
    user: User | None = None
    person: Person | None = None

    @classmethod
    def of_user(cls, user: User, programme: Programme) -> "Recipient":
        """A user, in their language (else the programme's default)."""
        language = preferred_language(user, programme)
        return cls(user.email, user.get_full_name() or user.email, language, user=user)

    @classmethod
    def of_guest(cls, person: Person, programme: Programme) -> "Recipient":
        name = f"{person.first_name} {person.last_name}".strip() or person.email
        return cls(person.email.lower(), name, guest_language(person, programme), person=person)


def guest_ids(audience: groups.Audience, sender) -> list[int]:
    """The reachable guests' person ids, one per address (the lowest id), in address order."""
    rows = reachable_guests(audience.guests(sender)).order_by("address", "pk").values_list("address", "pk")
    return [next(people)[1] for _address, people in groupby(rows, key=lambda row: row[0])]


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
    """(recipients, left out because they unsubscribed or their address is blocked); a guest counts
    once per address."""
    everyone = audience.users(actor).filter(is_active=True).exclude(email="")
    guests = audience.guests(actor).exclude(email="")
    without_account = guests.annotate(address=Lower("email")).filter(
        ~Exists(account_with(OuterRef("address")))
    )
    total = everyone.count() + without_account.values("address").distinct().count()
    count = reachable(everyone).count() + reachable_guests(guests).values("address").distinct().count()
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
    """The recipient count and the message as its first recipient (the first user, else the first
    guest) will read it."""
    audience = audience_for(actor, audience_value)
    check_text(audience, subject, body)
    count, unsubscribed = counted(actor, audience)
    check_size(count)
    user = reachable(audience.users(actor)).order_by("pk").first()
    if user is not None:
        first = Recipient.of_user(user, audience.target.programme)
    else:
        person = Person.objects.get(pk=guest_ids(audience, actor)[0])
        first = Recipient.of_guest(person, audience.target.programme)
    rendered_subject, rendered_body = render(actor, audience, first, subject, body)
    return Preview(audience, count, unsubscribed, first.address, rendered_subject, rendered_body)


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
    return sign({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def guest_unsubscribe_token(address: str, kind: str = MailKind.GROUP_MESSAGES) -> str:
    """The link of a guest (no account) in an email of `kind`: signed for their address; unsubscribing
    blocks the address for all non-essential mail."""
    return sign({"a": address.lower(), "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user_id: int | None, kind: str = MailKind.GROUP_MESSAGES, *, token: str = "") -> str:
    path = reverse(
        "messaging:unsubscribe", args=[token or unsubscribe_token(user_id, kind)]
    )  # in the reader's language
    return site_link(path)


def render(sender, audience: groups.Audience, recipient, subject: str, body: str) -> tuple[str, str]:
    """The subject and text `recipient` (a `Recipient`, or a user) receives, the frame in the language
    active now."""
    if isinstance(recipient, User):
        recipient = Recipient.of_user(recipient, audience.target.programme)
    values = {**audience.target.values, "name": recipient.name}
    if recipient.user is None and "agenda_link" in values:
        values["agenda_link"] = str(GUEST_AGENDA)
    frame = later(
        FRAME,
        sender=str(sender) if sender else settings.SITE_NAME,
        programme=audience.target.programme.acronym,
        group=audience.label,
    )
    if recipient.user is None:
        link = unsubscribe_link(None, token=guest_unsubscribe_token(recipient.address))
    else:
        link = unsubscribe_link(recipient.user.pk)
    footer = later(UNSUBSCRIBE, link=link)
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
    keys = [("user", pk) for pk in user_ids] + [("guest", pk) for pk in guest_ids(audience, sender)]
    queued = 0
    size = batch_size()
    for start in range(0, len(keys), size):
        queued += _queue_batch(message, audience, keys[start : start + size])
    GroupMessage.objects.filter(pk=message.pk).update(
        status=GroupMessage.Status.SENT, finished_at=timezone.now(), reason=""
    )
    return queued


def _recipients(message: GroupMessage, keys: list[tuple[str, int]]) -> list[Recipient]:
    """The batch's recipients (`keys`: ("user" | "guest", pk)) who have no row yet: a user is done
    when their row exists, a guest when a row has their address."""
    user_ids = [pk for kind, pk in keys if kind == "user"]
    person_ids = [pk for kind, pk in keys if kind == "guest"]
    done_users = set(
        MessageRecipient.objects.filter(message=message, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    users = User.objects.filter(pk__in=[pk for pk in user_ids if pk not in done_users]).order_by("pk")
    recipients = [Recipient.of_user(user, message.programme) for user in users]
    people = Person.objects.filter(pk__in=person_ids).prefetch_related("languages").order_by("pk")
    guests = [Recipient.of_guest(person, message.programme) for person in people]
    done_addresses = set(
        MessageRecipient.objects.filter(message=message)
        .annotate(lower=Lower("address"))
        .filter(lower__in=[guest.address for guest in guests])
        .values_list("lower", flat=True)
    )
    return recipients + [guest for guest in guests if guest.address not in done_addresses]


@transaction.atomic
def _queue_batch(message: GroupMessage, audience: groups.Audience, keys: list[tuple[str, int]]) -> int:
    GroupMessage.objects.select_for_update().filter(pk=message.pk).first()  # one worker at a time
    recipients = _recipients(message, keys)
    if not recipients:
        return 0
    rendered = []
    for recipient in recipients:
        with translation.override(recipient.language):
            subject, text = render(message.sender, audience, recipient, message.subject, message.body)
        rendered.append((recipient, subject, text))
    emails = send_after_commit(
        [
            (subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.address])
            for recipient, subject, text in rendered
        ],
        message.programme_id,
        reply_to=message.sender.email if message.sender else "",
    )
    MessageRecipient.objects.bulk_create(
        MessageRecipient(
            message=message,
            user=recipient.user,
            address=recipient.address,
            language=recipient.language,
            email=email,
        )
        for (recipient, _subject, _text), email in zip(rendered, emails, strict=True)
    )
    GroupMessage.objects.filter(pk=message.pk).update(queued=F("queued") + len(recipients))
    return len(recipients)


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


def read_unsubscribe_token(token: str) -> tuple[User | str, str]:
    """The user (for a guest's link: the address) and kind of an unsubscribe link; a changed or cut
    link is refused."""
    return read_signed(
        token,
        salt=UNSUBSCRIBE_SALT,
        read=_subscriber_and_kind,
        invalid=_(
            "This unsubscribe link is not valid: it was changed or cut short. Open the link from the "
            "email again, whole, or change your email settings after logging in."
        ),
    )


def _subscriber_and_kind(data: dict) -> tuple[User | str, str]:
    subscriber = data["a"] if "a" in data else User.objects.get(pk=int(data["u"]))
    kind = MailKind(data["k"])
    if isinstance(subscriber, str) and not subscriber:
        raise ValueError(subscriber)
    return subscriber, kind


@transaction.atomic
def unsubscribe(token: str) -> tuple[User | str, str]:
    """A user stops getting `kind`; a guest's address is blocked for all non-essential mail (it has
    no account to keep a choice per kind)."""
    subscriber, kind = read_unsubscribe_token(token)
    if isinstance(subscriber, str):
        suppression, created = AddressSuppression.objects.get_or_create(
            address=subscriber, defaults={"reason": AddressSuppression.Reason.UNSUBSCRIBED}
        )
        if created:
            audit.record(None, "messaging.unsubscribe", suppression, to_state=kind)
        return subscriber, kind
    _obj, created = Unsubscription.objects.get_or_create(user=subscriber, kind=kind)
    if created:
        audit.record(subscriber, "messaging.unsubscribe", subscriber, to_state=kind)
    return subscriber, kind


@transaction.atomic
def resubscribe(token: str) -> tuple[User | str, str]:
    """Undo `unsubscribe`; a guest's address blocked after a bounce or complaint stays blocked."""
    subscriber, kind = read_unsubscribe_token(token)
    if isinstance(subscriber, str):
        suppression = AddressSuppression.objects.filter(
            address=subscriber, reason=AddressSuppression.Reason.UNSUBSCRIBED
        ).first()
        if suppression is not None:
            audit.record(None, "messaging.resubscribe", suppression, to_state=kind)
            suppression.delete()
        return subscriber, kind
    if Unsubscription.objects.filter(user=subscriber, kind=kind).delete()[0]:
        audit.record(subscriber, "messaging.resubscribe", subscriber, to_state=kind)
    return subscriber, kind


def is_unsubscribed(subscriber: User | str, kind: str) -> bool:
    if isinstance(subscriber, str):
        return AddressSuppression.objects.filter(address=subscriber).exists()
    return Unsubscription.objects.filter(user=subscriber, kind=kind).exists()


@transaction.atomic
def record_bounce(actor, address: str, reason: str, detail: str = "") -> AddressSuppression:
    """A bounce or complaint reported by the mail provider: no more non-essential mail to the address."""
    require(actor, "messaging.record_bounce")
    if reason not in BOUNCE_REASONS:
        raise ValidationError({"reason": _("One of: %(values)s.") % {"values": ", ".join(BOUNCE_REASONS)}})
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
    """The unsubscribe line of an email of `kind` to `address`, in the active language: a user's link
    keeps their choice per kind; a guest's (an address without an account, e.g. a person registered
    for an event without one) is signed for the address and blocks it, as in group messages."""
    if kind not in UNSUBSCRIBE_LINES:
        return ""
    user = User.objects.filter(address_in("email", [address])).only("pk").first()
    if user is None:
        link = unsubscribe_link(None, kind, token=guest_unsubscribe_token(address, kind))
    else:
        link = unsubscribe_link(user.pk, kind)
    return str(later(UNSUBSCRIBE_LINES[kind], link=link))


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
