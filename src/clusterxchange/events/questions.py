"""Registration questions and participant types (issue #18 point 7): the organiser's questions, the
participants' answers, and who may meet whom.

Answers: a text, the chosen option, the chosen options (one per line), or "yes"/"no". A participant
answers when registering and may change their answers while registration is open; the organiser may
change them at any time. A required question left unanswered is a field error and nothing is saved.

Participant types: when two participants both have a type, they may meet only if their types are an
allowed pair. The rule holds everywhere a meeting can arise — a request (and its acceptance),
suggestions, an import — so a forbidden pair never reaches the scheduler. Changing the rule or a
participant's type is refused while an open request or meeting would break it (the reason lists the
pairs): the organiser cancels those first, so the rule and the meetings never disagree.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, apply_fields, audited_update, require
from clusterxchange.events.models import (
    Event,
    MeetingRequest,
    ParticipantType,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
)

QUESTION_FIELDS = ["text", "kind", "options", "required", "position"]
YES, NO = "yes", "no"
OPEN_REQUESTS = [MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]
SHOWN_CONFLICTS = 5


def field_name(question: RegistrationQuestion) -> str:
    """The form field (and the key of a field error) of a question's answer."""
    return f"question_{question.pk}"


# Questions ---------------------------------------------------------------------------------------


def _check_question(question: RegistrationQuestion) -> None:
    options = question.option_list
    if question.has_options:
        if len(options) < 2:
            raise ValidationError({"options": _("Give at least two choices, one per line.")})
        if len({option.lower() for option in options}) != len(options):
            raise ValidationError({"options": _("Each choice may appear only once.")})
        question.options = "\n".join(options)
    else:
        question.options = ""


@transaction.atomic
def add_question(actor, event: Event, fields: dict) -> RegistrationQuestion:
    require(actor, "events.change_event", event)
    question = RegistrationQuestion(event=event)
    apply_fields(question, fields, QUESTION_FIELDS)
    if "position" not in fields:
        question.position = event.questions.count() + 1
    _check_question(question)
    question.full_clean()
    question.save()
    audit.record(actor, "events.question.create", event, comment=question.text)
    return question


@transaction.atomic
def update_question(
    actor, question: RegistrationQuestion, fields: dict, *, expected_version: str | None = None
) -> RegistrationQuestion:
    """Change a question; a choice that answers already hold cannot be removed (nor the kind changed
    while there are answers), so that no answer points to a choice that is gone."""
    question = RegistrationQuestion.objects.select_for_update().select_related("event").get(pk=question.pk)
    require(actor, "events.change_event", question.event)
    before_kind, before_options = question.kind, set(question.option_list)
    with audited_update(
        actor,
        question,
        fields,
        QUESTION_FIELDS,
        action="events.question.update",
        expected_version=expected_version,
    ):
        _check_question(question)
        answers = list(question.answers.values_list("value", flat=True))
        if answers and question.kind != before_kind:
            raise ValidationError(
                {"kind": _("Participants have answered this question: its kind can no longer change.")}
            )
        chosen = {line for value in answers for line in value.splitlines() if line}
        gone = sorted((before_options - set(question.option_list)) & chosen)
        if gone:
            raise ValidationError(
                {
                    "options": _("Participants chose %(choices)s: keep these choices.")
                    % {"choices": ", ".join(f"“{choice}”" for choice in gone)}
                }
            )
        question.full_clean()
    return question


@transaction.atomic
def remove_question(actor, question: RegistrationQuestion) -> None:
    """Remove a question with its answers (the audit entry keeps the question's text)."""
    require(actor, "events.change_event", question.event)
    audit.record(
        actor,
        "events.question.delete",
        question.event,
        comment=question.text,
        changes={"answers": question.answers.count()},
    )
    question.delete()


# Answers -----------------------------------------------------------------------------------------


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    text = str(value or "").strip().lower()
    if text in {YES, "true", "1", "y", str(_("yes")).lower()}:
        return YES
    if text in {NO, "false", "0", "n", str(_("no")).lower()}:
        return NO
    return text


