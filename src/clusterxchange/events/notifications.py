"""Email to event participants, sent after the change is committed."""

from collections.abc import Iterable

from django.conf import settings

from clusterxchange.core.mail import send_after_commit


def address_of(registration) -> str:
    if registration.user_id and registration.user.email:
        return registration.user.email
    if registration.person_id and registration.person.email:
        return registration.person.email
    return ""


def notify(event, registrations: Iterable, headline: str, body: str = "", path: str = "") -> int:
    """Email each registration's person once; return how many were written to."""
    recipients = sorted({address for address in map(address_of, registrations) if address})
    if not recipients:
        return 0
    subject = f"[{settings.SITE_NAME}] {event.title}: {headline}"
    link = f"{settings.SITE_URL.rstrip('/')}{path or event.get_absolute_url()}"
    text = "\n".join(part for part in (headline, "", body, "", link) if part is not None)
    messages = [(subject, text, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    send_after_commit(messages)
    return len(recipients)
