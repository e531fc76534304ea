"""The messaging world: the events world (a B2B session hosted by cluster A) and its audiences.

- coordinator, manager: may write (the manager to the event hosted by cluster A and to partner A's members);
- owner (validated delegate, Alpha Sensors) and outsider (validated local participant, Gamma Robotics,
  who has a request waiting for an answer): recipients;
- same_cluster: a member of Beta Software (cluster A), not registered;
- anonymous.
"""

import pytest

from tests.events.conftest import ew  # noqa: F401 - the events world


def participants(ew) -> str:  # noqa: F811 - the fixture's value
    return f"event_participants:{ew.event.pk}"


@pytest.fixture
def mw(world, ew):  # noqa: F811 - fixture imported above
    return ew