def clean_answers(event: Event, raw: dict, *, require_all: bool = True) -> dict[int, str]:
    """The answers to store, by question id, from `raw` (question id → a text, a choice, a list of
    choices, or a boolean); every problem is a field error under `question_<id>`. An empty answer
    means no answer (an error for a required question when `require_all`)."""
    questions = {question.pk: question for question in event.questions.all()}
    errors: dict[str, str] = {}
    unknown = [key for key in raw if key not in questions]
    if unknown:
        errors["answers"] = _("These are not questions of this event: %(ids)s.") % {
            "ids": ", ".join(str(key) for key in unknown)
        }
    cleaned: dict[int, str] = {}
    for pk, question in questions.items():
        value = raw.get(pk)
        items = [str(item).strip() for item in value] if isinstance(value, list | tuple) else None
        if question.kind == RegistrationQuestion.Kind.YES_NO:
            text = _yes_no(value)
            if text and text not in {YES, NO}:
                errors[field_name(question)] = _("Answer yes or no.")
                continue
        elif question.kind == RegistrationQuestion.Kind.MULTIPLE:
            items = [item for item in (items if items is not None else str(value or "").splitlines()) if item]
            unknown_choices = [item for item in items if item not in question.option_list]
            if unknown_choices:
                errors[field_name(question)] = _("“%(choice)s” is not one of the choices.") % {
                    "choice": unknown_choices[0]
                }
                continue
            text = "\n".join(option for option in question.option_list if option in items)
        else:
            if items is not None:
                errors[field_name(question)] = _("Give one answer.")
                continue
            text = str(value or "").strip()
            if (
                question.kind == RegistrationQuestion.Kind.SINGLE
                and text
                and text not in question.option_list
            ):
                errors[field_name(question)] = _("“%(choice)s” is not one of the choices.") % {"choice": text}
                continue
            if len(text) > 5000:
                errors[field_name(question)] = _("Keep the answer under 5,000 characters.")
                continue
        if not text:
            if question.required and require_all:
                errors[field_name(question)] = _("This question requires an answer.")
            continue
        cleaned[pk] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_answers(registration: Registration, cleaned: dict[int, str], *, replace: bool = True) -> None:
    """Store the cleaned answers; with `replace`, a question left without an answer loses its old one."""
    if replace:
        registration.answers.exclude(question_id__in=cleaned).delete()
    for question_id, value in cleaned.items():
        RegistrationAnswer.objects.update_or_create(
            registration=registration, question_id=question_id, defaults={"value": value}
        )


def _changing(actor, registration: Registration, closed: str) -> tuple[Registration, bool]:
    """The registration locked for a change by ``actor``, and whether they change it as its organiser;
    a participant is refused with ``closed`` once registration has closed."""
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration.pk)
    )
    require(actor, "events.change_registration", registration)
    organiser = actor.has_perm("events.decide_registration", registration)
    if not organiser and not registration.event.registration_open:
        raise Refused(closed)
    return registration, organiser


@transaction.atomic
def set_answers(actor, registration: Registration, raw: dict) -> Registration:
    """Change a registration's answers: the participant while registration is open, the organiser at
    any time."""
    registration, organiser = _changing(
        actor, registration, _("Registration is closed: your answers can no longer be changed.")
    )
    event = registration.event
    if registration.status in {Registration.Status.CANCELLED, Registration.Status.REJECTED}:
        raise Refused(_("This registration is “%(status)s”.") % {"status": registration.get_status_display()})
    cleaned = clean_answers(event, raw, require_all=not organiser)
    save_answers(registration, cleaned)
    audit.record(actor, "events.registration.answers", registration, changes={"answers": len(cleaned)})
    return registration


def answers_by_registration(registrations) -> dict[int, dict[int, RegistrationAnswer]]:
    """registration id → question id → answer, in one query."""
    found: dict[int, dict[int, RegistrationAnswer]] = {}
    for answer in RegistrationAnswer.objects.filter(registration__in=registrations).select_related(
        "question"
    ):
        found.setdefault(answer.registration_id, {})[answer.question_id] = answer
    return found


