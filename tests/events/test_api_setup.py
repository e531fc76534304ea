"""API of registration questions and participant types: the organiser sets them up, a participant
answers (a missing required answer is a 422 on its question, nothing saved), sees only their own
answers, and a rule change that would break an open request is a 409 with the reason."""

import json

import pytest

from clusterxchange.events.domain import matchmaking

pytestmark = pytest.mark.django_db


def _send(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_questions_types_and_answers_through_the_api(ew, world):
    manager, owner = world.client("manager"), world.client("owner")
    base = f"/api/events/{ew.event.slug}"
    response = _send(manager, f"{base}/questions", {"text": "Sector?", "kind": "single", "options": ["A"]})
    assert response.status_code == 422 and "two choices" in response.content.decode()
    response = _send(
        manager,
        f"{base}/questions",
        {"text": "Sector?", "kind": "single", "options": ["A", "B"], "required": True},
    )
    assert response.status_code == 201, response.content
    question = response.json()["id"]
    assert _send(owner, f"{base}/questions", {"text": "Mine?"}).status_code == 403
    assert [q["text"] for q in world.client("anonymous").get(f"{base}/questions").json()] == ["Sector?"]

    answers = f"{base}/registrations/{ew.participant.pk}/answers"
    response = _send(owner, answers, {"answers": {}}, "put")
    assert response.status_code == 422 and f"question_{question}" in response.content.decode()
    assert owner.get(answers).json()["answers"] == {}
    response = _send(owner, answers, {"answers": {str(question): "B"}}, "put")
    assert response.status_code == 200 and response.json()["answers"] == {str(question): "B"}
    assert manager.get(answers).json()["answers"] == {str(question): "B"}
    # Another participant sees neither the owner's answers nor changes them.
    assert world.client("outsider").get(answers).status_code == 403
    assert (
        _send(world.client("outsider"), answers, {"answers": {str(question): "A"}}, "put").status_code == 403
    )
    response = _send(manager, f"{base}/questions/{question}", {"options": ["A", "C"]}, "patch")
    assert response.status_code == 422 and "“B”" in response.json()["detail"][0]["msg"]


def test_a_rule_change_that_breaks_an_open_request_is_a_conflict(ew, world):
    manager = world.client("manager")
    base = f"/api/events/{ew.event.slug}"
    buyer = _send(manager, f"{base}/participant-types", {"name": "Buyer"}).json()["id"]
    supplier = _send(manager, f"{base}/participant-types", {"name": "Supplier"}).json()["id"]
    response = _send(
        manager, f"{base}/participant-types/pairs", {"pairs": [[buyer, supplier], [buyer, buyer]]}, "put"
    )
    assert response.status_code == 200
    assert {t["name"]: t["meets"] for t in response.json()} == {
        "Buyer": sorted([buyer, supplier]),
        "Supplier": [buyer],
    }
    for registration in (ew.participant, ew.other):
        url = f"{base}/registrations/{registration.pk}/answers"
        assert _send(manager, url, {"answers": {}, "participant_type": buyer}, "put").status_code == 200
    response = _send(manager, f"{base}/participant-types/pairs", {"pairs": [[buyer, supplier]]}, "put")
    assert response.status_code == 409
    assert "Alpha Sensors – Gamma Robotics" in response.json()["detail"]
    matchmaking.cancel_request(world.users["owner"], ew.pending)
    assert (
        _send(manager, f"{base}/participant-types/pairs", {"pairs": [[buyer, supplier]]}, "put").status_code
        == 200
    )
    response = _send(world.client("owner"), f"{base}/requests", {"recipient": ew.other.pk})
    assert response.status_code == 409 and "may not meet" in response.json()["detail"]


def test_registering_through_the_api_answers_the_questions(ew, world):
    from clusterxchange.events import questions
    from clusterxchange.events.models import Registration

    manager = world.users["manager"]
    sector = questions.add_question(
        manager, ew.event, {"text": "Sector?", "kind": "single", "options": "A\nB", "required": True}
    )
    buyer = questions.add_participant_type(manager, ew.event, "Buyer")
    client = world.client("same_cluster")
    url = f"/api/events/{ew.event.slug}/registrations"
    body = {"organisation": world.org_a2.slug, "participant_type": buyer.pk}
    response = _send(client, url, body)
    assert response.status_code == 422 and f"question_{sector.pk}" in response.content.decode()
    assert not Registration.objects.filter(event=ew.event, organisation=world.org_a2).exists()
    response = _send(client, url, {**body, "answers": {str(sector.pk): "B"}})
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(event=ew.event, organisation=world.org_a2)
    assert registration.participant_type == buyer and registration.answers.get().value == "B"
