"""Two editors change the same news draft: the second save is refused and keeps its input."""

from django.urls import reverse

from tests.concurrency import assert_refused_keeping_input, two_editors


def test_second_article_save_is_refused(nw):
    url = reverse("news:edit", args=[nw.draft.slug])
    first, second, refused = two_editors(nw.client("coordinator"), nw.client("manager"), url, field="summary")
    assert first.status_code == 302, first.context and first.context["form"].errors
    assert_refused_keeping_input(second, refused)
    nw.draft.refresh_from_db()
    assert nw.draft.summary == "Saved first"
