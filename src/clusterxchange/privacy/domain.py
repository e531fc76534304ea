"""Privacy actions: consents, exports, erasure requests and erasure.

Erasure anonymises instead of deleting: the person's row, registrations, exchanges, meetings and
training records stay (every KPI counts them, and the grant file of a paid exchange must be kept),
but nothing in them identifies the person any more. It is refused while one of the person's
exchanges is running (from submission until the grant is paid or the exchange closed): the
partnership still has to assess the application, pay the visitor or check the evidence, which
needs the visitor's identity (GDPR Art. 17(3)(b) and (e)). Evidence of a paid exchange is deleted
with the erasure too: the payment is made and recorded; the retention period of `purge_evidence`
is for people who are not erased.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.accounts.models import Membership
from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.models import AuditEntry, OutgoingEmail
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges.models import ExchangeState
from clusterxchange.news import domain as news_domain
from clusterxchange.privacy import consents, export, subjects
from clusterxchange.privacy.access import log_access
from clusterxchange.privacy.models import ConsentRecord, ErasureRequest, PersonalDataAccess, Purpose
from clusterxchange.programmes.models import ProgrammeRole

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"
ERASED_TEXT = "[erased]"
# From submission until the money is paid or the exchange is closed.
RUNNING_STATES = {
    ExchangeState.SUBMITTED,
    ExchangeState.VALIDATED,
    ExchangeState.MATCHED,
    ExchangeState.AGREEMENT_SIGNED,
    ExchangeState.IN_PROGRESS,
    ExchangeState.REPORT_SUBMITTED,
    ExchangeState.REPORT_VALIDATED,
}


def is_erased(person) -> bool:
    return ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.DONE).exists()


@transaction.atomic
def set_listing_consent(actor, person, given: bool) -> ConsentRecord:
    require(actor, "privacy.change_consent", person)
    if is_erased(person):
        raise ValidationError(_("The data of this person was erased."))
    person.listed = given
    person.save(update_fields=["listed", "updated_at"])
    record = consents.record_listing_change(actor, person, given)
    audit.record(actor, "privacy.consent.listing", person, to_state="given" if given else "withdrawn")
    return record


def testimonials_of(person) -> list[dict]:
    """The person's testimonials anywhere in the platform, with their current consent."""
    items = [
        {
            "kind": "exchange",
            "id": exchange.pk,
            "subject": f"exchange {exchange.reference}",
            "label": _("Exchange %(reference)s") % {"reference": exchange.reference},
            "text": exchange.testimonial,
            "consent": exchange.testimonial_consent,
        }
        for exchange in subjects.exchanges_of(person).exclude(testimonial="")
    ]
    items += [
        {
            "kind": "feedback",
            "id": feedback.pk,
            "subject": f"meeting feedback {feedback.pk}",
            "label": _("Meeting feedback, %(event)s") % {"event": feedback.meeting.event.title},
            "text": feedback.testimonial,
            "consent": feedback.publish_consent,
        }
        for feedback in subjects.feedback_of(person).select_related("meeting__event").exclude(testimonial="")
    ]
    items += [
        {
            "kind": "news",
            "id": testimonial.pk,
            "subject": f"news testimonial {testimonial.pk}",
            "label": _("Testimonial for the news pages"),
            "text": testimonial.text,
            "consent": testimonial.consent_withdrawn_at is None and testimonial.consent_given_at is not None,
        }
        for testimonial in subjects.news_testimonials_of(person)
    ]
    return items


@transaction.atomic
def _own_testimonial(testimonials, pk: int):
    """The person's testimonial `pk` among `testimonials` (theirs only); another's is bad input."""
    testimonial = testimonials.filter(pk=pk).first()
    if testimonial is None:
        raise ValidationError(_("This testimonial does not belong to this person."))
    return testimonial


def set_testimonial_consent(actor, person, kind: str, pk: int, given: bool) -> ConsentRecord:
    require(actor, "privacy.change_consent", person)
    if kind == "exchange":
        target = _own_testimonial(subjects.exchanges_of(person).select_for_update(of=("self",)), pk)
        target.testimonial_consent = given
        target.save(update_fields=["testimonial_consent", "updated_at"])
        subject = f"exchange {target.reference}"
    elif kind == "news":
        # The news app owns its testimonials' consent: withdrawal only, through its own action
        # (a new consent means writing a new testimonial there).
        if given:
            raise ValidationError(_("Submit the testimonial again on the news pages to give consent."))
        target = news_domain.withdraw_consent(
            actor, _own_testimonial(subjects.news_testimonials_of(person), pk)
        )
        subject = f"news testimonial {target.pk}"
    elif kind == "feedback":
        target = _own_testimonial(subjects.feedback_of(person).select_for_update(of=("self",)), pk)
        target.publish_consent = given
        target.save(update_fields=["publish_consent"])
        subject = f"meeting feedback {target.pk}"
    else:
        raise ValidationError(_("Unknown kind of testimonial."))
    source = ConsentRecord.Source.SELF if person.user_id == actor.pk else ConsentRecord.Source.ON_BEHALF
    record = consents.record_consent(
        person, Purpose.TESTIMONIAL, given, actor=actor, source=source, subject=subject
    )
    audit.record(actor, "privacy.consent.testimonial", target, to_state="given" if given else "withdrawn")
    return record


