"""Events API, registration questions and participant types (issue #18 point 7) and the import of
participants and requests (point 8): the same rules and actions (`events.questions`,
`events.imports`) as the pages (registered in `api/main.py` beside `events.api`)."""

import json
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from clusterxchange.core.api_schemas import JobOut, RowErrorOut, job_out
from clusterxchange.core.tabular import TableError, read_table
from clusterxchange.events import imports, questions
from clusterxchange.events.api import _event
from clusterxchange.events.models import (
    Event,
    EventImport,
    ParticipantType,
    Registration,
    RegistrationQuestion,
)

router = Router(tags=["events: registration questions"])


class QuestionOut(Schema):
    id: int
    text: str
    kind: str
    options: list[str]
    required: bool
    position: int


class QuestionIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    kind: Literal["text", "single", "multiple", "yes_no"] = "text"
    options: list[str] = Field([], description="The choices of a one- or several-choice question")
    required: bool = False
    position: int | None = Field(None, ge=0, le=1000)


class QuestionPatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=300)
    options: list[str] | None = None
    required: bool | None = None
    position: int | None = Field(None, ge=0, le=1000)


class TypeOut(Schema):
    id: int
    name: str
    meets: list[int] = Field(..., description="Ids of the types this one may meet")


class TypeIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)


class PairsIn(Schema):
    pairs: list[tuple[int, int]] = Field(
        ..., description="Pairs of type ids that may meet ([a, a]: among themselves)"
    )


class AnswersOut(Schema):
    registration: int
    participant_type: int | None
    answers: dict[int, str | list[str]] = Field(
        ..., description="Question id → the text, the choice, the choices, or yes/no"
    )


class AnswersIn(Schema):
    answers: dict[int, str | list[str] | bool] = Field({}, description="Question id → answer")
    participant_type: int | None = None


def _question_out(question: RegistrationQuestion) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "kind": question.kind,
        "options": question.option_list,
        "required": question.required,
        "position": question.position,
    }


def _answers_out(registration: Registration) -> dict:
    return {
        "registration": registration.pk,
        "participant_type": registration.participant_type_id,
        "answers": {
            answer.question_id: answer.values
            if answer.question.kind == RegistrationQuestion.Kind.MULTIPLE
            else answer.value
            for answer in registration.answers.select_related("question")
        },
    }


@router.get("/{slug}/questions", response=list[QuestionOut], auth=None, summary="The registration questions")
def list_questions(request, slug: str):
    return [_question_out(q) for q in _event(request, slug).questions.all()]


@router.post(
    "/{slug}/questions", response={201: QuestionOut}, summary="Add a registration question (the organiser)"
)
def add_question(request, slug: str, payload: QuestionIn):
    event = _event(request, slug, "events.change_event")
    fields = payload.dict(exclude_none=True)
    fields["options"] = "\n".join(payload.options)
    return Status(201, _question_out(questions.add_question(request.user, event, fields)))


@router.patch(
    "/{slug}/questions/{question_id}", response=QuestionOut, summary="Change a question (the organiser)"
)
def update_question(request, slug: str, question_id: int, payload: QuestionPatch):
    event = _event(request, slug, "events.change_event")
    question = get_object_or_404(RegistrationQuestion, event=event, pk=question_id)
    fields = payload.dict(exclude_none=True)
    if payload.options is not None:
        fields["options"] = "\n".join(payload.options)
    return _question_out(questions.update_question(request.user, question, fields))


@router.delete(
    "/{slug}/questions/{question_id}", response={204: None}, summary="Remove a question and its answers"
)
def remove_question(request, slug: str, question_id: int):
    event = _event(request, slug, "events.change_event")
    questions.remove_question(
        request.user, get_object_or_404(RegistrationQuestion, event=event, pk=question_id)
    )
    return Status(204, None)


def _types_out(event: Event) -> list[dict]:
    pairs = questions.allowed_pairs(event.pk)
    return [
        {
            "id": t.pk,
            "name": t.name,
            "meets": sorted(next(iter(pair - {t.pk}), t.pk) for pair in pairs if t.pk in pair),
        }
        for t in event.participant_types.all()
    ]


@router.get(
    "/{slug}/participant-types",
    response=list[TypeOut],
    auth=None,
    summary="Participant types and who meets whom",
)
def list_types(request, slug: str):
    return _types_out(_event(request, slug))