def answered(queryset, question: RegistrationQuestion, value: str):
    """The registrations whose answer to `question` is `value`: the chosen option (one of several
    for a multiple choice), yes/no, or words contained in a text answer."""
    value = value.strip()
    if not value:
        return queryset
    if question.kind == RegistrationQuestion.Kind.TEXT:
        condition = Q(value__icontains=value)
    elif question.kind == RegistrationQuestion.Kind.MULTIPLE:
        condition = (
            Q(value=value)
            | Q(value__startswith=value + "\n")
            | Q(value__endswith="\n" + value)
            | Q(value__contains="\n" + value + "\n")
        )
    else:
        condition = Q(value=_yes_no(value) if question.kind == RegistrationQuestion.Kind.YES_NO else value)
    return queryset.filter(pk__in=question.answers.filter(condition).values("registration_id"))


# Participant types -------------------------------------------------------------------------------


def allowed_pairs(event_id: int) -> set[frozenset[int]]:
    """The pairs of participant type ids that may meet (a type paired with itself is a one-element set)."""
    through = ParticipantType.meets.through
    rows = through.objects.filter(from_participanttype__event_id=event_id).values_list(
        "from_participanttype_id", "to_participanttype_id"
    )
    return {frozenset(row) for row in rows}


def may_meet(first_type_id: int | None, second_type_id: int | None, pairs: set[frozenset[int]]) -> bool:
    if first_type_id is None or second_type_id is None:
        return True
    return frozenset((first_type_id, second_type_id)) in pairs


def pair_refusal(first: Registration, second: Registration, pairs: set[frozenset[int]] | None = None) -> str:
    """Why the two participants may not meet under the event's rule, or "" when they may."""
    if first.participant_type_id is None or second.participant_type_id is None:
        return ""
    if pairs is None:
        pairs = allowed_pairs(first.event_id)
    if may_meet(first.participant_type_id, second.participant_type_id, pairs):
        return ""
    return _(
        "%(first)s (%(first_type)s) and %(second)s (%(second_type)s) may not meet: the event does not "
        "allow meetings between these participant types."
    ) % {
        "first": first.display_name,
        "first_type": first.participant_type.name,
        "second": second.display_name,
        "second_type": second.participant_type.name,
    }


def forbidden_partners(registration: Registration) -> set[int]:
    """Ids of the event's typed registrations this one may not meet (for suggestions)."""
    if registration.participant_type_id is None:
        return set()
    pairs = allowed_pairs(registration.event_id)
    own = registration.participant_type_id
    allowed_types = {next(iter(pair - {own}), own) for pair in pairs if own in pair}
    return set(
        Registration.objects.filter(event_id=registration.event_id, participant_type__isnull=False)
        .exclude(participant_type_id__in=allowed_types)
        .values_list("pk", flat=True)
    )


def _conflicts(event_id: int, pairs: set[frozenset[int]], types: dict[int, int | None]) -> list[str]:
    """The open requests (and their meetings) that `pairs` would forbid, with registrations' types
    taken from `types` where given (registration id → type id) and from the database otherwise."""
    found = []
    requests = MeetingRequest.objects.filter(event_id=event_id, status__in=OPEN_REQUESTS).select_related(
        "requester__organisation", "recipient__organisation"
    )
    for meeting_request in requests:
        first, second = meeting_request.requester, meeting_request.recipient
        first_type = types.get(first.pk, first.participant_type_id)
        second_type = types.get(second.pk, second.participant_type_id)
        if not may_meet(first_type, second_type, pairs):
            found.append(f"{first.display_name} – {second.display_name}")
    return found


def _refuse_conflicts(conflicts: list[str]) -> None:
    if conflicts:
        shown = "; ".join(conflicts[:SHOWN_CONFLICTS])
        more = len(conflicts) - SHOWN_CONFLICTS
        raise Refused(
            ngettext(
                "%(count)d open request or meeting would break the rule (%(pairs)s%(more)s): cancel it "
                "first, or keep these types allowed to meet.",
                "%(count)d open requests or meetings would break the rule (%(pairs)s%(more)s): cancel "
                "them first, or keep these types allowed to meet.",
                len(conflicts),
            )
            % {"count": len(conflicts), "pairs": shown, "more": f"; +{more}" if more > 0 else ""}
        )


