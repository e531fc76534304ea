"""A person's data as one machine-readable document (JSON), optionally zipped with their files.

Dates are ISO 8601. The format is versioned (`format`) so that a later change can be told apart.
"""

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from clusterxchange.accounts.models import Membership
from clusterxchange.core.models import AuditEntry
from clusterxchange.events.models import Meeting
from clusterxchange.privacy import subjects
from clusterxchange.privacy.models import ErasureRequest, PersonalDataAccess

FORMAT = "clusterxchange-personal-data/1"


def _values(queryset, *fields) -> list[dict]:
    return list(queryset.values(*fields))


def _file_name(field) -> str:
    return PurePosixPath(field.name).name if field else ""


def build(person) -> dict:
    """Everything the platform holds about `person` (and the user account linked to it)."""
    user = person.user
    organisation = person.organisation
    document: dict = {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "position": person.position,
            "listed": person.listed,
            "languages": [language.code for language in person.languages.all()],
            "organisation": {"id": organisation.pk, "name": organisation.name, "slug": organisation.slug},
            "is_contact_person_of": list(
                organisation.__class__.objects.filter(contact_person=person).values_list("slug", flat=True)
            ),
            "created_at": person.created_at,
            "updated_at": person.updated_at,
        },
        "user": None,
        "memberships": [],
    }
    if user is not None:
        document["user"] = {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "api_tokens": _values(user.api_tokens.all(), "name", "prefix", "created_at", "last_used_at"),
            "event_staff_of": list(
                user.staffed_events.order_by("start_date").values_list("title", flat=True)
            ),
        }
        document["memberships"] = [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ]
    document["exchanges"] = [
        {
            "reference": x.reference,
            "programme": x.programme.acronym,
            "state": x.state,
            "visitor_organisation": x.visitor_organisation.name,
            "host_organisation": x.host_organisation.name if x.host_organisation else None,
            "travelling_person": x.visitor_person_id == person.pk,
            "start_date": x.start_date,
            "end_date": x.end_date,
            **{name: getattr(x, name) for name in subjects.EXCHANGE_TEXTS},
            "testimonial_consent": x.testimonial_consent,
            "grant_amount_eur": x.grant_amount_eur,
            "paid_amount_eur": x.paid_amount_eur,
            "paid_on": x.paid_on,
            "certificate_code": x.certificate_code,
            "created_at": x.created_at,
        }
        for x in subjects.exchanges_of(person, created=True)
    ]
    document["evidence"] = [
        {
            "exchange": e.exchange.reference,
            "kind": e.kind,
            "original_name": e.original_name,
            "content_type": e.content_type,
            "size": e.size,
            "uploaded_at": e.uploaded_at,
            "file_in_archive": f"files/evidence/{e.pk}-{_file_name(e.file)}" if e.file else None,
        }
        for e in subjects.evidence_of(person)
    ]
    document["host_requests"] = [
        {
            "exchange": r.exchange.reference,
            "host": r.host_organisation.name,
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at,
        }
        for r in subjects.host_requests_of(person)
    ]
    document["opportunity_interests_sent"] = [
        {
            "opportunity": i.opportunity.title,
            "organisation": i.organisation.name,
            "message": i.message,
            "status": i.status,
            "reason": i.reason,
            "created_at": i.created_at,
            "decided_at": i.decided_at,
        }
        for i in subjects.interests_sent(person)
    ]
    document["agreement_signatures"] = [
        {
            "exchange": s.exchange.reference,
            "party": s.party,
            "signatory_name": s.signatory_name,
            "signed_at": s.signed_at,
        }
        for s in subjects.signatures_of(person)
    ]
    registrations = list(subjects.registrations_of(person))
    document["event_registrations"] = [
        {
            "event": r.event.title,
            "event_start": r.event.start_date,
            "organisation": r.organisation.name,
            "role": r.role,
            "status": r.status,
            **{name: getattr(r, name) for name in subjects.REGISTRATION_TEXTS},
            "support_eur": r.support_eur,
            "created_at": r.created_at,
        }
        for r in registrations
    ]
    document["meeting_requests_sent"] = [
        {
            "event": m.event.title,
            "to": str(m.recipient.organisation),
            "message": m.message,
            "status": m.status,
            "created_at": m.created_at,
        }
        for m in subjects.meeting_requests_sent(person).select_related("recipient__organisation")
    ]
    meetings = Meeting.objects.filter(
        Q(first__in=registrations) | Q(second__in=registrations)
    ).select_related("event", "first__organisation", "second__organisation", "published_slot")
    document["meetings"] = [
        {
            "event": m.event.title,
            "with": [str(m.first.organisation), str(m.second.organisation)],
            "status": m.status,
            "starts_at": m.published_slot.starts_at if m.published_slot_id else None,
        }
        for m in meetings
    ]
    document["meeting_feedback"] = _values(
        subjects.feedback_of(person),
        "meeting_id",
        "took_place",
        "usefulness",
        "follow_up",
        "testimonial",
        "publish_consent",
        "created_at",
    )
    document["news_testimonials"] = _values(
        subjects.news_testimonials_of(person),
        "author_name",
        "author_position",
        "text",
        "status",
        "consent_text",
        "consent_given_at",
        "consent_withdrawn_at",
        "submitted_at",
    )
    document["tandem_sessions"] = [
        {"tandem": s.tandem.title, "session": s.title, "date": s.date}
        for s in subjects.tandem_sessions_naming(person)
    ]
    document["strategy_reviews"] = [
        {"strategy": r.strategy_title, "review_date": r.review_date}
        for r in subjects.strategy_reviews_naming(person)
    ]
    document["training_records"] = [
        {
            "course": r.entry.title,
            "partner": r.partner.cluster.name,
            "status": r.status,
            "enrolled_on": r.enrolled_on,
            "completed_on": r.completed_on,
            "notes": r.notes,
            "certificate_in_archive": f"files/training/{r.pk}-{_file_name(r.certificate)}"
            if r.certificate
            else None,
        }
        for r in subjects.training_records_of(person)
    ]
    document["invitations_to_them"] = [
        {
            "email": i.email,
            "first_name": i.first_name,
            "last_name": i.last_name,
            "message": i.message,
            "role": i.role_kind,
            "to": str(i.target),
            "invited_by": str(i.invited_by) if i.invited_by_id else None,
            "language": i.language,
            "state": i.state,
            "created_at": i.created_at,
            "last_sent_at": i.last_sent_at,
            "expires_at": i.expires_at,
            "accepted_at": i.accepted_at,
            "revoked_at": i.revoked_at,
        }
        for i in subjects.invitations_of(person).select_related(
            "invited_by", "programme", "organisation", "event"
        )
    ]
    # Who they invited is the invitees' data: the role, the target, the state and their own message only.
    document["invitations_sent_by_them"] = [
        {
            "role": i.role_kind,
            "to": str(i.target),
            "message": i.message,
            "state": i.state,
            "created_at": i.created_at,
            "sent_count": i.sent_count,
            "accepted_at": i.accepted_at,
            "revoked_at": i.revoked_at,
        }
        for i in subjects.invitations_sent_by(person).select_related("programme", "organisation", "event")
    ]
    # The emails kept for them by the mail queue, without their text (an invitation's carries its link).
    document["emails_to_them"] = _values(
        subjects.emails_to(subjects.addresses_of(person)).order_by("created_at", "pk"),
        "recipient",
        "subject",
        "status",
        "created_at",
        "sent_at",
    )
    # The jobs they started (what, how far, when: not the rows, which are other people's data), and the
    # details of any job that name them (a row's problem, a failure's reason).
    document["jobs_started_by_them"] = [
        {
            "job": str(job._meta.verbose_name),
            "about": str(job),
            "status": job.status,
            "total": job.total,
            "done": job.done,
            "created_at": job.created_at,
            "finished_at": job.finished_at,
        }
        for job in subjects.jobs_started_by(person)
    ]
    document["job_details_naming_them"] = [
        {
            "job": str(job._meta.verbose_name),
            "id": job.pk,
            "created_at": job.created_at,
            "row_errors": [job.errors[index] for index in errors],
            "message": job.message if in_message else "",
        }
        for job, errors, in_message in subjects.job_details_naming(person, subjects.addresses_of(person))
    ]
    document["consents"] = _values(
        person.consents.order_by("recorded_at", "id"),
        "purpose",
        "given",
        "text",
        "version",
        "subject",
        "source",
        "recorded_at",
    )
    document["erasure_requests"] = _values(
        ErasureRequest.objects.filter(person=person), "requested_at", "status", "decided_at", "reason"
    )
    about = AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk))
    if user is not None:
        about = (
            about
            | AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
            | AuditEntry.objects.filter(subject=user)
            | subjects.old_role_entries(user)
        )
    document["audit_entries_about_them"] = _values(
        about.order_by("created_at", "id"),
        "created_at",
        "action",
        "object_type",
        "from_state",
        "to_state",
        "changes",
    )
    document["audit_entries_by_them"] = (
        _values(
            AuditEntry.objects.filter(actor=user).order_by("created_at", "id"),
            "created_at",
            "action",
            "object_type",
            "object_repr",
        )
        if user is not None
        else []
    )
    document["accesses_by_others"] = [
        {"at": a.created_at, "by": str(a.actor) if a.actor else None, "kind": a.kind, "detail": a.detail}
        for a in PersonalDataAccess.objects.filter(person=person)
        .select_related("actor")
        .order_by("created_at")
    ]
    return document


def to_json(document: dict) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def to_zip(person, document: dict) -> bytes:
    """The JSON document plus every uploaded file of the person that is still in storage."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        missing = []
        for evidence in subjects.evidence_of(person):
            _add_file(
                archive, evidence.file, f"files/evidence/{evidence.pk}-{_file_name(evidence.file)}", missing
            )
        for record in subjects.training_records_of(person):
            if record.certificate:
                _add_file(
                    archive,
                    record.certificate,
                    f"files/training/{record.pk}-{_file_name(record.certificate)}",
                    missing,
                )
        document = {**document, "files_missing_from_storage": missing}
        archive.writestr("personal-data.json", to_json(document))
    return buffer.getvalue()


def _add_file(archive, field, name: str, missing: list) -> None:
    if not field:
        return
    try:
        with field.open("rb") as handle:
            archive.writestr(name, handle.read())
    except FileNotFoundError:
        missing.append(name)
