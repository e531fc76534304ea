"""Consent: the texts shown, and the history of each person's decisions (newest in force).

The listing consent also sets `Person.listed`, which the directory reads to decide who is shown to
the public; testimonial consent sets the consent flag of the record the testimonial belongs to.
"""

from django.utils.translation import gettext_lazy as _

from clusterxchange.privacy.models import ConsentRecord, Purpose

TEXT_VERSION = "2026-11"
TEXTS = {
    Purpose.DIRECTORY_LISTING: _(
        "My name, position and organisation may be shown in the public directory of the programme. "
        "My email address and phone number are shown only to logged-in programme members."
    ),
    Purpose.TESTIMONIAL: _(
        "My testimonial may be published on the programme's public pages and in its reports to the "
        "European Commission, with my name and organisation."
    ),
}


def consent_text(purpose: str) -> str:
    return str(TEXTS[Purpose(purpose)])


def record_consent(
    person,
    purpose: str,
    given: bool,
    *,
    actor=None,
    source: str = ConsentRecord.Source.SELF,
    subject: str = "",
) -> ConsentRecord:
    """Append a decision to the history (the caller checks permission and holds the transaction)."""
    return ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        text=consent_text(purpose),
        version=TEXT_VERSION,
        subject=subject[:120],
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def current(person, purpose: str, subject: str = "") -> ConsentRecord | None:
    return person.consents.filter(purpose=purpose, subject=subject).order_by("-recorded_at", "-id").first()


def history(person):
    return person.consents.select_related("recorded_by").order_by("-recorded_at", "-id")


def record_listing_change(actor, person, listed: bool) -> ConsentRecord:
    """Called when `Person.listed` changes through the directory's forms, API or import."""
    if person.user_id is not None and getattr(actor, "pk", None) == person.user_id:
        source = ConsentRecord.Source.SELF
    else:
        source = ConsentRecord.Source.ON_BEHALF
    return record_consent(person, Purpose.DIRECTORY_LISTING, listed, actor=actor, source=source)


def on_listing_changed(sender, actor, person, listed: bool, **kwargs) -> None:
    """Receiver of `directory.signals.listing_changed` (connected in PrivacyConfig.ready())."""
    record_listing_change(actor, person, listed)
