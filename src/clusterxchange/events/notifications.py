"""Email to event participants, each in their own language, sent after the change is committed."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import guest_language, preferred_language
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EditableText, editable

# The texts of the notifications sent to participants, which a programme may reword per language
# (Admin › Notification texts, core.texts.editable). Each is sent by `notify` below.
REGISTRATION = editable("events.registration", gettext_lazy("Your registration: %(status)s"))
PLACE_FREE = editable(
    "events.place_free", gettext_lazy("A place became free: you are no longer on the waiting list.")
)
NEW_MEETING = editable("events.new_meeting", gettext_lazy("New meeting with %(name)s"))
MEETING_REQUEST = editable("events.meeting_request", gettext_lazy("%(name)s asks to meet you"))
REQUEST_ACCEPTED = editable("events.request_accepted", gettext_lazy("%(name)s accepted your meeting request"))
REQUEST_DECLINED = editable("events.request_declined", gettext_lazy("%(name)s declined your meeting request"))
MEETING_CANCELLED = editable(
    "events.meeting_cancelled", gettext_lazy("A meeting in your agenda was cancelled: %(a)s – %(b)s")
)
REQUEST_REMINDER = editable(
    "events.request_reminder",
    gettext_lazy("Reminder: {name} is waiting for your answer"),
    gettext_lazy(
        "{name} asked to meet you at {event}. The request expires soon: please accept or decline it."
    ),
    required=("name",),
    label=gettext_lazy("Reminder of a meeting request waiting for an answer"),
)
AGENDA_PUBLISHED = editable(
    "events.agenda_published",
    gettext_lazy("Your meeting agenda (%(kind)s) is published"),
    gettext_lazy("Open it on the web, download the PDF or subscribe to the calendar."),
)
PARTNER_ABSENT = editable(
    "events.partner_absent",
    gettext_lazy("%(name)s is absent: your meeting at %(time)s is cancelled"),
    gettext_lazy("The time is free again in your agenda."),
)

MEETING_ONLINE = editable(
    "events.meeting_online",
    gettext_lazy("Your meeting with %(name)s is now online"),
    gettext_lazy("The video link is in your agenda (web, PDF and calendar)."),
)
MEETING_ON_SITE = editable(
    "events.meeting_on_site",
    gettext_lazy("Your meeting with %(name)s is now on site"),
    gettext_lazy("Your agenda shows its table."),
)
# The organisers acted for the participants (events.on_behalf).
MEETING_MOVED = editable(
    "events.meeting_moved",
    gettext_lazy("Your meeting with %(name)s moved to %(time)s, %(table)s"),
    gettext_lazy("The organisers moved it; your agenda and calendar show the new time and table."),
)
# The organisers made someone staff of the event day (events.attendance.add_staff).
STAFF_ADDED = editable(
    "events.staff_added",
    gettext_lazy("You are on the staff of the event day"),
    gettext_lazy(
        "The organisers added you to the event's staff: with your own login you check participants in "
        "(badge or name) and mark meetings held or no-show on the meeting grid."
    ),
)
MEETING_CANCELLED_BY_ORGANISERS = editable(
    "events.meeting_cancelled_by_organisers",
    gettext_lazy("Your meeting with %(name)s is cancelled by the organisers"),
    gettext_lazy("It was planned at %(time)s."),
)


def address_of(registration) -> str:
    if registration.user_id and registration.user.email:
        return registration.user.email
    if registration.person_id and registration.person.email:
        return registration.person.email
    return ""


def language_of(registration, programme=None) -> str:
    """The language of an email about the registration: the user's (else the programme's default),
    or a guest's from their person record; `programme` is the event's (read from the registration
    when not given)."""
    programme = programme or registration.event.programme
    if registration.user_id:
        return preferred_language(registration.user, programme)
    return guest_language(registration.person, programme)


def notify(
    event,
    registrations: Iterable,
    text: EditableText,
    values: dict | None = None,
    comment="",
    path: str = "",
    kind: str = "",
) -> int:
    """Email each registration's person once, in their language, the notification `text` (the
    programme's wording, else the shipped one) filled with `values`, then the sender's own `comment`
    if any; return how many were written to. A non-essential email (a reminder) names its `kind`:
    people who unsubscribed are left out, the others get the link."""
    recipients = {
        (address, language_of(registration, event.programme))
        for registration in registrations
        if (address := address_of(registration))
    }
    return _send(event, recipients, text, values, comment, path, kind)


def notify_users(
    event, users: Iterable, text: EditableText, values: dict | None = None, path: str = ""
) -> int:
    """Like `notify`, to users who need not be participants (the event's staff)."""
    recipients = {(user.email, preferred_language(user)) for user in users if user.email}
    return _send(event, recipients, text, values, "", path, "")


def _send(event, recipients: set, text: EditableText, values, comment, path: str, kind: str) -> int:
    headline, body = text.parts(event.programme_id, **(values or {}))
    link = site_link(path or event.get_absolute_url())

    def render() -> tuple[str, str]:
        subject = f"[{settings.SITE_NAME}] {event.title}: {headline}"
        parts = [str(headline), str(body), str(comment), link]
        return subject, "\n\n".join(part for part in parts if part)

    return send_in_languages(recipients, render, kind=kind, programme_id=event.programme_id)
