"""“Meet A before B”: organisers order two meetings that share a participant; the scheduler places the
later one in a later slot; cycles, strangers and other events are refused with nothing saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse

from clusterxchange.core.audit import AuditEntry
from clusterxchange.core.domain import Refused
from clusterxchange.events import meeting_order, scheduling
from clusterxchange.events.models import Meeting

pytestmark = pytest.mark.django_db


def _between(event, a, b) -> Meeting:
    return Meeting.objects.get(Q(first=a, second=b) | Q(first=b, second=a), event=event)


def _shared(ew):
    """Two meetings of the first participant (with the third and the fourth), and one of the second
    and the fourth, who have nobody in common with the first meeting."""
    people = ew.people
    return (
        _between(ew.event, people[0], people[2]),
        _between(ew.event, people[0], people[3]),
        _between(ew.event, people[1], people[3]),
    )


def test_an_organiser_orders_two_meetings_and_the_scheduler_keeps_the_order(
    busy, world, django_capture_on_commit_callbacks
):
    first, then, _stranger = _shared(busy)
    meeting_order.order_meetings(world.users["manager"], busy.event, first, then)
    built = scheduling.build_instance(busy.event)
    assert next(m for m in built.instance.meetings if m.id == then.pk).after == (first.pk,)
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.start_run(world.users["manager"], busy.event)
    run.refresh_from_db()
    assert run.status == "done", run.message
    first.refresh_from_db()
    then.refresh_from_db()
    assert first.slot is not None and then.slot is not None
    assert first.slot.starts_at < then.slot.starts_at
    assert AuditEntry.objects.filter(action="events.meeting.order").count() == 1


def test_a_circle_is_refused_and_nothing_is_saved(busy, world):
    first, then, _stranger = _shared(busy)
    manager = world.users["manager"]
    meeting_order.order_meetings(manager, busy.event, first, then)
    with pytest.raises(Refused, match="circle"):
        meeting_order.order_meetings(manager, busy.event, then, first)
    assert list(first.after.all()) == [] and list(then.after.all()) == [first]


def test_meetings_without_a_common_participant_or_the_same_meeting_are_refused(busy, world):
    first, _then, stranger = _shared(busy)
    manager = world.users["manager"]
    with pytest.raises(ValidationError, match="no participant in common"):
        meeting_order.order_meetings(manager, busy.event, first, stranger)
    with pytest.raises(ValidationError, match="itself"):
        meeting_order.order_meetings(manager, busy.event, first, first)
    assert not Meeting.after.through.objects.exists()


@pytest.mark.parametrize("role", ["owner", "same_cluster", "outsider"])
def test_only_organisers_order_meetings(busy, world, role):
    first, then, _stranger = _shared(busy)
    with pytest.raises(PermissionDenied):
        meeting_order.order_meetings(world.users[role], busy.event, first, then)


ORDER_PAGE = {"coordinator": 302, "manager": 302, "owner": 403, "same_cluster": 403, "outsider": 403}


@pytest.mark.parametrize("role", [*ORDER_PAGE, "anonymous"])
def test_the_order_form_and_removal_by_role(busy, world, role):
    first, then, _stranger = _shared(busy)
    client = world.client(role)
    add = reverse("events:meeting_order_add", args=[busy.event.slug])
    response = client.post(add, {"first": first.pk, "then": then.pk})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not Meeting.after.through.objects.exists()
        return
    assert response.status_code == ORDER_PAGE[role]
    saved = Meeting.after.through.objects.filter(from_meeting=then, to_meeting=first)
    assert saved.exists() == (ORDER_PAGE[role] == 302)
    if saved.exists():
        page = client.get(reverse("events:schedule", args=[busy.event.slug])).content.decode()
        assert "Order of meetings" in page and str(then) in page
        remove = reverse("events:meeting_order_remove", args=[busy.event.slug, saved.get().pk])
        assert client.post(remove).status_code == 302
        assert not saved.exists()


def test_a_number_of_another_event_is_a_clear_error(busy, world):
    client = world.client("manager")
    add = reverse("events:meeting_order_add", args=[busy.event.slug])
    response = client.post(add, {"first": 999999, "then": 1}, follow=True)
    assert "No meeting of this event has the number 999999." in response.content.decode()
    assert not Meeting.after.through.objects.exists()
