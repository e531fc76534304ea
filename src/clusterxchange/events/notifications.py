"""Email to event participants, each in their own language, sent after the change is committed."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import preferred_language
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.texts import editable

# Texts a programme may reword per language (Group messages › Notification texts).
REQUEST_REMINDER = editable(
    "events.request_reminder",
    gettext_lazy("Reminder of a meeting request waiting for an answer"),
    gettext_lazy("Reminder: {name} is waiting for your answer"),
    gettext_lazy(
        "{name} asked to meet you at {event}. The request expires soon: please accept or decline it."
    ),
    placeholders=("name", "event"),
    required=("name",),
)


def address_of(registration) -> str:
    if registration.user_id and registration.user.email:
        return registration.user.email
    if registration.person_id and registration.person.email:
        return registration.person.email
    return ""


def notify(event, registrations: Iterable, headline, body="", path: str = "", kind: str = "") -> int:
    """Email each registration's person once, in their language (`headline` and `body` may be lazy
    texts, see `core.texts.later`); return how many were written to. A non-essential email (a
    reminder) names its `kind`: people who unsubscribed are left out, the others get the link."""
    recipients = {
        (address, preferred_language(registration.user if registration.user_id else None))
        for registration in registrations
        if (address := address_of(registration))
    }
    link = f"{settings.SITE_URL.rstrip('/')}{path or event.get_absolute_url()}"

    def render() -> tuple[str, str]:
        subject = f"[{settings.SITE_NAME}] {event.title}: {headline}"
        text = "\n".join(str(part) for part in (headline, "", body, "", link) if part is not None)
        return subject, text

    return send_in_languages(recipients, render, kind=kind)
