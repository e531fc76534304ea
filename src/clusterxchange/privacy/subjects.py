"""What belongs to a person: the records the export lists and the erasure anonymises.

A person is a directory `Person`; the user account linked to it (if any) brings the records
created under that login (registrations, exchanges they applied for, host requests, signatures).
"""

from django.db.models import Q

from clusterxchange.accounts.models import Invitation
from clusterxchange.core.addresses import address_in
from clusterxchange.core.models import AuditEntry, OutgoingEmail
from clusterxchange.directory.models import OpportunityInterest
from clusterxchange.events.models import MeetingFeedback, MeetingRequest, Registration
from clusterxchange.exchanges.models import AgreementSignature, Evidence, Exchange, HostRequest
from clusterxchange.messaging.models import MessageRecipient
from clusterxchange.news.models import Testimonial
from clusterxchange.privacy.retention import job_models
from clusterxchange.tandems.models import StrategyReview, TandemSession
from clusterxchange.training.models import TrainingRecord

# The person's own words in their records: exported, and blanked by the erasure.
EXCHANGE_TEXTS = (
    "motivation",
    "goals",
    "preferences",
    "report_activities",
    "report_results",
    "report_follow_up",
    "testimonial",
)
REGISTRATION_TEXTS = ("profile", "learnings", "actions")


def exchanges_of(person, *, created: bool = False):
    """The exchanges the person travels in, and those they applied for without naming a traveller
    (`created=True`: also those they applied for on a colleague's behalf, for the export)."""
    condition = Q(visitor_person=person)
    if person.user_id:
        condition |= (
            Q(created_by_id=person.user_id)
            if created
            else Q(created_by_id=person.user_id, visitor_person__isnull=True)
        )
    return Exchange.objects.filter(condition).select_related(
        "programme", "visitor_organisation", "host_organisation"
    )


def addresses_of(person) -> set[str]:
    """The person's addresses, in lower case: the person record's, and their account's (its login and
    those allauth verified)."""
    addresses = {person.email.lower()} if person.email else set()
    if person.user_id:
        addresses |= person.user.own_addresses()
    return addresses


def invitations_of(person):
    """The invitations addressed to the person, whatever their state: to the person record's address, to
    an address of their account (its login or one allauth verified), or accepted by their account."""
    condition = address_in("email", addresses_of(person))
    if person.user_id:
        condition |= Q(accepted_by_id=person.user_id)
    return Invitation.objects.filter(condition)


def invitations_sent_by(person):
    """The invitations the person's account sent."""
    if not person.user_id:
        return Invitation.objects.none()
    return Invitation.objects.filter(invited_by_id=person.user_id)


def emails_to(addresses):
    """The emails of the mail queue (`core.mail`: queued, sent or failed) addressed to one of `addresses`
    (in lower case), found by the index on the lower-case recipient."""
    return OutgoingEmail.objects.filter(address_in("recipient", addresses))


def emails_replying_to(addresses):
    """The emails of the mail queue whose answers go to one of `addresses` (a group message the person
    wrote, `messaging`: Reply-To is its sender's address)."""
    return OutgoingEmail.objects.filter(address_in("reply_to", addresses))


def message_recipients_of(person, addresses):
    """The person as a recipient of group messages (messaging): by their account or one of `addresses`."""
    condition = address_in("address", addresses)
    if person.user_id:
        condition |= Q(user_id=person.user_id)
    return MessageRecipient.objects.filter(condition)


def evidence_of(person):
    return Evidence.objects.filter(exchange__in=exchanges_of(person)).select_related("exchange")


def host_requests_of(person):
    if not person.user_id:
        return HostRequest.objects.none()
    return HostRequest.objects.filter(created_by_id=person.user_id).select_related(
        "exchange", "host_organisation"
    )


def interests_sent(person):
    """The expressions of interest in opportunities sent under the person's login."""
    if not person.user_id:
        return OpportunityInterest.objects.none()
    return OpportunityInterest.objects.filter(user_id=person.user_id).select_related(
        "opportunity", "organisation"
    )


