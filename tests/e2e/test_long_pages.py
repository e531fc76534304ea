"""Long pages shortened (issue #20): an event with 2,000 registrations keeps its organiser's list to a
few screens at 1280 px and at 390 px: one page of 50 rows, the filters and the count (it was 100 rows)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_accessibility import _log_in
from tests.events.conftest import ew  # noqa: F401 - the event world
from tests.events.test_registrations_list import crowded  # noqa: F401 - 2,000 registrations

pytestmark = pytest.mark.browser

# 50 rows of the dense table (a row's decision on one line), the filters and the header: measured 2,602 px at
# 1280 px and 3,751 px at 390 px, where each row is two short lines (table.compact-on-phone) and the filters are
# folded (the former list of 100 rows with stacked decisions: 11,762 px and 11,903 px; 50 rows with every cell
# stacked on a phone: 14,474 px).
TALLEST = {1280: 3500, 390: 6000}


@pytest.mark.parametrize("width", sorted(TALLEST))
def test_the_registrations_of_a_crowded_event_fit_a_few_screens(
    width,
    live_server,
    reference_data,
    crowded,  # noqa: F811 - the fixture imported above
    world,
    page,
    tmp_path,
):
    _log_in(page, live_server, world.users["manager"])
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server.url + reverse("events:registrations", args=[crowded.event.slug]))
    assert response is not None and response.status == 200
    height = page.evaluate("document.documentElement.scrollHeight")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shots = Path(os.environ.get("SWEEP_SCREENSHOTS") or tmp_path)
    page.screenshot(path=shots / f"registrations-{width}.png")
    print(f"registrations page at {width} px: {height} px tall; screenshot in {shots}")
    assert height < TALLEST[width]
    assert overflow <= 1
