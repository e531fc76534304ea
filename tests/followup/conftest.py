"""The follow-up world: the events world with two meetings of the participant placed and published
(tests/events/test_agendas.py's `published`), at the events world's B2B day (FUTURE)."""

import pytest

from clusterxchange.events.domain import matchmaking, registering, timetable
from clusterxchange.events.models import Meeting
from tests.conftest import make_org, make_user
from tests.events.conftest import ew  # noqa: F401 - the events world
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world


@pytest.fixture
def fw(ew, world):  # noqa: F811 - fixture imported above
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    org = make_org("Delta Chips", "DE", description="Chip design house")
    user = make_user("delta@test.example", org)
    third = registering.register(user, ew.event, org, profile="ASIC design services")
    second_request = matchmaking.request_meeting(user, third, ew.participant, "Chips?")
    matchmaking.respond(world.users["owner"], second_request, True)
    slots = list(ew.session_am.slots.order_by("starts_at"))
    tables = list(ew.event.tables.order_by("number"))
    Meeting.objects.filter(request=ew.pending).update(slot=slots[0], table=tables[0])
    Meeting.objects.filter(request=second_request).update(slot=slots[2], table=tables[1])
    timetable.publish_agenda(world.users["manager"], ew.event, final=True)
    ew.third = third
    ew.delta = user
    return ew
