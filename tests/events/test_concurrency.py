"""Two organisers edit the same event: the second save is refused and keeps its input."""

from django.urls import reverse

from tests.concurrency import assert_refused_keeping_input, two_editors


def test_second_event_save_is_refused(ew, world):
    url = reverse("events:edit", args=[ew.event.slug])
    first, second, refused = two_editors(
        world.client("coordinator"), world.client("manager"), url, field="description"
    )
    assert first.status_code == 302, first.context and first.context["form"].errors
    assert_refused_keeping_input(second, refused)
    ew.event.refresh_from_db()
    assert ew.event.description == "Saved first"
