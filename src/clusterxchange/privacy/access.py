"""Logging who looked at another person's personal data.

Written for: a person's detail page, evidence and certificate downloads, data exports and the
privacy page. Not written for list pages (they show what the person agreed to publish, or contact
details every programme member may see; logging every row of every list would multiply writes by
the page size). A person looking at their own data is not logged, nor the public (anonymous
visitors see only what the person agreed to publish). Repeated page views by the same viewer
within `VIEW_DEDUP_MINUTES` are written once; downloads and exports are always written.
"""

from datetime import timedelta

from django.utils import timezone

from clusterxchange.privacy.models import PersonalDataAccess

VIEW_DEDUP_MINUTES = 10
Kind = PersonalDataAccess.Kind
_PAGE_KINDS = {Kind.VIEW, Kind.PRIVACY_PAGE}


def log_access(actor, person, kind: str, detail: str = "") -> PersonalDataAccess | None:
    """Record that `actor` accessed `person`'s data; None when nothing needs recording."""
    if person is None or actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if person.user_id is not None and person.user_id == actor.pk:
        return None
    if kind in _PAGE_KINDS:
        since = timezone.now() - timedelta(minutes=VIEW_DEDUP_MINUTES)
        if PersonalDataAccess.objects.filter(
            person=person, actor=actor, kind=kind, created_at__gte=since
        ).exists():
            return None
    return PersonalDataAccess.objects.create(person=person, actor=actor, kind=kind, detail=detail[:200])


def log_evidence_download(actor, evidence) -> None:
    exchange = evidence.exchange
    person = exchange.visitor_person
    if person is None:
        return
    log_access(actor, person, Kind.EVIDENCE, f"{exchange.reference}: {evidence.original_name}")


def log_certificate_download(actor, record) -> None:
    log_access(actor, record.person, Kind.CERTIFICATE, str(record.entry))


# Receivers of the signals the apps below send (connected in PrivacyConfig.ready()).


def on_person_viewed(sender, actor, person, **kwargs) -> None:
    log_access(actor, person, Kind.VIEW)


def on_evidence_downloaded(sender, actor, evidence, **kwargs) -> None:
    log_evidence_download(actor, evidence)


def on_certificate_downloaded(sender, actor, record, **kwargs) -> None:
    log_certificate_download(actor, record)
