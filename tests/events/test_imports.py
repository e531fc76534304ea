"""The import of an event's participants and requests in the background (issue #18 point 8): the
request checks the rows and queues the import; the task imports all rows or none, its progress
readable while it runs; its page and the API, by role, and what each role sees."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterxchange.core import jobs
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.tabular import read_table
from clusterxchange.directory.models import Organisation
from clusterxchange.events import imports, questions
from clusterxchange.events.models import EventImport, Registration
from tests.conftest import ROLES

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def companies(world):
    """Five organisations of the directory, none registered."""
    return [
        Organisation.objects.create(
            name=f"Import Co {n}", slug=f"import-co-{n}", org_type="sme", country="DE"
        )
        for n in range(5)
    ]


def _table(event, rows, kind=imports.PARTICIPANTS):
    table = read_table("export.csv", _csv(rows))
    targets = imports.targets_for(event, kind)
    return imports.map_columns(table, targets, imports.guess_mapping(targets, table.headers))


def test_the_task_imports_every_row_and_reports_its_progress(
    ew, world, companies, monkeypatch, django_capture_on_commit_callbacks
):
    """What the page and the API read while the task runs (the live count), then the row's count."""
    read = []
    report = jobs.report

    def watched(job, done):
        report(job, done)
        read.append(EventImport.objects.get(pk=job.pk).progress)  # a fresh read, as the page's

    monkeypatch.setattr(jobs, "report", watched)
    table = _table(ew.event, [["Organisation"], *[[c.name] for c in companies]])
    with django_capture_on_commit_callbacks(execute=True):
        check, job = imports.start_import(world.users["manager"], ew.event, imports.PARTICIPANTS, table)
    assert check.ok and read == [20, 40, 60, 80, 100]
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.created, job.progress, job.rows) == (
        "done",
        5,
        5,
        5,
        100,
        [],
    )
    assert (
        Registration.objects.filter(event=ew.event, organisation__in=companies, status="validated").count()
        == 5
    )


def test_a_row_the_actions_refuse_leaves_the_whole_file_unimported(
    ew, world, companies, django_capture_on_commit_callbacks
):
    """The lookups pass, so the request queues the import; the action refuses row 4's answer (not one
    of the choices): no row is registered and nobody is emailed."""
    sector = questions.add_question(
        world.users["manager"], ew.event, {"text": "Sector?", "kind": "single", "options": "Energy\nHealth"}
    )
    rows = [["Organisation", "Sector?"], *[[c.name, "Energy"] for c in companies]]
    rows[3][1] = "Mining"
    emails = OutgoingEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        check, job = imports.start_import(
            world.users["manager"], ew.event, imports.PARTICIPANTS, _table(ew.event, rows)
        )
    assert check.ok
    job.refresh_from_db()
    assert job.status == "failed" and job.created == 0
    assert [(e["row"], e["field"]) for e in job.errors] == [(4, f"question_{sector.pk}")]
    assert not Registration.objects.filter(event=ew.event, organisation__in=companies).exists()
    assert OutgoingEmail.objects.count() == emails


def test_a_file_with_unknown_rows_is_not_queued(ew, world, companies):
    rows = [
        ["Organisation", "Role"],
        [companies[0].name, "delegate"],
        ["Nowhere Ltd", ""],
        [companies[1].name, "king"],
    ]
    check, job = imports.start_import(
        world.users["manager"], ew.event, imports.PARTICIPANTS, _table(ew.event, rows)
    )
    assert job is None and not EventImport.objects.exists()
    assert [(e.row, e.field) for e in check.errors] == [(3, "organisation"), (4, "role")]


def test_an_importer_who_lost_the_right_imports_nothing(
    ew, world, companies, django_capture_on_commit_callbacks
):
    other = make_event(world, title="Another day", host_cluster=world.cluster_b)
    table = _table(other, [["Organisation"], [companies[0].name]])
    job = EventImport.objects.create(
        event=other, kind="participants", created_by=world.users["manager"], total=1, rows=table.rows
    )
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message and job.rows == []
    assert not Registration.objects.filter(event=other).exists()


