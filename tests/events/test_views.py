"""Pages: clear form errors, times entered and shown in the event's time zone, the run's progress,
refusals shown as messages."""

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from clusterxchange.core.models import WorkerHeartbeat
from clusterxchange.events import scheduling
from clusterxchange.events.models import Event, ProgrammeItem, SchedulingRun, lost_run_reason
from clusterxchange.events.scheduling import STALE_RUN
from tests.events.conftest import FUTURE

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _event_form(world, **overrides):
    data = {
        "kind": "mission",
        "title": "Mission to Dresden",
        "host_cluster": world.cluster_a.pk,
        "city": "Dresden",
        "country": "DE",
        "start_date": "2031-06-20",
        "end_date": "2031-06-19",
        "time_zone": "Europe/Berlin",
        "validation": "manual",
        "acceptance": "opt_in",
        "meeting_cap": 12,
        "request_expiry_days": 7,
        "support_per_delegate_eur": "0",
    }
    data.update(overrides)
    return data


def test_end_before_start_is_a_clear_form_error(world):
    response = world.client("manager").post(reverse("events:create"), _event_form(world))
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Event.objects.exists()
    response = world.client("manager").post(
        reverse("events:create"), _event_form(world, end_date="2031-06-22")
    )
    assert response.status_code == 302
    assert Event.objects.get().end_date.isoformat() == "2031-06-22"


def test_manager_cannot_host_at_another_cluster(world):
    response = world.client("manager").post(
        reverse("events:create"), _event_form(world, host_cluster=world.cluster_b.pk, end_date="2031-06-22")
    )
    assert response.status_code == 200 and not Event.objects.exists()


def test_programme_item_times_are_in_the_event_zone(ew, world):
    response = world.client("manager").post(
        reverse("events:item_add", args=[ew.event.slug]),
        {
            "kind": "site_visit",
            "title": "Fab tour",
            "starts_at": "2031-06-20T10:00",
            "ends_at": "2031-06-20T12:00",
        },
    )
    assert response.status_code == 302
    item = ProgrammeItem.objects.get()
    assert item.starts_at == datetime(2031, 6, 20, 8, 0, tzinfo=UTC)  # 10:00 in Berlin (summer time)
    page = world.client("anonymous").get(reverse("events:detail", args=[ew.event.slug])).content.decode()
    assert "10:00" in page and "12:00" in page


def test_overlapping_session_is_refused_with_its_reason(ew, world):
    response = world.client("manager").post(
        reverse("events:session_add", args=[ew.event.slug]),
        {
            "name": "Overlap",
            "date": FUTURE.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "slot_minutes": 30,
            "gap_minutes": 0,
        },
        follow=True,
    )
    assert "overlaps “Morning” (09:00–11:00)" in response.content.decode()


def test_zero_tables_are_refused(ew, world):
    response = world.client("manager").post(
        reverse("events:tables", args=[ew.event.slug]), {"count": 0}, follow=True
    )
    assert "An event needs at least one table." in response.content.decode()
    assert ew.event.tables.count() == 3


def test_duplicate_request_is_refused_in_the_page(ew, world):
    response = world.client("owner").post(
        reverse("events:request_create", args=[ew.event.slug]), {"recipient": ew.other.pk}, follow=True
    )
    assert "There is already a request between you and Gamma Robotics" in response.content.decode()


def test_run_progress_polls_until_finished(ew, world):
    run = SchedulingRun.objects.create(event=ew.event, status="running", progress=40)
    url = reverse("events:run_status", args=[ew.event.slug, run.pk])
    page = world.client("manager").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="' + url in page and 'value="40"' in page
    SchedulingRun.objects.filter(pk=run.pk).update(status="done", progress=100, placed=3, meetings=4)
    page = world.client("manager").get(url).content.decode()
    assert "hx-get" not in page and "3 of 4 meetings placed" in page
    polled = world.client("manager").get(url, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # the page shows the result without a reload by hand
    # The page it reloads into shows the finished run without asking for another reload.
    schedule = world.client("manager").get(reverse("events:schedule", args=[ew.event.slug])).content.decode()
    assert "3 of 4 meetings placed" in schedule and "Refresh the page to see the result." not in schedule


@override_settings(TASKS=DB_TASKS, WORKER_STALE_SECONDS=60)
def test_a_queued_run_says_when_no_worker_runs_and_how_to_start_one(ew, world):
    run = SchedulingRun.objects.create(event=ew.event, status="queued")
    schedule_url = reverse("events:schedule", args=[ew.event.slug])
    status_url = reverse("events:run_status", args=[ew.event.slug, run.pk])
    for url in (schedule_url, status_url):
        page = world.client("manager").get(url).content.decode()
        assert "data-waiting-for-worker" in page and "clusterxchange worker" in page
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now())
    for url in (schedule_url, status_url):
        assert "data-waiting-for-worker" not in world.client("manager").get(url).content.decode()
    WorkerHeartbeat.objects.filter(worker_id="w1").update(last_seen=timezone.now() - timedelta(minutes=5))
    assert "data-waiting-for-worker" in world.client("manager").get(status_url).content.decode()


