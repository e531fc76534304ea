"""Badges and their QR codes: what the code says, how it is checked, and the PDF sheets.

A badge's QR code holds a signed token ``<event id>.<registration id>:<signature>``
(`django.core.signing.Signer` with a salt per event, so a code of one event is worthless at another
and a code cannot be made without the site's secret key). `read_badge` says in words why a code is
refused: another event's badge, a forged or damaged code, a registration that no longer counts.
The token names the registration, so a scan is one primary-key lookup (benchmarks/events/checkin.py).
"""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clusterxchange.core.domain import Refused
from clusterxchange.events.models import Event, Registration
from clusterxchange.exchanges.documents import to_pdf

BADGE_STATUSES = [Registration.Status.VALIDATED]


def _signer(event_id: int) -> signing.Signer:
    return signing.Signer(salt=f"clusterxchange.events.badge.{event_id}")


def badge_token(registration: Registration) -> str:
    return _signer(registration.event_id).sign(f"{registration.event_id}.{registration.pk}")


def read_badge(event: Event, code: str) -> Registration:
    """The registration a scanned or typed badge code stands for, or Refused with the reason."""
    code = (code or "").strip()
    value, _sep, _signature = code.rpartition(":")
    event_part, _dot, registration_part = value.partition(".")
    if not (event_part.isdigit() and registration_part.isdigit()):
        raise Refused(_("This is not a badge code of this site: check the code or search by name."))
    if int(event_part) != event.pk:
        other = Event.objects.filter(pk=int(event_part)).first()
        try:
            _signer(int(event_part)).unsign(code)
        except signing.BadSignature:
            other = None
        if other is not None:
            raise Refused(
                _("This badge is for another event (“%(title)s”), not for “%(event)s”.")
                % {"title": other.title, "event": event.title}
            )
        raise Refused(_("This badge code is forged or damaged: check the person in by name."))
    try:
        _signer(event.pk).unsign(code)
    except signing.BadSignature:
        raise Refused(_("This badge code is forged or damaged: check the person in by name.")) from None
    registration = (
        Registration.objects.filter(event=event, pk=int(registration_part))
        .select_related("organisation", "person", "user", "checked_in_by")
        .first()
    )
    if registration is None:
        raise Refused(_("This badge's registration no longer exists."))
    return registration


def qr_svg(text: str, scale: int = 3) -> str:
    """An inline SVG of the QR code (medium error correction: a bent or scratched badge still reads)."""
    import segno  # noqa: PLC0415 — loaded only to draw badges (PDF), like WeasyPrint

    svg = segno.make(text, error="m", micro=False).svg_inline(scale=scale, border=2)
    return mark_safe(svg)  # noqa: S308 - segno draws only paths, no text  # nosec B308 B703


def badge_registrations(event: Event):
    return (
        event.registrations.filter(status__in=BADGE_STATUSES)
        .select_related("organisation", "person", "user", "partner__cluster")
        .order_by("organisation__name", "pk")
    )


def badges_html(event: Event, registrations) -> str:
    badges = [
        {"registration": r, "qr": qr_svg(badge_token(r)), "code": badge_token(r)} for r in registrations
    ]
    with timezone.override(event.tz):
        return render_to_string(
            "events/pdf/badges.html", {"event": event, "badges": badges, "site_name": settings.SITE_NAME}
        )


def badges_pdf(event: Event, registrations) -> bytes:
    """An A4 sheet of badges: eight per page (two columns), each with its QR code, to cut out."""
    return to_pdf(badges_html(event, registrations))