@transaction.atomic
def add_participant_type(actor, event: Event, name: str) -> ParticipantType:
    """A new type; it meets no typed participant until the rule pairs it (`set_allowed_pairs`)."""
    require(actor, "events.change_event", event)
    participant_type = ParticipantType(
        event=event, name=name.strip(), position=event.participant_types.count() + 1
    )
    participant_type.full_clean()
    participant_type.save()
    audit.record(actor, "events.participant_type.create", event, comment=participant_type.name)
    return participant_type


@transaction.atomic
def remove_participant_type(actor, participant_type: ParticipantType) -> None:
    """Remove a type; its participants become unrestricted until given another type."""
    event = Event.objects.select_for_update().get(pk=participant_type.event_id)
    require(actor, "events.change_event", event)
    audit.record(
        actor,
        "events.participant_type.delete",
        event,
        comment=participant_type.name,
        changes={"registrations": participant_type.registrations.count()},
    )
    participant_type.delete()


@transaction.atomic
def set_allowed_pairs(actor, event: Event, pairs) -> set[frozenset[int]]:
    """Replace the rule: `pairs` are (type, type) that may meet, the same type twice for a type whose
    participants meet one another. Refused while open requests would break the new rule."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.change_event", event)
    types = {participant_type.pk: participant_type for participant_type in event.participant_types.all()}
    wanted: set[frozenset[int]] = set()
    for first, second in pairs:
        if first.pk not in types or second.pk not in types:
            raise ValidationError({"pairs": _("Choose participant types of this event.")})
        wanted.add(frozenset((first.pk, second.pk)))
    _refuse_conflicts(_conflicts(event.pk, wanted, {}))
    for participant_type in types.values():
        partners = [
            next(iter(pair - {participant_type.pk}), participant_type.pk)
            for pair in wanted
            if participant_type.pk in pair
        ]
        participant_type.meets.set([types[pk] for pk in partners])
    audit.record(
        actor,
        "events.participant_type.rule",
        event,
        changes={"pairs": sorted(" + ".join(sorted(types[pk].name for pk in pair)) for pair in wanted)},
    )
    return wanted


def check_type(event: Event, participant_type: ParticipantType | None, *, required: bool) -> None:
    if participant_type is not None and participant_type.event_id != event.pk:
        raise ValidationError({"participant_type": _("Choose a participant type of this event.")})
    if participant_type is None and required and event.participant_types.exists():
        raise ValidationError({"participant_type": _("Choose the type of participant you are.")})


@transaction.atomic
def set_participant_type(actor, registration: Registration, participant_type: ParticipantType | None):
    """Give a registration its type: the organiser at any time, the participant while registration is
    open. Refused while one of its open requests would break the rule with the new type."""
    registration, organiser = _changing(
        actor, registration, _("Registration is closed: ask the organiser to change your participant type.")
    )
    event = registration.event
    check_type(event, participant_type, required=not organiser)
    new_type = participant_type.pk if participant_type else None
    if new_type != registration.participant_type_id:
        _refuse_conflicts(_conflicts(event.pk, allowed_pairs(event.pk), {registration.pk: new_type}))
        before = registration.participant_type.name if registration.participant_type_id else ""
        registration.participant_type = participant_type
        registration.save(update_fields=["participant_type"])
        audit.record(
            actor,
            "events.registration.participant_type",
            registration,
            from_state=before,
            to_state=participant_type.name if participant_type else "",
        )
    return registration


@transaction.atomic
def set_details(actor, registration: Registration, raw: dict, participant_type=None, *, change_type: bool):
    """A registration's answers and (with `change_type`) its type, together: both or neither."""
    set_answers(actor, registration, raw)
    if change_type:
        set_participant_type(actor, registration, participant_type)
    return registration
