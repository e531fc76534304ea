"""Why a meeting was not placed (issue #21, point 4): the engine's reason is stored with its kind and
ids (`Meeting.scheduler_note`) and said in the reader's language with the organisations' names on
the organiser's schedule page and in the grid export, in the API (English, as all of it) and the
`event_schedule` command; the
participants and the event staff, who never saw these reasons, do not see them now either."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from clusterxchange.core.reference import load_reference_data
from clusterxchange.events import schedule_reasons, scheduling
from clusterxchange.events.models import Meeting, Registration, SchedulingRun

pytestmark = pytest.mark.django_db

AT_MAX_DE = "hat bereits die Höchstzahl von 2 Treffen"
AT_MAX_EN = "already has the maximum of 2 meetings"


@pytest.fixture
def capped(busy):
    """The `busy` event where the participant (Alpha Sensors) accepts at most 2 meetings but has 3
    accepted: one is left out, and its reason names Alpha Sensors."""
    Registration.objects.filter(pk=busy.participant.pk).update(meeting_cap=2)
    run = scheduling.run(SchedulingRun.objects.create(event=busy.event).pk)
    assert run.status == "done" and run.placed < run.meetings
    busy.left_out = Meeting.objects.get(event=busy.event, slot__isnull=True)
    return busy


def test_the_reason_is_stored_with_its_kind_and_ids(capped):
    note = capped.left_out.scheduler_note
    assert note["code"] == "at_max_meetings"
    assert note["meetings"] == [capped.left_out.pk] and note["participants"] == [capped.participant.pk]
    assert note["figures"] == {"limit": 2}
    assert note["text"] == f"participant {capped.participant.pk} already has the maximum of 2 meetings"


def test_the_organiser_reads_it_in_german_with_names(capped, world):
    name = capped.participant.organisation.name
    client = world.client("manager")
    with translation.override("de"):
        url = reverse("events:schedule", args=[capped.event.slug])
    page = client.get(url).content.decode()
    assert f"{name} {AT_MAX_DE}." in page and AT_MAX_EN not in page
    api = client.get(f"/api/events/{capped.event.slug}/schedule/notes").json()  # the API speaks English
    assert api == [
        {
            "meeting": capped.left_out.pk,
            "first_organisation": capped.left_out.first.organisation.name,
            "second_organisation": capped.left_out.second.organisation.name,
            "must_meet": capped.left_out.must_meet,
            "locked": False,
            "starts_at": None,
            "kind": "at_max_meetings",
            "kept_locked": False,
            "note": f"{name} {AT_MAX_EN}.",
        }
    ]
    with translation.override("de"):
        url = reverse("events:grid", args=[capped.event.slug])
    rows = list(csv.DictReader(io.StringIO(client.get(url + "?export=csv").content.decode("utf-8-sig"))))
    assert len(rows) == 5 and [row["scheduler_note"] for row in rows].count(f"{name} {AT_MAX_DE}.") == 1
    left_out = rows[-1]  # the meetings not placed come last, without a time
    assert (left_out["day"], left_out["start"], left_out["table"]) == ("", "", "")
    assert left_out["scheduler_note"] == f"{name} {AT_MAX_DE}."


def test_the_command_says_it_with_names(capped):
    out = io.StringIO()
    call_command("event_schedule", capped.event.slug, stdout=out)
    assert f"— {capped.participant.organisation.name} {AT_MAX_EN}." in out.getvalue()


@pytest.mark.parametrize("role", ["owner", "outsider", "same_cluster", "anonymous"])
def test_only_the_organisers_see_the_reasons(capped, world, role):
    client = world.client(role)
    response = client.get(f"/api/events/{capped.event.slug}/schedule/notes")
    assert response.status_code in (401, 403)
    for url in (
        reverse("events:schedule", args=[capped.event.slug]),
        reverse("events:grid", args=[capped.event.slug]) + "?export=csv",
    ):
        assert client.get(url).status_code in (302, 403)
    seen = client.get(reverse("events:agenda", args=[capped.event.slug])).content.decode()
    seen += client.get(reverse("events:requests", args=[capped.event.slug])).content.decode()
    seen += client.get(f"/api/events/{capped.event.slug}/agenda").content.decode()
    assert AT_MAX_EN not in seen


def test_the_event_staff_see_the_grid_without_reasons(capped, world):
    from clusterxchange.events import attendance

    attendance.add_staff(world.users["manager"], capped.event, world.users["same_cluster"].email)
    client = world.client("same_cluster")
    grid = client.get(reverse("events:grid", args=[capped.event.slug]))
    assert grid.status_code == 200 and AT_MAX_EN not in grid.content.decode()
    assert client.get(f"/api/events/{capped.event.slug}/schedule/notes").status_code == 403


def test_a_reason_stored_as_text_before_is_shown_as_it_is(busy):
    meeting = Meeting.objects.filter(event=busy.event).first()
    Meeting.objects.filter(pk=meeting.pk).update(
        scheduler_note={"code": "", "text": "participant 17 already has the maximum of 8 meetings"}
    )
    meeting.refresh_from_db()
    with translation.override("de"):
        said = schedule_reasons.notes(busy.event, [meeting])
    assert said == {meeting.pk: "participant 17 already has the maximum of 8 meetings"}


def test_each_kind_of_note_reads_with_names_and_figures(busy):
    first, second = busy.people[0], busy.people[2]
    meeting = Meeting.objects.get(event=busy.event, first=first, second=second)
    other = Meeting.objects.filter(event=busy.event).exclude(pk=meeting.pk).first()
    slot = busy.session_am.slots.order_by("starts_at").first()
    a, b = first.organisation.name, second.organisation.name
    rows = {
        "no_common_slot": {"participants": [first.pk, second.pk]},
        "no_common_free_slot": {
            "participants": [first.pk, second.pk],
            "figures": {"busy_first": 3, "busy_second": 1, "possible": 4},
        },
        "no_shared_table": {"participants": [first.pk, second.pk], "slots": [slot.pk]},
        "precedence_order": {"participants": [first.pk, second.pk]},
        "not_reached": {"participants": [first.pk, second.pk]},
        "no_free_slot": {},
        "moved_published": {},
    }
    with translation.override("en"):
        sentences = schedule_reasons.described(
            busy.event,
            [
                {"code": code, "meetings": [meeting.pk, other.pk][: 2 if code == "precedence_order" else 1]}
                | row
                for code, row in rows.items()
            ],
        )
    said = dict(zip(rows, sentences, strict=True))
    label = f"“{meeting.pk} · {a} – {b}”"
    assert said["no_common_slot"] == f"{label}: {a}, {b} have no time slot in common."
    assert said["no_common_free_slot"].startswith(
        f"No time slot is free for both: {a} is booked in 3 and {b} in 1 of the 4"
    )
    assert said["no_shared_table"].startswith("Every shared table is taken")
    assert said["precedence_order"].startswith(f"{label}, “{other.pk} · ")
    assert said["not_reached"].startswith("A time slot is free for both participants")
    assert said["no_free_slot"] == "No free slot for both participants."
    assert said["moved_published"].startswith("Moved: the published time")


# serialized_rollback: its flush afterwards then leaves no content types re-created under new ids
# to the next test that restores the serialized database (see pytest_collection_modifyitems).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_the_migration_keeps_the_texts_stored_before(request):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    load_reference_data()  # a transactional test before this one may have flushed it
    busy = request.getfixturevalue("busy")
    meeting = Meeting.objects.filter(event=busy.event).first()
    Meeting.objects.filter(pk=meeting.pk).update(scheduler_note={"code": "", "text": "no common free slot"})
    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0009_event_staff")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT unscheduled_reason FROM events_meeting WHERE id = %s", [meeting.pk])
        assert cursor.fetchone() == ("no common free slot",)
        cursor.execute(
            "UPDATE events_meeting SET unscheduled_reason = %s WHERE id = %s",
            ["participant 17 already has the maximum of 8 meetings", meeting.pk],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("events", "0010_meeting_scheduler_note")])
    meeting.refresh_from_db()
    assert meeting.scheduler_note == {
        "code": "",
        "text": "participant 17 already has the maximum of 8 meetings",
    }
    assert Meeting.objects.exclude(pk=meeting.pk).filter(event=busy.event, scheduler_note={}).count() == 4