def test_marketplace_shows_suggestions_with_reasons(ew, world):
    from clusterxchange.core.models import OpportunityType
    from clusterxchange.directory.models import Opportunity

    Opportunity.objects.create(
        organisation=world.org_b1,
        type=OpportunityType.objects.get(code="technology-request"),
        title="Sensors for grippers",
        description="We need printed sensors for robot grippers.",
        status="published",
    )
    from clusterxchange.events.domain import matchmaking

    matchmaking.cancel_request(world.users["owner"], ew.pending)
    page = world.client("owner").get(reverse("events:marketplace", args=[ew.event.slug])).content.decode()
    assert "Suggested for you" in page
    assert "Gamma Robotics" in page and "sensors" in page.lower()


def test_the_event_pages_title_is_its_title_even_with_testimonials(world, ew):
    """The testimonials are a section at the end of the page; they had slipped into the title block too,
    so the browser tab showed their HTML."""
    from clusterxchange.events.models import Meeting, MeetingFeedback

    meeting = Meeting.objects.create(
        event=ew.event, request=ew.pending, first=ew.participant, second=ew.other
    )
    MeetingFeedback.objects.create(
        meeting=meeting,
        registration=ew.participant,
        took_place=True,
        testimonial="Met my future partner",
        publish_consent=True,
    )
    page = world.client("anonymous").get(reverse("events:detail", args=[ew.event.slug])).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Silicon Day B2B" in title and "<section" not in title and "Met my future partner" not in title
    assert page.count("Met my future partner") == 1


def test_the_marketplace_tells_a_member_who_is_not_registered_why_it_is_closed(ew, world):
    """A logged-in member of the programme who is not registered for the event (same_cluster) gets the
    reason, not only the general 403 text; in German too."""
    url = reverse("events:marketplace", args=[ew.event.slug])
    response = world.client("same_cluster").get(url)
    assert response.status_code == 403
    assert "open to the event&#x27;s validated participants and its organisers" in response.content.decode()
    german = world.client("same_cluster").get("/de" + url).content.decode()
    assert "Der Marktplatz steht den bestätigten Teilnehmenden der Veranstaltung" in german
    assert world.client("owner").get(url).status_code == 200


def test_a_run_whose_task_was_lost_shows_failed_with_the_reason_in_the_readers_language(ew, world):
    """Half an hour after it was queued a run that never finished lost its task: its page stops
    polling and says so, the API too, and a worker that takes it up late leaves it alone."""
    lost = SchedulingRun.objects.create(event=ew.event, status="queued", progress=0)
    running = SchedulingRun.objects.create(event=ew.event, status="running", progress=40)
    SchedulingRun.objects.filter(pk__in=[lost.pk, running.pk]).update(
        created_at=timezone.now() - STALE_RUN - timedelta(minutes=1)
    )
    fresh = SchedulingRun.objects.create(event=ew.event, status="queued")
    manager = world.client("manager")
    reason = "Nothing was changed: run the scheduler again."
    for run in (lost, running):
        url = reverse("events:run_status", args=[ew.event.slug, run.pk])
        page = html.unescape(manager.get(url).content.decode())
        assert "hx-get" not in page and '<span class="badge badge-stopped">Failed</span>' in page, page
        assert reason in page
    german = html.unescape(
        manager.get("/de" + reverse("events:run_status", args=[ew.event.slug, lost.pk])).content.decode()
    )
    with translation.override("de"):
        in_german = lost_run_reason()
    with translation.override("en"):
        assert in_german != lost_run_reason() and in_german in german
    fresh_page = manager.get(reverse("events:run_status", args=[ew.event.slug, fresh.pk])).content.decode()
    assert "hx-get" in fresh_page and reason not in fresh_page
    api_run = manager.get(f"/api/events/{ew.event.slug}/schedule/runs/{lost.pk}").json()
    assert api_run["status"] == "failed" and reason in api_run["message"]
    scheduling.run(lost.pk)  # its task turns up after all
    lost.refresh_from_db()
    assert (lost.status, lost.finished_at) == ("queued", None)
