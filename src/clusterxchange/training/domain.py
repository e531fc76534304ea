"""Training actions: the only code that changes catalogue entries and training records.

Each action checks permission, validates (model validation: http(s) link, cost ≥ 0, at least one
known topic, sessions that end after they start), writes in one transaction and records an audit
entry. Views, the API, the importer, the link-check task and the demo call these.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import apply_fields, audited_update, require
from clusterxchange.core.roles import roles_of
from clusterxchange.core.uploads import DOCUMENTS_AND_IMAGES, check_upload
from clusterxchange.training.linkcheck import LinkResult
from clusterxchange.training.models import (
    EntryStatus,
    LinkStatus,
    TrainingEntry,
    TrainingRecord,
    TrainingSession,
)
from clusterxchange.training.tasks import check_links

ENTRY_FIELDS = [
    "title",
    "provider",
    "link",
    "description",
    "level",
    "format",
    "duration_hours",
    "cost_eur",
    "certificate",
    "recurrence",
    "is_demo",
]
RECORD_FIELDS = ["status", "enrolled_on", "completed_on", "notes"]


def _validate_entry(entry: TrainingEntry, topics: list, sessions: list[tuple[datetime, datetime]] | None):
    errors: dict[str, list[str]] = {}
    try:
        entry.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if topics is not None and not topics:
        errors.setdefault("topics", []).append(_("Choose at least one topic."))
    for starts_at, ends_at in sessions or []:
        if ends_at <= starts_at:
            errors.setdefault("sessions", []).append(
                _("The session of %(start)s must end after it starts.")
                % {"start": f"{starts_at:%d.%m.%Y %H:%M}"}
            )
    if errors:
        raise ValidationError(errors)


def _set_sessions(entry: TrainingEntry, sessions: list[tuple[datetime, datetime]]) -> None:
    entry.sessions.all().delete()
    TrainingSession.objects.bulk_create(
        [TrainingSession(entry=entry, starts_at=start, ends_at=end) for start, end in sessions]
    )


@transaction.atomic
def submit_entry(
    actor,
    fields: dict,
    *,
    topics: Iterable,
    languages: Iterable = (),
    sessions: list[tuple[datetime, datetime]] = (),
    check_permission: bool = True,
) -> TrainingEntry:
    """A new catalogue entry: published at once when a coordinator adds it, else awaiting moderation."""
    if check_permission:
        require(actor, "training.add_trainingentry")
    topics, sessions = list(topics), list(sessions)
    entry = TrainingEntry(submitted_by=actor if actor.is_authenticated else None)
    apply_fields(entry, fields, ENTRY_FIELDS)
    coordinator = roles_of(actor).is_coordinator
    entry.status = EntryStatus.PUBLISHED if coordinator else EntryStatus.PENDING
    if coordinator:
        entry.moderated_by = actor
    if not coordinator:
        entry.is_demo = False
    _validate_entry(entry, topics, sessions)
    entry.save()
    entry.topics.set(topics)
    entry.languages.set(languages)
    _set_sessions(entry, sessions)
    audit.record(actor, "training.entry.submit", entry, to_state=entry.status)
    return entry


@transaction.atomic
def update_entry(
    actor,
    entry: TrainingEntry,
    fields: dict,
    *,
    topics: Iterable | None = None,
    languages: Iterable | None = None,
    sessions: list[tuple[datetime, datetime]] | None = None,
    expected_version: str | None = None,
) -> TrainingEntry:
    require(actor, "training.change_trainingentry", entry)
    link_changed = "link" in fields and fields["link"] != entry.link
    topics = list(topics) if topics is not None else None
    sessions = list(sessions) if sessions is not None else None
    with audited_update(
        actor, entry, fields, ENTRY_FIELDS, action="training.entry.update", expected_version=expected_version
    ):
        if link_changed:
            entry.link_status, entry.link_error, entry.link_checked_at = LinkStatus.UNCHECKED, "", None
        _validate_entry(entry, topics, sessions)
    if topics is not None:
        entry.topics.set(topics)
    if languages is not None:
        entry.languages.set(languages)
    if sessions is not None:
        _set_sessions(entry, sessions)
    return entry


@transaction.atomic
def moderate_entry(actor, entry: TrainingEntry, *, publish: bool, note: str = "") -> TrainingEntry:
    require(actor, "training.moderate", entry)
    if not publish and not note.strip():
        raise ValidationError({"moderation_note": _("Say why the entry is rejected.")})
    from_state = entry.status
    entry.status = EntryStatus.PUBLISHED if publish else EntryStatus.REJECTED
    entry.moderation_note = note
    entry.moderated_by = actor
    entry.save(update_fields=["status", "moderation_note", "moderated_by", "updated_at"])
    audit.record(
        actor, "training.entry.moderate", entry, from_state=from_state, to_state=entry.status, comment=note
    )
    return entry


@transaction.atomic
def record_link_check(entry_id: int, result: LinkResult) -> TrainingEntry | None:
    """Store a link check (run by the background task: a system action, no user)."""
    entry = TrainingEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        return None
    from_state = entry.link_status
    entry.link_status = LinkStatus.OK if result.ok else LinkStatus.DEAD
    entry.link_error = "" if result.ok else result.error[:300]
    entry.link_checked_at = timezone.now()
    entry.save(update_fields=["link_status", "link_error", "link_checked_at"])
    if from_state != entry.link_status:
        audit.record(
            None,
            "training.entry.link_check",
            entry,
            from_state=from_state,
            to_state=entry.link_status,
            comment=entry.link_error,
        )
    return entry


def request_link_check(actor, entry_ids: list[int] | None = None):
    """Queue a link check of the given (default: all published) entries; returns the task result."""
    require(actor, "training.check_links")

    if entry_ids is None:
        entry_ids = list(TrainingEntry.objects.published().values_list("pk", flat=True))
    audit_target = TrainingEntry.objects.filter(pk__in=entry_ids[:1]).first()
    if audit_target is not None:
        audit.record(
            actor, "training.links.check_requested", audit_target, comment=f"{len(entry_ids)} entries"
        )
    return check_links.enqueue(entry_ids)


# Training records --------------------------------------------------------------------------------


def _check_certificate(upload) -> str:
    """The name to store a checked certificate under (never the uploaded name), or ""."""
    if upload is None:
        return ""
    try:
        kind = check_upload(upload, DOCUMENTS_AND_IMAGES)
    except ValidationError as exc:
        raise ValidationError({"certificate": exc.messages}) from exc
    return f"certificate-{secrets.token_hex(8)}.{kind.extension}"


@transaction.atomic
def enrol(actor, partner, person, entry: TrainingEntry, fields: dict, *, certificate=None) -> TrainingRecord:
    require(actor, "training.add_trainingrecord", partner)
    if entry.status != EntryStatus.PUBLISHED:
        raise ValidationError({"entry": _("Only published courses can be recorded.")})
    record = TrainingRecord(partner=partner, person=person, entry=entry, created_by=actor)
    apply_fields(record, fields, RECORD_FIELDS)
    if TrainingRecord.objects.filter(person=person, entry=entry).exists():
        raise ValidationError(
            {"entry": _("%(person)s is already recorded for this course.") % {"person": person}}
        )
    stored_name = _check_certificate(certificate)
    record.full_clean(exclude=["certificate"])
    if certificate is not None:
        record.certificate.save(stored_name, certificate, save=False)
    record.save()
    audit.record(actor, "training.record.create", record, to_state=record.status)
    return record


@transaction.atomic
def update_record(
    actor, record: TrainingRecord, fields: dict, *, certificate=None, expected_version: str | None = None
) -> TrainingRecord:
    require(actor, "training.change_trainingrecord", record)
    with audited_update(
        actor,
        record,
        fields,
        RECORD_FIELDS,
        action="training.record.update",
        expected_version=expected_version,
        state="status",
    ):
        stored_name = _check_certificate(certificate)
        record.full_clean(exclude=["certificate"])
        if certificate is not None:
            record.certificate.save(stored_name, certificate, save=False)
    return record
