"""Importing an event's participants and meeting requests from another matchmaking tool's export
(issue #18 point 8: b2match-style CSV or XLSX, one file of participants, one of requests).

The organiser maps the file's columns to our fields first (`map_columns`: a required field left
unmapped is an error, nothing is read further). Each row then goes through the same domain actions
as the pages — `domain.register` and `decide_registration`, `questions.set_participant_type`,
`domain.request_meeting` and `respond` — each in its own savepoint, so a row's problem is the
action's own reason (capacity, who-may-meet-whom, caps, an open request between the two…). A dry
run rolls everything back; the import runs in one transaction and writes all rows or none.
Participants are emailed as they would be for the same action on a page.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.core.domain import Refused, require
from clusterxchange.core.tabular import ImportReport, RowError, Table, choice_lookup, split_list
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.events import questions
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import Event, MeetingRequest, Registration, RegistrationQuestion

PARTICIPANTS, REQUESTS = "participants", "requests"
ACCEPTED_WORDS = {"accepted", "confirmed", "scheduled", "yes", "1", "true"}


@dataclass(frozen=True)
class Target:
    """One of our fields a column can be mapped to; `names` are headers recognised without help."""

    name: str
    label: str
    required: bool
    names: tuple[str, ...] = ()


PARTICIPANT_TARGETS = [
    Target(
        "organisation",
        gettext_lazy("Organisation (name, identifier or VAT number)"),
        True,
        ("organisation", "organization", "company", "organisation name", "organization name", "company name"),
    ),
    Target("email", gettext_lazy("Email of the person"), False, ("email", "e-mail", "email address")),
    Target(
        "role",
        gettext_lazy("Taking part as (delegate, local, exhibitor)"),
        False,
        ("role", "taking part as"),
    ),
    Target(
        "participant_type",
        gettext_lazy("Participant type"),
        False,
        ("participant type", "type", "participation type", "profile type"),
    ),
    Target(
        "profile",
        gettext_lazy("What they offer and look for"),
        False,
        ("profile", "description", "organisation description", "organization description"),
    ),
]
REQUEST_TARGETS = [
    Target(
        "requester",
        gettext_lazy("Requester (organisation or email)"),
        True,
        ("requester", "from", "sender", "requested by", "requester organization", "requester organisation"),
    ),
    Target(
        "recipient",
        gettext_lazy("Recipient (organisation or email)"),
        True,
        ("recipient", "to", "receiver", "requested", "recipient organization", "recipient organisation"),
    ),
    Target("message", gettext_lazy("Message"), False, ("message", "note", "comment")),
    Target(
        "status",
        gettext_lazy("Status (accepted creates the meeting)"),
        False,
        ("status", "meeting status", "state"),
    ),
    Target("must_meet", gettext_lazy("Must meet (yes/no)"), False, ("must meet", "priority")),
]


def targets_for(event: Event, kind: str) -> list[Target]:
    """Our fields for a kind of file; participants also answer the event's questions."""
    if kind == REQUESTS:
        return REQUEST_TARGETS
    asked = [
        Target(questions.field_name(question), question.text, False, (question.text.strip().lower(),))
        for question in event.questions.all()
    ]
    return PARTICIPANT_TARGETS + asked


def guess_mapping(targets: list[Target], headers: list[str]) -> dict[str, str]:
    """target → the file's column whose (lower-case) header is one of the target's names."""
    found = {}
    for target in targets:
        column = next((header for header in headers if header in target.names or header == target.name), "")
        if column:
            found[target.name] = column
    return found


def map_columns(table: Table, targets: list[Target], mapping: dict[str, str]) -> Table:
    """The table with our field names; a required field without a column is a ValidationError."""
    errors = {}
    for target in targets:
        column = mapping.get(target.name, "")
        if column and column not in table.headers:
            errors[target.name] = _("The file has no column “%(column)s”.") % {"column": column}
        elif target.required and not column:
            errors[target.name] = _("Choose the file's column for “%(field)s”: it is required.") % {
                "field": target.label
            }
    if errors:
        raise ValidationError(errors)
    used = {target.name: mapping[target.name] for target in targets if mapping.get(target.name)}
    rows = [{name: row.get(column, "") for name, column in used.items()} for row in table.rows]
    return Table(headers=list(used), rows=rows)


