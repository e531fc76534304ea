"""Two people edit the same tandem, strategy review, training entry or record: the second save is
refused with a clear message, keeps its input, and the first one's data stays (core.concurrency)."""

import pytest
from django.urls import reverse

from tests.concurrency import assert_refused_keeping_input, two_editors

CASES = [
    ("tandem", "tandems:edit", "goals"),
    ("review", "tandems:review_edit", "strategy_title"),
    ("entry", "training:entry_edit", "description"),
    ("record", "training:record_edit", "notes"),
]


@pytest.mark.parametrize(("attribute", "url_name", "field"), CASES, ids=[case[0] for case in CASES])
def test_second_save_is_refused(tw, attribute, url_name, field):
    record = getattr(tw, attribute)
    url = reverse(url_name, args=[record.pk])
    # Catalogue entries and strategy reviews are edited by coordinators: two of their sessions race.
    second_editor = "coordinator" if attribute in {"entry", "review"} else "manager"
    first, second, refused = two_editors(tw.client("coordinator"), tw.client(second_editor), url, field=field)
    assert first.status_code == 302, first.context and first.context["form"].errors
    assert_refused_keeping_input(second, refused)
    record.refresh_from_db()
    assert getattr(record, field) == "Saved first"