@pytest.fixture
def failed_import(ew, world):
    return EventImport.objects.create(
        event=ew.event,
        kind="participants",
        created_by=world.users["manager"],
        status="failed",
        total=3,
        done=3,
        errors=[{"row": 3, "field": "organisation", "message": "Capacity reached for Secret Company"}],
    )


JOB_PAGE = {
    "coordinator": 200,
    "manager": 200,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_import_page_by_role(ew, world, failed_import, role):
    """Organisers see the progress and the refused rows; a participant or anyone else nothing of it."""
    url = reverse("events:import_job", args=[ew.event.slug, failed_import.pk])
    response = world.client(role).get(url)
    assert response.status_code == JOB_PAGE[role]
    text = response.content.decode()
    assert ("Secret Company" in text) == (JOB_PAGE[role] == 200)
    if JOB_PAGE[role] == 200:
        assert "3 of 3 rows gone through." in text and "nothing was imported" in text
        fragment = world.client(role).get(url, headers={"HX-Request": "true"}).content.decode()
        assert 'id="job-status"' in fragment and "hx-get" not in fragment  # finished: no more polling


def test_a_queued_import_polls_and_says_when_no_worker_runs(ew, world, failed_import, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    failed_import.status, failed_import.done, failed_import.errors = "queued", 0, []
    failed_import.save()
    url = reverse("events:import_job", args=[ew.event.slug, failed_import.pk])
    text = world.client("manager").get(url).content.decode()
    assert f'hx-get="{url}"' in text and "data-waiting-for-worker" in text


def _api_upload(client, event, content, **fields):
    return client.post(
        f"/api/events/{event.slug}/imports",
        {"file": SimpleUploadedFile("export.csv", content, "text/csv"), **fields},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 202),
        ("manager", 202),
        ("owner", 403),
        ("same_cluster", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_the_api_starts_an_import_for_organisers_only(ew, world, companies, role, status):
    response = _api_upload(world.client(role), ew.event, _csv([["Company Name"], [companies[0].name]]))
    assert response.status_code == status, response.content
    assert EventImport.objects.exists() == (status == 202)
    if status == 202:
        body = response.json()
        assert set(body) == {
            "id",
            "kind",
            "status",
            "total",
            "done",
            "progress",
            "created",
            "errors",
            "message",
            "created_at",
            "finished_at",
            "details_purged_at",
        }
        assert (body["kind"], body["status"], body["total"]) == ("participants", "queued", 1)


def test_the_api_answers_422_with_every_rows_problem(ew, world, companies):
    client = world.client("manager")
    content = _csv([["Company", "Type"], [companies[0].name, "Buyer"], ["Nowhere Ltd", ""]])
    response = _api_upload(
        client, ew.event, content, mapping='{"organisation": "company", "participant_type": "type"}'
    )
    assert response.status_code == 422
    body = response.json()
    assert body["total_rows"] == 2
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "participant_type"), (3, "organisation")]
    assert not EventImport.objects.exists()
    response = _api_upload(client, ew.event, content, mapping="[1, 2]")
    assert response.status_code == 422 and "mapping" in response.content.decode()
    response = _api_upload(client, ew.event, content, mapping='{"email": "company"}')
    assert response.status_code == 422 and "organisation" in response.content.decode()  # required, unmapped


def test_the_api_follows_an_import_to_its_end(ew, world, companies, django_capture_on_commit_callbacks):
    client = world.client("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_upload(client, ew.event, _csv([["Organisation"], *[[c.name] for c in companies]]))
    url = f"/api/events/{ew.event.slug}/imports/{response.json()['id']}"
    body = client.get(url).json()
    assert (body["status"], body["done"], body["progress"], body["created"], body["errors"]) == (
        "done",
        5,
        100,
        5,
        [],
    )
    assert world.client("owner").get(url).status_code == 403
    other = make_event(world, title="Another day")
    assert client.get(f"/api/events/{other.slug}/imports/{body['id']}").status_code == 404
