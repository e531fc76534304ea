"""Registration questions and participant types (issue #18 point 7): answers checked at registration
and while it is open, the filter by answer, and the who-may-meet-whom rule in requests, acceptance,
suggestions, rule changes and the scheduler's instance."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterxchange.core.domain import Refused
from clusterxchange.core.models import OpportunityType
from clusterxchange.directory.models import Opportunity
from clusterxchange.events import questions, scheduling, suggestions
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.events.models import Event, MeetingRequest, Registration, RegistrationAnswer

from .conftest import make_event


@pytest.fixture
def asked(world):
    event = make_event(world)
    manager = world.users["manager"]
    sector = questions.add_question(
        manager,
        event,
        {"text": "Your sector?", "kind": "single", "options": "Energy\nHealth", "required": True},
    )
    topics = questions.add_question(
        manager, event, {"text": "Topics?", "kind": "multiple", "options": "AI\nIoT\nRobotics"}
    )
    dinner = questions.add_question(manager, event, {"text": "Dinner?", "kind": "yes_no", "required": True})
    note = questions.add_question(manager, event, {"text": "Anything else?", "kind": "text"})
    return event, sector, topics, dinner, note


def test_questions_are_ordered_and_choices_checked(asked, world):
    event, sector, topics, dinner, note = asked
    assert list(event.questions.all()) == [sector, topics, dinner, note]
    assert sector.option_list == ["Energy", "Health"]
    with pytest.raises(ValidationError) as error:
        questions.add_question(
            world.users["manager"], event, {"text": "One?", "kind": "single", "options": "A"}
        )
    assert "options" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        questions.add_question(world.users["owner"], event, {"text": "Mine?", "kind": "text"})


def test_a_required_answer_missing_is_a_field_error_and_nothing_is_saved(asked, world):
    event, sector, _topics, dinner, _note = asked
    with pytest.raises(ValidationError) as error:
        registering.register(world.users["owner"], event, world.org_a1, answers={sector.pk: "Energy"})
    assert error.value.message_dict == {f"question_{dinner.pk}": ["This question requires an answer."]}
    assert not Registration.objects.filter(event=event).exists()
    assert not RegistrationAnswer.objects.exists()


def test_answers_are_stored_normalised(asked, world):
    event, sector, topics, dinner, note = asked
    registration = registering.register(
        world.users["owner"],
        event,
        world.org_a1,
        answers={sector.pk: "Health", topics.pk: ["Robotics", "AI"], dinner.pk: True, note.pk: " vegan "},
    )
    stored = {a.question_id: a.value for a in registration.answers.all()}
    assert stored == {sector.pk: "Health", topics.pk: "AI\nRobotics", dinner.pk: "yes", note.pk: "vegan"}


@pytest.mark.parametrize(
    ("which", "value", "message"),
    [
        (1, "Mining", "“Mining” is not one of the choices."),
        (2, ["AI", "Blockchain"], "“Blockchain” is not one of the choices."),
        (3, "maybe", "Answer yes or no."),
    ],
)
def test_a_bad_answer_names_its_question(asked, world, which, value, message):
    event = asked[0]
    answers = {asked[1].pk: "Energy", asked[3].pk: "no"}
    answers[asked[which].pk] = value
    with pytest.raises(ValidationError) as error:
        registering.register(world.users["owner"], event, world.org_a1, answers=answers)
    assert error.value.message_dict == {f"question_{asked[which].pk}": [message]}
    assert not event.registrations.exists()


@pytest.mark.date_sensitive
def test_answers_can_be_changed_while_registration_is_open(asked, world):
    event, sector, _topics, dinner, _note = asked
    owner = world.users["owner"]
    registration = registering.register(
        owner, event, world.org_a1, answers={sector.pk: "Energy", dinner.pk: "no"}
    )
    questions.set_answers(owner, registration, {sector.pk: "Health", dinner.pk: "yes"})
    assert registration.answers.get(question=sector).value == "Health"
    with pytest.raises(PermissionDenied):
        questions.set_answers(world.users["outsider"], registration, {sector.pk: "Energy", dinner.pk: "no"})
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - timedelta(hours=1))
    registration.refresh_from_db()
    with pytest.raises(Refused, match="closed"):
        questions.set_answers(owner, registration, {sector.pk: "Energy", dinner.pk: "no"})
    assert registration.answers.get(question=sector).value == "Health"
    # The organiser may still correct them.
    questions.set_answers(world.users["manager"], registration, {sector.pk: "Energy", dinner.pk: "no"})
    assert registration.answers.get(question=sector).value == "Energy"


def test_a_chosen_option_cannot_be_removed(asked, world):
    event, sector, _topics, dinner, _note = asked
    registering.register(
        world.users["owner"], event, world.org_a1, answers={sector.pk: "Health", dinner.pk: "no"}
    )
    with pytest.raises(ValidationError, match="Health"):
        questions.update_question(world.users["manager"], sector, {"options": "Energy\nMobility"})
    sector.refresh_from_db()
    assert sector.option_list == ["Energy", "Health"]
    questions.update_question(world.users["manager"], sector, {"options": "Energy\nHealth\nMobility"})
    sector.refresh_from_db()
    assert sector.option_list == ["Energy", "Health", "Mobility"]


def test_registrations_filter_by_answer(asked, world):
    event, sector, topics, dinner, note = asked
    first = registering.register(
        world.users["owner"],
        event,
        world.org_a1,
        answers={sector.pk: "Health", topics.pk: ["AI", "IoT"], dinner.pk: "yes", note.pk: "Vegan meals"},
    )
    second = registering.register(
        world.users["outsider"],
        event,
        world.org_b1,
        answers={sector.pk: "Energy", topics.pk: ["IoT"], dinner.pk: "no"},
    )
    everyone = event.registrations.all()
    assert set(questions.answered(everyone, sector, "Health")) == {first}
    assert set(questions.answered(everyone, topics, "IoT")) == {first, second}
    assert set(questions.answered(everyone, topics, "AI")) == {first}
    assert set(questions.answered(everyone, dinner, "no")) == {second}
    assert set(questions.answered(everyone, note, "vegan")) == {first}


# Participant types ------------------------------------------------------------------------------


@pytest.fixture
def typed(ew, world):
    """Buyers meet suppliers only: the owner is a buyer, the outsider a buyer too (their pending
    request is cancelled first), the colleague of cluster A a supplier."""
    manager = world.users["manager"]
    buyer = questions.add_participant_type(manager, ew.event, "Buyer")
    supplier = questions.add_participant_type(manager, ew.event, "Supplier")
    questions.set_allowed_pairs(manager, ew.event, [(buyer, supplier)])
    matchmaking.cancel_request(world.users["owner"], ew.pending)
    questions.set_participant_type(manager, ew.participant, buyer)
    questions.set_participant_type(manager, ew.other, buyer)
    return buyer, supplier


def test_a_request_between_forbidden_types_is_refused_with_the_reason(typed, ew, world):
    with pytest.raises(Refused, match=r"Alpha Sensors \(Buyer\) and Gamma Robotics \(Buyer\) may not meet"):
        matchmaking.request_meeting(world.users["owner"], ew.participant, ew.other)
    assert not MeetingRequest.objects.filter(status="pending").exists()


def test_allowed_types_and_untyped_participants_meet(typed, ew, world):
    _buyer, supplier = typed
    colleague = registering.register(
        world.users["same_cluster"], ew.event, world.org_a2, participant_type=supplier
    )
    assert matchmaking.request_meeting(world.users["owner"], ew.participant, colleague).status == "pending"
    questions.set_participant_type(world.users["manager"], ew.other, None)
    assert matchmaking.request_meeting(world.users["outsider"], ew.other, colleague).status == "pending"


def test_self_registration_must_choose_a_type(typed, ew, world):
    with pytest.raises(ValidationError) as error:
        registering.register(world.users["same_cluster"], ew.event, world.org_a2)
    assert "participant_type" in error.value.message_dict
    assert not ew.event.registrations.filter(organisation=world.org_a2).exists()


def test_a_rule_change_that_would_break_open_requests_is_refused(typed, ew, world):
    buyer, supplier = typed
    manager = world.users["manager"]
    questions.set_allowed_pairs(manager, ew.event, [(buyer, supplier), (buyer, buyer)])
    matchmaking.request_meeting(world.users["owner"], ew.participant, ew.other)
    with pytest.raises(Refused, match="1 open request or meeting would break the rule") as refusal:
        questions.set_allowed_pairs(manager, ew.event, [(buyer, supplier)])
    assert "Alpha Sensors – Gamma Robotics" in str(refusal.value)
    assert questions.allowed_pairs(ew.event.pk) == {frozenset({buyer.pk, supplier.pk}), frozenset({buyer.pk})}


def test_a_participant_type_change_that_would_break_an_open_request_is_refused(typed, ew, world):
    buyer, supplier = typed
    manager = world.users["manager"]
    questions.set_participant_type(manager, ew.other, supplier)
    matchmaking.request_meeting(world.users["owner"], ew.participant, ew.other)
    with pytest.raises(Refused, match="would break the rule"):
        questions.set_participant_type(manager, ew.other, buyer)
    ew.other.refresh_from_db()
    assert ew.other.participant_type == supplier


def test_suggestions_never_offer_a_forbidden_pair(typed, ew, world):
    Opportunity.objects.create(
        organisation=world.org_b1,
        type=OpportunityType.objects.get(code="technology-request"),
        title="Sensors for grippers",
        description="We need printed sensors for robot grippers.",
        status="published",
    )
    ew.participant.refresh_from_db()
    suggestions.reset()
    found = [registration for registration, _reasons in suggestions.suggestions_for(ew.participant)]
    assert ew.other not in found
    questions.set_allowed_pairs(world.users["manager"], ew.event, list(_all_pairs(typed)))
    suggestions.reset()
    found = [registration for registration, _reasons in suggestions.suggestions_for(ew.participant)]
    assert ew.other in found


def _all_pairs(types):
    return [(a, b) for a in types for b in types]


def test_the_scheduler_never_receives_a_forbidden_pair(typed, ew, world):
    """Every way to a meeting checks the rule and a rule change cannot forbid an open request, so the
    engine's instance holds only allowed pairs."""
    _buyer, supplier = typed
    colleague = registering.register(
        world.users["same_cluster"], ew.event, world.org_a2, participant_type=supplier
    )
    accepted = matchmaking.request_meeting(world.users["owner"], ew.participant, colleague)
    matchmaking.respond(world.users["same_cluster"], accepted, True)
    with pytest.raises(Refused):
        matchmaking.request_meeting(world.users["outsider"], ew.other, ew.participant)
    built = scheduling.build_instance(ew.event)
    pairs = questions.allowed_pairs(ew.event.pk)
    registrations = Registration.objects.in_bulk()
    assert built.instance.meetings
    for meeting in built.instance.meetings:
        first, second = (registrations[pk] for pk in meeting.participants)
        assert questions.may_meet(first.participant_type_id, second.participant_type_id, pairs)