@router.post(
    "/{slug}/participant-types", response={201: TypeOut}, summary="Add a participant type (the organiser)"
)
def add_type(request, slug: str, payload: TypeIn):
    event = _event(request, slug, "events.change_event")
    participant_type = questions.add_participant_type(request.user, event, payload.name)
    return Status(201, {"id": participant_type.pk, "name": participant_type.name, "meets": []})


@router.put(
    "/{slug}/participant-types/pairs",
    response=list[TypeOut],
    summary="Set who may meet whom (the organiser); refused while open requests would break it",
)
def set_pairs(request, slug: str, payload: PairsIn):
    event = _event(request, slug, "events.change_event")
    types = event.participant_types.in_bulk()
    pairs = [
        (types.get(a) or ParticipantType(pk=a), types.get(b) or ParticipantType(pk=b))
        for a, b in payload.pairs
    ]
    questions.set_allowed_pairs(request.user, event, pairs)
    return _types_out(event)


def _registration(request, event: Event, registration_id: int) -> Registration:
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    if not request.user.has_perm("events.change_registration", registration):
        raise PermissionDenied("You are not allowed to do this.")
    return registration


@router.get(
    "/{slug}/registrations/{registration_id}/answers",
    response=AnswersOut,
    summary="A registration's answers and type (the participant, the organiser)",
)
def get_answers(request, slug: str, registration_id: int):
    return _answers_out(_registration(request, _event(request, slug), registration_id))


@router.put(
    "/{slug}/registrations/{registration_id}/answers",
    response=AnswersOut,
    summary="Change the answers and type (the participant while registration is open, the organiser)",
)
def set_answers(request, slug: str, registration_id: int, payload: AnswersIn):
    event = _event(request, slug)
    registration = _registration(request, event, registration_id)
    participant_type = None
    if payload.participant_type is not None:
        participant_type = get_object_or_404(ParticipantType, event=event, pk=payload.participant_type)
    questions.set_details(
        request.user,
        registration,
        payload.answers,
        participant_type,
        change_type=event.participant_types.exists(),
    )
    registration.refresh_from_db()
    return _answers_out(registration)


class ImportRowsOut(Schema):
    detail: str
    total_rows: int
    errors: list[RowErrorOut]


class ImportOut(JobOut):
    kind: str
    created: int = Field(..., description="The rows imported (once done)")
    errors: list[RowErrorOut] = Field(
        ..., description="The rows the actions refused: then nothing was imported"
    )


def _import_out(job: EventImport) -> dict:
    return {**job_out(job), "kind": job.kind, "created": job.created, "errors": job.errors}


@router.post(
    "/{slug}/imports",
    response={202: ImportOut, 422: ImportRowsOut},
    summary="Import participants or meeting requests from a CSV/XLSX file in the background (the organiser)",
)
def start_import(
    request,
    slug: str,
    file: File[UploadedFile],
    kind: Form[Literal["participants", "requests"]] = "participants",
    mapping: Form[str] = "",
):
    """`mapping`: a JSON object of our field → the file's column (its header in lower case); without
    it, the usual headers of matchmaking tools are recognised. Each row is checked first (unknown
    organisations, participants, roles or types; someone registered already): any problem answers
    422 with every row's problems, and nothing is imported. Otherwise 202 with the import, which runs
    in the background: follow it at `/events/{slug}/imports/{id}`. A row the actions refuse there
    (capacity, who may meet whom…) stops it: nothing is imported and `errors` lists the rows."""
    event = _event(request, slug, "events.change_event")
    try:
        table = read_table(file.name or "upload.csv", file.read())
    except TableError as error:
        raise ValidationError({"file": str(error)}) from error
    targets = imports.targets_for(event, kind)
    try:
        chosen = json.loads(mapping) if mapping.strip() else imports.guess_mapping(targets, table.headers)
    except json.JSONDecodeError:
        chosen = None
    if not isinstance(chosen, dict) or not all(isinstance(v, str) for v in chosen.values()):
        raise ValidationError(
            {"mapping": _("Give the mapping as a JSON object: our field → the file's column.")}
        )
    report, job = imports.start_import(request.user, event, kind, imports.map_columns(table, targets, chosen))
    if job is None:
        detail = _("Nothing was imported: correct these rows and send the file again.")
        return Status(422, {"detail": detail, "total_rows": report.total_rows, "errors": report.errors})
    job.refresh_from_db()
    return Status(202, _import_out(job))


@router.get(
    "/{slug}/imports/{import_id}", response=ImportOut, summary="Progress of an import (the organiser)"
)
def get_import(request, slug: str, import_id: int):
    event = _event(request, slug, "events.change_event")
    return _import_out(get_object_or_404(EventImport, event=event, pk=import_id))