def _messages(error: Exception) -> list[tuple[str, str]]:
    """(field, message) pairs of a domain error, for the row's report."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            (field, str(message)) for field, messages in error.message_dict.items() for message in messages
        ]
    if isinstance(error, ValidationError):
        return [("", str(message)) for message in error.messages]
    return [("", reason) for reason in getattr(error, "reasons", None) or [str(error)]]


def _find_organisation(value: str) -> Organisation | None:
    value = value.strip()
    return (
        Organisation.objects.filter(
            Q(slug=value) | Q(name__iexact=value) | Q(vat_number=value.replace(" ", "").upper())
        )
        .order_by("pk")
        .first()
        if value
        else None
    )


def _attempt(report: ImportReport, row: int, action) -> object:
    """Run one row's action in a savepoint; its problem becomes the row's errors."""
    try:
        with transaction.atomic():
            return action()
    except (ValidationError, Refused, PermissionDenied) as error:
        for field, message in _messages(error):
            report.errors.append(RowError(row, field, message))
        return None


def _run(actor, event: Event, report: ImportReport, rows) -> ImportReport:
    """Run the rows in one transaction, rolled back unless this is the real run and every row is valid."""
    with transaction.atomic():
        rows()
        if report.dry_run or not report.ok:
            transaction.set_rollback(True)
            if not report.dry_run:
                report.created = 0
    return report


def import_participants(actor, event: Event, table: Table, *, dry_run: bool = True) -> ImportReport:
    """Register and validate each row's organisation (and person, by email) with its type and answers."""
    require(actor, "events.change_event", event)
    report = ImportReport(kind=PARTICIPANTS, total_rows=len(table.rows), dry_run=dry_run)
    roles = choice_lookup(Registration.Role.choices)
    types = {t.name.lower(): t for t in event.participant_types.all()}
    event_questions = list(event.questions.all())
    users = get_user_model()

    def rows() -> None:
        for row, values in table.numbered():
            organisation = _find_organisation(values.get("organisation", ""))
            if organisation is None:
                report.errors.append(
                    RowError(
                        row,
                        "organisation",
                        _("No organisation “%(value)s” in the directory: import it there first.")
                        % {"value": values.get("organisation", "")},
                    )
                )
                continue
            role = roles.get(values.get("role", "").strip().lower() or Registration.Role.LOCAL)
            type_name = values.get("participant_type", "").strip()
            participant_type = types.get(type_name.lower()) if type_name else None
            problems = []
            if role is None:
                problems.append(
                    RowError(row, "role", _("Unknown role “%(value)s”.") % {"value": values["role"]})
                )
            if type_name and participant_type is None:
                problems.append(
                    RowError(
                        row,
                        "participant_type",
                        _("The event has no participant type “%(value)s”.") % {"value": type_name},
                    )
                )
            if problems:
                report.errors.extend(problems)
                continue
            email = values.get("email", "").strip()
            user = users.objects.filter(email__iexact=email).first() if email else None
            person = Person.objects.filter(email__iexact=email).order_by("pk").first() if email else None
            taken = event.registrations.exclude(status=Registration.Status.CANCELLED).filter(
                organisation=organisation, person=person, user=user
            )
            if taken.exists():
                report.errors.append(
                    RowError(
                        row, "organisation", _("%(name)s is already registered.") % {"name": organisation}
                    )
                )
                continue
            answers = {
                question.pk: split_list(values.get(questions.field_name(question), ""))
                if question.kind == RegistrationQuestion.Kind.MULTIPLE
                else values.get(questions.field_name(question), "")
                for question in event_questions
            }

            def register(
                organisation=organisation,
                person=person,
                user=user,
                answers=answers,
                role=role,
                participant_type=participant_type,
                values=values,
            ):
                registration = registering.register(
                    actor,
                    event,
                    organisation,
                    role=role,
                    profile=values.get("profile", ""),
                    person=person,
                    user=user,
                    answers=answers,
                    participant_type=participant_type,
                    check_permission=False,
                )
                if registration.status != Registration.Status.VALIDATED:
                    registering.decide_registration(actor, registration, True)
                return registration

            if _attempt(report, row, register) is not None:
                report.created += 1

    return _run(actor, event, report, rows)


def _find_participant(event: Event, value: str) -> tuple[Registration | None, str]:
    """The validated registration named by an email (person or account) or an organisation."""
    value = value.strip()
    live = event.registrations.filter(status=Registration.Status.VALIDATED)
    if "@" in value:
        found = list(live.filter(Q(user__email__iexact=value) | Q(person__email__iexact=value))[:2])
    else:
        found = list(
            live.filter(
                Q(organisation__name__iexact=value)
                | Q(organisation__slug=value)
                | Q(organisation__vat_number=value.replace(" ", "").upper())
            )[:2]
        )
    if not found:
        return None, _("No validated participant “%(value)s” in this event.") % {"value": value}
    if len(found) > 1:
        return None, _("“%(value)s” names several participants: use the person's email.") % {"value": value}
    return found[0], ""


def import_requests(actor, event: Event, table: Table, *, dry_run: bool = True) -> ImportReport:
    """Each row is a request between two validated participants, accepted at once when its status
    says so; every refusal of a request made on the page holds."""
    require(actor, "events.change_event", event)
    report = ImportReport(kind=REQUESTS, total_rows=len(table.rows), dry_run=dry_run)

    def rows() -> None:
        for row, values in table.numbered():
            requester, problem = _find_participant(event, values.get("requester", ""))
            if problem:
                report.errors.append(RowError(row, "requester", problem))
            recipient, other_problem = _find_participant(event, values.get("recipient", ""))
            if other_problem:
                report.errors.append(RowError(row, "recipient", other_problem))
            if problem or other_problem:
                continue
            accepted = values.get("status", "").strip().lower() in ACCEPTED_WORDS
            must_meet = values.get("must_meet", "").strip().lower() in {"yes", "true", "1", "x"}

            def create(
                requester=requester,
                recipient=recipient,
                accepted=accepted,
                must_meet=must_meet,
                values=values,
            ):
                meeting_request = matchmaking.request_meeting(
                    actor, requester, recipient, values.get("message", ""), must_meet=must_meet
                )
                if accepted and meeting_request.status == MeetingRequest.Status.PENDING:
                    matchmaking.respond(actor, meeting_request, True)
                return meeting_request

            if _attempt(report, row, create) is not None:
                report.created += 1

    return _run(actor, event, report, rows)