def signatures_of(person):
    if not person.user_id:
        return AgreementSignature.objects.none()
    return AgreementSignature.objects.filter(signed_by_id=person.user_id).select_related("exchange")


def registrations_of(person):
    condition = Q(person=person)
    if person.user_id:
        condition |= Q(user_id=person.user_id)
    return Registration.objects.filter(condition).select_related("event", "organisation")


def meeting_requests_sent(person):
    return MeetingRequest.objects.filter(requester__in=registrations_of(person)).select_related("event")


def feedback_of(person):
    return MeetingFeedback.objects.filter(registration__in=registrations_of(person)).select_related("meeting")


def news_testimonials_of(person):
    """Testimonials written for the news pages (the `news` app) under the person's login."""

    if not person.user_id:
        return Testimonial.objects.none()
    return Testimonial.objects.filter(author_id=person.user_id)


def training_records_of(person):
    return TrainingRecord.objects.filter(person=person).select_related("entry", "partner__cluster")


def starts_with_name(line: str, name: str) -> bool:
    """`line` ("name", "name, organisation", "name (organisation)") begins with the whole `name`:
    "Ann Smith" is not found in "Ann Smithers"."""
    line = line.strip()
    return (
        bool(name) and line.lower().startswith(name.lower()) and not line[len(name) : len(name) + 1].isalnum()
    )


def tandem_sessions_naming(person):
    """Tandem sessions whose attendee list (one name per line) names the person."""
    name = str(person).strip()
    candidates = TandemSession.objects.filter(attendees__icontains=name).select_related("tandem")
    return [s for s in candidates if any(starts_with_name(line, name) for line in s.attendee_list)]


def strategy_reviews_naming(person):
    """Strategy reviews whose reviewer list ("name, organisation" per line) names the person."""
    name = str(person).strip()
    candidates = StrategyReview.objects.filter(reviewers__icontains=name).select_related("reviewed__cluster")
    return [r for r in candidates if any(starts_with_name(line, name) for line in r.reviewer_list)]


def replace_name_lines(text: str, name: str, replacement: str) -> str:
    """Each line starting with `name` gets `replacement` instead of the name (the rest is kept)."""
    return "\n".join(
        replacement + line.strip()[len(name) :] if starts_with_name(line, name) else line
        for line in text.splitlines()
    )


def jobs_started_by(person) -> list:
    """The background jobs (imports, invitation files: `core.models.Job`) the person's account started,
    newest first."""
    if not person.user_id:
        return []
    started = [job for model in job_models() for job in model.objects.filter(created_by_id=person.user_id)]
    return sorted(started, key=lambda job: job.created_at, reverse=True)


def _names_person(text: str, needles: set[str]) -> bool:
    text = text.lower()
    return any(needle in text for needle in needles)


def job_details_naming(person, addresses) -> list[tuple]:
    """(job, the indexes of its row errors that name the person, whether its `message` does) for each
    job whose details name them: by one of `addresses` or their full name. Read in Python: the JSON
    text of the errors escapes accents on some databases, and the retention (`purge-job-details`)
    keeps few jobs with details."""
    needles = {address.lower() for address in addresses} | ({str(person).strip().lower()} - {""})
    found = []
    for model in job_models():
        fields = [name for name in ("message", "errors") if name in model.DETAIL_FIELDS]
        for job in model.objects.filter(details_purged_at__isnull=True).only("created_at", *fields):
            errors = [
                index
                for index, error in enumerate(getattr(job, "errors", None) or [])
                if _names_person(str(error.get("message", "")), needles)
            ]
            in_message = _names_person(job.message, needles)
            if errors or in_message:
                found.append((job, errors, in_message))
    return found


def old_role_entries(user):
    """Role changes audited on a membership (before the organisations' role history, a7cddeb) that the
    data migration accounts 0010 could not move onto the organisation: those of the user's memberships,
    and those whose text ("person – organisation (role)") begins with their name."""
    memberships = [str(pk) for pk in user.memberships.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        object_type="accounts.membership", action__startswith="accounts.role."
    ).filter(Q(object_id__in=memberships) | Q(object_repr__startswith=f"{user} – "))
