"""Importing an event's participants and meeting requests from another matchmaking tool's export
(issue #18 point 8: b2match-style CSV or XLSX, one file of participants, one of requests).

The organiser maps the file's columns to our fields first (`map_columns`: a required field left
unmapped is an error, nothing is read further). The request then `check`s each row by the lookups
alone (unknown organisation, participant, role or type; someone registered already): quick, a
2,000-row file in seconds. When no row has a problem, `start_import` queues the import as a
background task (`run`, an `EventImport` job whose progress its page and the API show, core.jobs):
each row goes through the same domain actions as the pages — `domain.register` and
`decide_registration`, `questions.set_participant_type`, `domain.request_meeting` and `respond` —
each in its own savepoint, so a row's problem is the action's own reason (capacity, who-may-meet-whom,
caps, an open request between the two…). The import runs in one transaction and writes all rows or
none: a row the actions refuse leaves nothing imported and is listed with its reason. Participants are
emailed as they would be for the same action on a page (after the commit).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import preferred_language
from clusterxchange.core import audit, jobs
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.tabular import ImportReport, RowError, Table, choice_lookup, split_list
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.events import questions
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import (
    Event,
    EventImport,
    MeetingRequest,
    Registration,
    RegistrationQuestion,
)
from clusterxchange.events.tasks import run_import

Progress = Callable[[int], None]  # how many rows were gone through
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


LOOKUP_CHUNK = 900  # values per IN list (SQLite's limit on a query's parameters)


def _chunks(values: set[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def _vat(value: str) -> str:
    return value.replace(" ", "").upper()


def _organisations(values: set[str]) -> dict[str, Organisation]:
    """Each value → the organisation it names (identifier, name in any case or VAT number; the oldest
    when several match), asked of the database a few hundred values at a time."""
    matches: dict[str, list[Organisation]] = {}
    for chunk in _chunks(values):
        found = (
            Organisation.objects.annotate(lower_name=Lower("name"))
            .filter(
                Q(slug__in=chunk)
                | Q(lower_name__in=[v.lower() for v in chunk])
                | Q(vat_number__in=[_vat(v) for v in chunk])
            )
            .order_by("pk")
        )
        by_slug, by_name, by_vat = {}, {}, {}
        for organisation in found:
            by_slug.setdefault(organisation.slug, organisation)
            by_name.setdefault(organisation.lower_name, organisation)
            if organisation.vat_number:
                by_vat.setdefault(organisation.vat_number, organisation)
        for value in chunk:
            named = [by_slug.get(value), by_name.get(value.lower()), by_vat.get(_vat(value))]
            matches[value] = [organisation for organisation in named if organisation is not None]
    return {value: min(found, key=lambda o: o.pk) for value, found in matches.items() if found}


def _by_email(queryset, emails: set[str]) -> dict:
    """Each address (lower case) → the oldest record of `queryset` with it."""
    found = {}
    for chunk in _chunks(emails):
        for record in (
            queryset.annotate(lower_email=Lower("email")).filter(lower_email__in=chunk).order_by("pk")
        ):
            found.setdefault(record.lower_email, record)
    return found


def _attempt(report: ImportReport, row: int, action) -> object:
    """Run one row's action in a savepoint; its problem becomes the row's errors."""
    try:
        with transaction.atomic():
            return action()
    except (ValidationError, Refused, PermissionDenied) as error:
        for field, message in _messages(error):
            report.errors.append(RowError(row, field, message))
        return None


def _run(report: ImportReport, rows) -> ImportReport:
    """Run the rows in one transaction, rolled back unless this is the real run and every row is valid."""
    with transaction.atomic():
        rows()
        if report.dry_run or not report.ok:
            transaction.set_rollback(True)
            if not report.dry_run:
                report.created = 0
    return report


def _participants(event: Event, table: Table, report: ImportReport) -> Iterator[tuple[int, dict | None]]:
    """Each row's number and the registration it asks for (organisation, person and account by
    email, role, participant type, answers), or None when one of these is wrong (the row's errors
    are in `report`): the lookups only, without registering."""
    roles = choice_lookup(Registration.Role.choices)
    types = {t.name.lower(): t for t in event.participant_types.all()}
    event_questions = list(event.questions.all())
    organisations = _organisations({row.get("organisation", "").strip() for row in table.rows} - {""})
    emails = {row.get("email", "").strip().lower() for row in table.rows} - {""}
    users = _by_email(get_user_model().objects.all(), emails)
    people = _by_email(Person.objects.all(), emails)
    taken = set(
        event.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
            "organisation_id", "person_id", "user_id"
        )
    )
    for row, values in table.numbered():
        organisation = organisations.get(values.get("organisation", "").strip())
        if organisation is None:
            report.errors.append(
                RowError(
                    row,
                    "organisation",
                    _("No organisation “%(value)s” in the directory: import it there first.")
                    % {"value": values.get("organisation", "")},
                )
            )
            yield row, None
            continue
        role = roles.get(values.get("role", "").strip().lower() or Registration.Role.LOCAL)
        type_name = values.get("participant_type", "").strip()
        participant_type = types.get(type_name.lower()) if type_name else None
        problems = []
        if role is None:
            problems.append(RowError(row, "role", _("Unknown role “%(value)s”.") % {"value": values["role"]}))
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
            yield row, None
            continue
        email = values.get("email", "").strip().lower()
        user, person = users.get(email), people.get(email)
        key = (organisation.pk, person.pk if person else None, user.pk if user else None)
        if key in taken:
            report.errors.append(
                RowError(row, "organisation", _("%(name)s is already registered.") % {"name": organisation})
            )
            yield row, None
            continue
        answers = {
            question.pk: split_list(values.get(questions.field_name(question), ""))
            if question.kind == RegistrationQuestion.Kind.MULTIPLE
            else values.get(questions.field_name(question), "")
            for question in event_questions
        }
        taken.add(key)  # a second row for the same participant is one too many
        yield (
            row,
            {
                "organisation": organisation,
                "role": role,
                "profile": values.get("profile", ""),
                "person": person,
                "user": user,
                "answers": answers,
                "participant_type": participant_type,
            },
        )


def import_participants(
    actor, event: Event, table: Table, *, dry_run: bool = True, progress: Progress | None = None
) -> ImportReport:
    """Register and validate each row's organisation (and person, by email) with its type and answers;
    `progress(rows)` hears how many rows were gone through."""
    require(actor, "events.change_event", event)
    report = ImportReport(kind=PARTICIPANTS, total_rows=len(table.rows), dry_run=dry_run)

    def register(fields: dict) -> Registration:
        registration = registering.register(actor, event, check_permission=False, **fields)
        if registration.status != Registration.Status.VALIDATED:
            registering.decide_registration(actor, registration, True)
        return registration

    def rows() -> None:
        for done, (row, fields) in enumerate(_participants(event, table, report), start=1):
            if (
                fields is not None
                and _attempt(report, row, lambda fields=fields: register(fields)) is not None
            ):
                report.created += 1
            if progress is not None:
                progress(done)

    return _run(report, rows)


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


def _requests(event: Event, table: Table, report: ImportReport) -> Iterator[tuple[int, dict | None]]:
    """Each row's number and the request it asks for (the two validated participants, its message,
    whether accepted and a must-meet), or None when a participant is not found (the row's errors are
    in `report`): the lookups only."""
    for row, values in table.numbered():
        requester, problem = _find_participant(event, values.get("requester", ""))
        if problem:
            report.errors.append(RowError(row, "requester", problem))
        recipient, other_problem = _find_participant(event, values.get("recipient", ""))
        if other_problem:
            report.errors.append(RowError(row, "recipient", other_problem))
        if problem or other_problem:
            yield row, None
            continue
        yield (
            row,
            {
                "requester": requester,
                "recipient": recipient,
                "message": values.get("message", ""),
                "accepted": values.get("status", "").strip().lower() in ACCEPTED_WORDS,
                "must_meet": values.get("must_meet", "").strip().lower() in {"yes", "true", "1", "x"},
            },
        )


def import_requests(
    actor, event: Event, table: Table, *, dry_run: bool = True, progress: Progress | None = None
) -> ImportReport:
    """Each row is a request between two validated participants, accepted at once when its status
    says so; every refusal of a request made on the page holds. `progress` as for participants."""
    require(actor, "events.change_event", event)
    report = ImportReport(kind=REQUESTS, total_rows=len(table.rows), dry_run=dry_run)

    def create(fields: dict) -> MeetingRequest:
        meeting_request = matchmaking.request_meeting(
            actor, fields["requester"], fields["recipient"], fields["message"], must_meet=fields["must_meet"]
        )
        if fields["accepted"] and meeting_request.status == MeetingRequest.Status.PENDING:
            matchmaking.respond(actor, meeting_request, True)
        return meeting_request

    def rows() -> None:
        for done, (row, fields) in enumerate(_requests(event, table, report), start=1):
            if fields is not None and _attempt(report, row, lambda fields=fields: create(fields)) is not None:
                report.created += 1
            if progress is not None:
                progress(done)

    return _run(report, rows)


# In the background: a quick check in the request, the import itself in a task -------------------------

LOOKUPS = {PARTICIPANTS: _participants, REQUESTS: _requests}
IMPORTS = {PARTICIPANTS: import_participants, REQUESTS: import_requests}
PROGRESS_STEPS = 100  # live counts reported per import at most


def check(actor, event: Event, kind: str, table: Table) -> ImportReport:
    """What can be found wrong with each row without importing it (unknown organisations,
    participants, roles or types; someone registered already): quick enough for a request, a 2,000-row
    file in a few seconds. The refusals of the actions themselves (capacity, who may meet whom, an open
    request between two participants…) come from the import, which then imports nothing."""
    require(actor, "events.change_event", event)
    report = ImportReport(kind=kind, total_rows=len(table.rows))
    for _row in LOOKUPS[kind](event, table, report):
        pass
    return report


@transaction.atomic
def start_import(actor, event: Event, kind: str, table: Table) -> tuple[ImportReport, EventImport | None]:
    """Check `table` (its columns mapped to our fields, `map_columns`) and, when no row has a problem,
    queue its import as a background task; returns the check's report and the import (None when the
    file has problems)."""
    report = check(actor, event, kind, table)
    if not report.ok:
        return report, None
    job = EventImport.objects.create(
        event=event, kind=kind, created_by=actor, total=len(table.rows), rows=table.rows
    )
    audit.record(actor, "events.import.start", event, comment=f"import {job.pk}: {len(table.rows)} {kind}")
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return report, job


def run(job_id: int) -> EventImport:
    """The background task's work: import the rows of `job_id`, all or none, in the language of the
    person who started it, reporting how many rows were gone through."""
    if not jobs.start(EventImport, job_id):
        return EventImport.objects.get(pk=job_id)  # finished, or started by another worker
    job = EventImport.objects.select_related("event__programme", "created_by").get(pk=job_id)
    step = max(1, job.total // PROGRESS_STEPS)

    def progress(done: int) -> None:
        if done % step == 0:
            jobs.report(job, done)

    table = Table(headers=[], rows=job.rows)
    language = preferred_language(job.created_by, job.event.programme) if job.created_by else None
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            report = IMPORTS[job.kind](job.created_by, job.event, table, dry_run=False, progress=progress)
        except PermissionDenied:  # the person who started it may no longer organise the event
            jobs.finish(
                job, EventImport.Status.FAILED, _("You may no longer import into this event."), rows=[]
            )
            return job
    errors = [{"row": error.row, "field": error.field, "message": error.message} for error in report.errors]
    status = EventImport.Status.DONE if report.ok else EventImport.Status.FAILED
    jobs.finish(job, status, done=job.total, created=report.created, errors=errors, rows=[])
    return job