def export_person(actor, person, *, with_files: bool = False) -> tuple[str, bytes]:
    """(file name, content) of the person's data; logged when someone else exports it."""

    require(actor, "privacy.export_person", person)
    document = export.build(person)
    with transaction.atomic():
        log_access(actor, person, PersonalDataAccess.Kind.EXPORT, "zip" if with_files else "json")
        audit.record(actor, "privacy.export", person, comment="with files" if with_files else "")
    stamp = timezone.now().strftime("%Y%m%d")
    if with_files:
        return f"personal-data-{person.pk}-{stamp}.zip", export.to_zip(person, document)
    return f"personal-data-{person.pk}-{stamp}.json", export.to_json(document)


@transaction.atomic
def request_erasure(actor, person, message: str = "") -> ErasureRequest:
    require(actor, "privacy.request_erasure", person)
    if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.OPEN).exists():
        raise ValidationError(_("You have already asked for the erasure of your data."))
    request = ErasureRequest.objects.create(person=person, requested_by=actor, message=message)
    audit.record(actor, "privacy.erasure.request", person, to_state="open")
    return request


@transaction.atomic
def refuse_erasure(actor, request: ErasureRequest, reason: str) -> ErasureRequest:
    require(actor, "privacy.erase_person", request.person)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    if request.status != ErasureRequest.Status.OPEN:
        raise ValidationError(_("This request was already decided."))
    request.status, request.reason = ErasureRequest.Status.REFUSED, reason
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save()
    audit.record(actor, "privacy.erasure.refuse", request.person, to_state="refused", comment=reason)
    return request


def erasure_blockers(person) -> list[str]:
    if is_erased(person):
        return [_("The data of this person was already erased.")]
    return [
        _(
            "Exchange %(reference)s is still running (%(state)s): it must be paid, withdrawn or cancelled first."
        )
        % {"reference": exchange.reference, "state": exchange.get_state_display()}
        for exchange in subjects.exchanges_of(person).filter(state__in=RUNNING_STATES)
    ]


@dataclass
class ErasureResult:
    person_id: int
    counts: dict[str, int] = field(default_factory=dict)
    files_deleted: list[str] = field(default_factory=list)


def erase_person(actor, person, *, reason: str = "") -> ErasureResult:
    """Anonymise the person and their account; delete their uploaded files (after the commit)."""
    require(actor, "privacy.erase_person", person)
    if person.user_id is not None and person.user_id == actor.pk:
        raise PermissionDenied(_("Ask a coordinator to erase your own data."))
    with transaction.atomic():
        person = type(person).objects.select_for_update().get(pk=person.pk)
        blockers = erasure_blockers(person)
        if blockers:
            raise Refused(*blockers)  # one reason per blocking record
        result = _anonymise(actor, person)
        open_request = ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.OPEN).first()
        request = open_request or ErasureRequest(person=person, requested_by=actor, message=reason)
        request.status, request.decided_by, request.decided_at = (
            ErasureRequest.Status.DONE,
            actor,
            timezone.now(),
        )
        request.reason = reason or request.reason
        request.save()
        audit.record(
            actor, "privacy.erasure.done", person, to_state="erased", comment=reason, changes=result.counts
        )
        storage_names = list(result.files_deleted)
        transaction.on_commit(lambda: _delete_files(storage_names))
    return result


def _delete_files(names: list[str]) -> None:

    for name in names:
        default_storage.delete(name)


