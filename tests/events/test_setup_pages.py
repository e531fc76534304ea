"""Pages of registration questions, participant types and the import (issue #18 points 7 and 8):
answering at registration, the organiser's list, filter and export, the permission matrix by role
and what each role sees; the import's column mapping, dry run and confirmation."""

import csv
import io

import pytest
from django.urls import reverse

from clusterxchange.events import questions
from clusterxchange.events.domain import registering
from clusterxchange.events.models import EventImport, MeetingRequest, Registration
from tests.conftest import ROLES

from .conftest import make_event
from .test_views_permissions import ORGANISERS, PARTICIPANTS

ORGANISER_ACTIONS = {**ORGANISERS, "coordinator": 302, "manager": 302}


@pytest.fixture
def asked(ew, world):
    manager = world.users["manager"]
    sector = questions.add_question(
        manager,
        ew.event,
        {"text": "Your sector?", "kind": "single", "options": "Energy\nHealth", "required": True},
    )
    secret = questions.add_question(manager, ew.event, {"text": "Dietary needs?", "kind": "text"})
    questions.set_answers(
        world.users["owner"], ew.participant, {sector.pk: "Health", secret.pk: "Vegan owner"}
    )
    questions.set_answers(
        world.users["outsider"], ew.other, {sector.pk: "Energy", secret.pk: "Halal outsider"}
    )
    buyer = questions.add_participant_type(manager, ew.event, "Buyer")
    return sector, secret, buyer


PAGES = [
    ("questions", lambda ew: reverse("events:questions", args=[ew.event.slug]), ORGANISERS),
    ("import", lambda ew: reverse("events:import", args=[ew.event.slug]), ORGANISERS),
    ("answers", lambda ew: reverse("events:answers", args=[ew.event.slug]), PARTICIPANTS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(asked, ew, world, role, name, url, expected):
    assert world.client(role).get(url(ew)).status_code == expected[role], (name, role)


ACTIONS = [
    (
        "question_add",
        lambda ew, a: reverse("events:questions", args=[ew.event.slug]),
        {"text": "Q?", "kind": "text"},
    ),
    ("question_remove", lambda ew, a: reverse("events:question_remove", args=[ew.event.slug, a[1].pk]), {}),
    ("type_add", lambda ew, a: reverse("events:type_add", args=[ew.event.slug]), {"name": "Supplier"}),
    ("type_remove", lambda ew, a: reverse("events:type_remove", args=[ew.event.slug, a[2].pk]), {}),
    ("type_pairs", lambda ew, a: reverse("events:type_pairs", args=[ew.event.slug]), {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_access(asked, ew, world, role, name, url, data):
    assert world.client(role).post(url(ew, asked), data).status_code == ORGANISER_ACTIONS[role], (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_answers(asked, ew, world, role):
    """Organisers see every answer on the list; a participant sees only their own (on their page)."""
    answers_page = world.client(role).get(reverse("events:answers", args=[ew.event.slug]))
    listing = world.client(role).get(reverse("events:registrations", args=[ew.event.slug]))
    own = {"owner": "Vegan owner", "outsider": "Halal outsider"}.get(role)
    if role in {"coordinator", "manager"}:
        page = listing.content.decode()
        assert "Vegan owner" in page and "Halal outsider" in page
    else:
        assert listing.status_code in {302, 403}
    if own:
        page = answers_page.content.decode()
        assert own in page
        assert ({"Vegan owner", "Halal outsider"} - {own}).pop() not in page


def test_registering_answers_the_questions_and_a_required_one_is_a_field_error(asked, ew, world):
    sector, secret, buyer = asked
    url = reverse("events:register", args=[ew.event.slug])
    client = world.client("same_cluster")
    page = client.get(url).content.decode()
    assert "Your sector?" in page and "Buyer" in page
    data = {"organisation": world.org_a2.pk, "role": "local", f"question_{secret.pk}": "None"}
    response = client.post(url, {**data, "participant_type": buyer.pk})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Registration.objects.filter(event=ew.event, organisation=world.org_a2).exists()
    response = client.post(url, {**data, "participant_type": buyer.pk, f"question_{sector.pk}": "Energy"})
    assert response.status_code == 302
    registration = Registration.objects.get(event=ew.event, organisation=world.org_a2)
    assert registration.participant_type == buyer
    assert registration.answers.get(question=sector).value == "Energy"


def test_the_list_filters_by_answer_and_exports_the_answers(asked, ew, world):
    sector, _secret, _buyer = asked
    url = reverse("events:registrations", args=[ew.event.slug])
    page = world.client("manager").get(url, {"question": sector.pk, "answer": "Energy"}).content.decode()
    assert "Gamma Robotics" in page and "Alpha Sensors" not in page
    response = world.client("manager").get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Your sector?", "Dietary needs?"]
    by_org = {row[0]: row for row in rows[1:]}
    assert by_org["Alpha Sensors"][-2:] == ["Health", "Vegan owner"]


def test_answers_page_changes_the_answers(asked, ew, world):
    sector, secret, buyer = asked
    url = reverse("events:answers", args=[ew.event.slug])
    response = world.client("owner").post(
        url, {f"question_{sector.pk}": "Energy", f"question_{secret.pk}": "", "participant_type": buyer.pk}
    )
    assert response.status_code == 302
    assert ew.participant.answers.get(question=sector).value == "Energy"
    assert not ew.participant.answers.filter(question=secret).exists()


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _upload(client, ew, kind, content, name="export.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("events:import", args=[ew.event.slug]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_import_maps_columns_checks_every_row_then_imports_all(
    asked, ew, world, django_capture_on_commit_callbacks
):
    sector, _secret, buyer = asked
    client = world.client("manager")
    content = _csv(
        [
            ["Company Name", "E-mail", "Participation type", "Your sector?"],
            ["Beta Software", "colleague@test.example", "Buyer", "Health"],
            ["Nowhere Ltd", "", "Buyer", "Energy"],
            ["Beta Software", "", "Seller", "Mining"],
        ]
    )
    response = _upload(client, ew, "participants", content)
    page = response.content.decode()
    assert response.status_code == 200 and "Map the columns" in page
    token = response.context["stash_token"]
    mapping = {
        "organisation": "",
        "participant_type": "participation type",
        f"question_{sector.pk}": "your sector?",
    }
    url = reverse("events:import", args=[ew.event.slug])
    response = client.post(url, {"token": token, "kind": "participants", **mapping})
    assert "it is required" in response.content.decode()
    token = response.context["stash_token"]
    mapping["organisation"] = "company name"
    mapping["email"] = "e-mail"
    response = client.post(url, {"token": token, "kind": "participants", **mapping})
    report = response.context["report"]
    assert not report.ok
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "organisation"),
        (4, "participant_type"),
    }
    assert not Registration.objects.filter(event=ew.event, organisation=world.org_a2).exists()
    good = _csv(
        [
            ["Company Name", "E-mail", "Participation type", "Your sector?"],
            ["Beta Software", "colleague@test.example", "Buyer", "Health"],
        ]
    )
    response = _upload(client, ew, "participants", good)
    token = response.context["stash_token"]
    response = client.post(url, {"token": token, "kind": "participants", **mapping})
    assert response.context["report"].ok
    assert not Registration.objects.filter(event=ew.event, organisation=world.org_a2).exists()
    token = response.context["stash_token"]
    with django_capture_on_commit_callbacks(execute=True):  # the import's task runs after the commit
        response = client.post(url, {"token": token, "kind": "participants", "confirm": "1", **mapping})
    job = EventImport.objects.get(event=ew.event)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:import_job", args=[ew.event.slug, job.pk])
    assert (job.status, job.done, job.created, job.rows) == ("done", 1, 1, [])
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 rows gone through." in page and "1 row was imported." in page
    imported = Registration.objects.get(event=ew.event, organisation=world.org_a2)
    assert imported.status == "validated" and imported.participant_type == buyer
    assert imported.user == world.users["same_cluster"]
    assert imported.answers.get(question=sector).value == "Health"


def test_import_of_requests_keeps_the_rules_of_a_request(
    asked, ew, world, django_capture_on_commit_callbacks
):
    """The request finds the unknown party; the import itself, in the background, meets the open
    request between the two and imports nothing, not even the valid row."""
    registering.register(world.users["same_cluster"], ew.event, world.org_a2, check_permission=False)
    content = _csv(
        [
            ["From", "To", "Status"],
            ["Beta Software", "Gamma Robotics", "accepted"],
            ["Alpha Sensors", "Gamma Robotics", "pending"],
            ["Alpha Sensors", "Nobody GmbH", ""],
        ]
    )
    client = world.client("manager")
    response = _upload(client, ew, "requests", content)
    token = response.context["stash_token"]
    url = reverse("events:import", args=[ew.event.slug])
    mapping = {"requester": "from", "recipient": "to", "status": "status"}
    response = client.post(url, {"token": token, "kind": "requests", **mapping})
    errors = {(e.row, e.field) for e in response.context["report"].errors}
    assert errors == {(4, "recipient")}  # an unknown party
    response = _upload(client, ew, "requests", content.rsplit(b"\r\n", 2)[0] + b"\r\n")
    token = response.context["stash_token"]
    response = client.post(url, {"token": token, "kind": "requests", **mapping})
    assert response.context["report"].ok
    token = response.context["stash_token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"token": token, "kind": "requests", "confirm": "1", **mapping})
    job = EventImport.objects.get(event=ew.event)
    assert job.status == "failed" and [(e["row"], e["field"]) for e in job.errors] == [(3, "recipient")]
    page = client.get(response["Location"]).content.decode()
    assert "1 problem found — nothing was imported" in page
    assert MeetingRequest.objects.filter(event=ew.event).count() == 1  # the valid row 2 was not imported


def test_import_refuses_a_file_that_is_not_a_table(ew, world):
    response = _upload(world.client("manager"), ew, "participants", b"\x00\x01binary", name="photo.png")
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_a_second_event_never_shows_the_first_events_questions(asked, ew, world):
    other = make_event(world, title="Another day")
    page = world.client("same_cluster").get(reverse("events:register", args=[other.slug])).content.decode()
    assert "Your sector?" not in page


def test_an_xlsx_export_imports_like_a_csv(asked, ew, world, django_capture_on_commit_callbacks):
    from clusterxchange.core.tabular import write_xlsx

    sector, _secret, buyer = asked
    content = write_xlsx(
        ["Company Name", "Participation type", "Your sector?"], [["Beta Software", "Buyer", "Energy"]]
    )
    client = world.client("manager")
    response = _upload(client, ew, "participants", content, name="b2match.xlsx")
    form = response.context["mapping_form"]
    # The tool's usual headers and a question's own text are mapped already.
    assert {name: field.initial for name, field in form.fields.items() if field.initial} == {
        "organisation": "company name",
        "participant_type": "participation type",
        f"question_{sector.pk}": "your sector?",
    }
    mapping = {name: field.initial or "" for name, field in form.fields.items()}
    url = reverse("events:import", args=[ew.event.slug])
    response = client.post(url, {"token": response.context["stash_token"], "kind": "participants", **mapping})
    assert response.context["report"].ok
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"token": response.context["stash_token"], "kind": "participants", "confirm": "1", **mapping}
        )
    assert response.status_code == 302
    imported = Registration.objects.get(event=ew.event, organisation=world.org_a2)
    assert imported.participant_type == buyer and imported.answers.get(question=sector).value == "Energy"


@pytest.mark.parametrize(
    ("validation", "capacity", "told"),
    [
        ("manual", None, "The organiser validates each registration"),
        ("automatic", None, "your place is confirmed"),
        ("automatic", 2, "you are on the waiting list"),
    ],
)
def test_a_new_registrant_is_told_what_happens_next(ew, world, validation, capacity, told):
    """Not the status's bare name ("You are registered: Registered.") but what it means for them."""
    ew.event.validation = validation
    ew.event.capacity = capacity
    ew.event.save()
    url = reverse("events:register", args=[ew.event.slug])
    response = world.client("same_cluster").post(
        url, {"organisation": world.org_a2.pk, "role": "local"}, follow=True
    )
    page = response.content.decode()
    assert told in page
    assert "You are registered: Registered." not in page
    # The event's page keeps saying it while the registration waits for the organiser.
    waits = (
        "The organiser validates each registration: you will receive"
        in response.content.decode().split('id="registration-title"')[1]
    )
    assert waits == (validation == "manual")