def _anonymise(actor, person) -> ErasureResult:

    result = ErasureResult(person.pk)
    counts = result.counts
    name = str(person).strip()
    user = person.user

    # Free-text records that name the person (tandem attendees, strategy reviewers).
    sessions = subjects.tandem_sessions_naming(person)
    for session in sessions:
        session.attendees = subjects.replace_name_lines(session.attendees, name, _erased_name())
        session.save(update_fields=["attendees"])
    counts["tandem_sessions"] = len(sessions)
    reviews = subjects.strategy_reviews_naming(person)
    for review in reviews:
        review.reviewers = subjects.replace_name_lines(review.reviewers, name, _erased_name())
        review.save(update_fields=["reviewers"])
    counts["strategy_reviews"] = len(reviews)

    # Exchanges: the visitor's own texts; states, dates, organisations and amounts stay (KPIs, grant file).
    exchanges = subjects.exchanges_of(person)
    counts["exchanges"] = exchanges.update(
        **dict.fromkeys(subjects.EXCHANGE_TEXTS, "") | {"motivation": ERASED_TEXT}, testimonial_consent=False
    )
    evidence = list(subjects.evidence_of(person))
    result.files_deleted += [item.file.name for item in evidence if item.file]
    for item in evidence:
        audit.record(
            actor, "privacy.evidence.delete", item.exchange, comment=f"{item.kind}: erasure of a person"
        )
    counts["evidence_files"] = len(evidence)
    subjects.evidence_of(person).delete()
    counts["host_requests"] = subjects.host_requests_of(person).update(message=ERASED_TEXT)
    # An interest in an opportunity stays (the organisations' exchange); the sender's own words go.
    counts["opportunity_interests"] = subjects.interests_sent(person).update(message=ERASED_TEXT)
    counts["signatures"] = subjects.signatures_of(person).update(signatory_name=_erased_name())

    # Events: registrations and meetings stay (delegates and meetings count); texts go.
    counts["registrations"] = subjects.registrations_of(person).update(
        **dict.fromkeys(subjects.REGISTRATION_TEXTS, "")
    )
    counts["meeting_requests"] = subjects.meeting_requests_sent(person).update(message="")
    counts["meeting_feedback"] = subjects.feedback_of(person).update(testimonial="", publish_consent=False)
    # News testimonials are only published words of the person: they go (no KPI counts them).
    counts["news_testimonials"] = subjects.news_testimonials_of(person).delete()[0]

    # Training: the record counts ("staff trained"); the certificate file and notes go.
    records = list(subjects.training_records_of(person))
    result.files_deleted += [record.certificate.name for record in records if record.certificate]
    counts["training_records"] = subjects.training_records_of(person).update(notes="", certificate="")

    # Every address that reached them, read before the invitations and the account lose theirs.
    addresses = subjects.addresses_of(person) | {
        address.lower() for address in subjects.invitations_of(person).values_list("email", flat=True)
    }
    counts["invitations"] = _erase_invitations(subjects.invitations_of(person))
    counts["emails"] = _erase_emails(subjects.emails_to(addresses))
    # Their group messages went to others with Reply-To: their address; those emails keep the rest.
    counts["emails_replying_to"] = subjects.emails_replying_to(addresses).update(reply_to="")
    counts["message_recipients"] = subjects.message_recipients_of(person, addresses).update(
        address=_erased_address("erased-recipient-")
    )
    counts["job_details"] = _erase_job_details(subjects.job_details_naming(person, addresses))

    Organisation.objects.filter(contact_person=person).update(contact_person=None)
    AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk)).update(
        object_repr=_erased_name(), changes={}
    )
    for purpose in Purpose.values:
        consents.record_consent(person, purpose, False, actor=actor, source=ConsentRecord.Source.ERASURE)

    person.first_name, person.last_name = ERASED_FIRST_NAME, ERASED_LAST_NAME
    person.email = person.phone = person.position = ""
    person.listed = False
    person.save()
    person.languages.clear()

    if user is not None:
        subjects.old_role_entries(user).update(object_repr=_erased_name(), changes={})
        _deactivate(user)
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).update(
            object_repr=_erased_name(), changes={}
        )
        # The roles they were given or lost, recorded on organisations and programmes: the entry stays
        # (who changed which role, when), its changes named them (a coordinator appointed).
        AuditEntry.objects.filter(subject=user).update(changes={})
    counts["user_account"] = int(user is not None)
    return result


def _erased_address(prefix: str):
    """`<prefix><id>@erased.invalid` for each row of an update: unique, and reaches nobody."""
    return Concat(Value(prefix), Cast("pk", CharField()), Value("@erased.invalid"))


def _erase_emails(emails) -> int:
    """The emails to the person that the mail queue keeps (`core.mail`; an invitation's carries its
    text and link): one not yet sent is not sent (failed, with the reason), and each loses its address,
    subject and text; when it was queued, sent or failed stays."""
    emails.filter(status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED,
        next_attempt_at=None,
        last_error="Not sent: the recipient's data was erased.",
    )
    return emails.update(recipient=_erased_address("erased-email-"), subject=ERASED_TEXT, body="")


def _erase_job_details(found) -> int:
    """The row problems and failure reasons of background jobs that name the person: "[erased]" instead
    (the row number, the field, the job's counts and status stay)."""
    for job, errors, in_message in found:
        fields = []
        for index in errors:
            job.errors[index]["message"] = ERASED_TEXT
            fields = ["errors"]
        if in_message:
            job.message = ERASED_TEXT
            fields.append("message")
        job.save(update_fields=fields)
    return len(found)


def _erase_invitations(invitations) -> int:
    """Invitations to the person, pending or old: a pending link dies (revoked, its token forgotten), and
    the address, names and personal message go; the role, target, inviter and dates stay (who invited
    whom to what, in numbers). Their audit entries named the address: they name nobody any more."""
    ids = [str(pk) for pk in invitations.values_list("pk", flat=True)]
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())
    count = invitations.update(
        email=_erased_address("erased-invitation-"),
        first_name="",
        last_name="",
        message="",
        digest=None,
    )
    AuditEntry.objects.filter(object_type="accounts.invitation", object_id__in=ids).update(
        object_repr=ERASED_TEXT, changes={}
    )
    return count


def _deactivate(user) -> None:
    """The account stays (records point to it) but can never log in again and names nobody."""

    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.api_tokens.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    ProgrammeRole.objects.filter(user=user).delete()
    # Open sessions need no search: Django refuses a session whose user is inactive or whose
    # password hash changed (`set_unusable_password` above), so each one is logged out on its next request.


def _erased_name() -> str:
    return f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"
