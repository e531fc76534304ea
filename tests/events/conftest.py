"""An event world on top of the shared `world`: a B2B session hosted by cluster A.

Roles for the events matrices:
- coordinator, manager: organisers (programme coordinator; manager of the host cluster A);
- owner: a validated participant (Alpha Sensors, org A1);
- outsider: another validated participant (Gamma Robotics, org B1, cluster B);
- same_cluster: logged in, not registered (Beta Software, org A2);
- anonymous.
"""

from dataclasses import dataclass
from datetime import date, time

import pytest

from clusterxchange.events.domain import matchmaking, organising, registering, timetable
from clusterxchange.events.models import Event, MeetingRequest, Registration, Session
from tests.conftest import make_org, make_user

FUTURE = date(2031, 6, 20)


@dataclass
class EventWorld:
    event: Event
    session_am: Session
    session_pm: Session
    participant: Registration
    other: Registration
    pending: MeetingRequest


def make_event(world, **fields) -> Event:
    values = {
        "kind": "b2b",
        "title": "Silicon Day B2B",
        "host_cluster": world.cluster_a,
        "city": "Dresden",
        "country": "DE",
        "venue": "Messe",
        "start_date": FUTURE,
        "end_date": FUTURE,
        "time_zone": "Europe/Berlin",
        "published": True,
        "validation": "automatic",
    }
    values.update(fields)
    return organising.create_event(world.users["coordinator"], world.programme, values)


def add_session(world, event, name, start, end, **extra) -> Session:
    fields = {
        "name": name,
        "date": event.start_date,
        "start_time": start,
        "end_time": end,
        "slot_minutes": 30,
    }
    fields.update(extra)
    return timetable.add_session(world.users["manager"], event, fields)


@pytest.fixture
def ew(world) -> EventWorld:
    event = make_event(world)
    am = add_session(world, event, "Morning", time(9, 0), time(11, 0))
    pm = add_session(world, event, "Afternoon", time(14, 0), time(16, 0))
    timetable.set_table_count(world.users["manager"], event, 3)
    participant = registering.register(
        world.users["owner"], event, world.org_a1, role="delegate", profile="Printed sensors"
    )
    other = registering.register(world.users["outsider"], event, world.org_b1, profile="Robots")
    pending = matchmaking.request_meeting(world.users["owner"], participant, other, "Let us meet")
    return EventWorld(event, am, pm, participant, other, pending)


@pytest.fixture
def busy(ew, world):
    """Four participants, five accepted meetings (one must-meet), the participant away in the afternoon."""
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    people = [ew.participant, ew.other]
    for name in ("Delta Chips", "Epsilon Optics"):
        org = make_org(name, "DE")
        user = make_user(f"{name.split()[0].lower()}@test.example", org)
        people.append(registering.register(user, ew.event, org))
    users = [world.users["owner"], world.users["outsider"], people[2].user, people[3].user]
    for (a, b), must in (((0, 2), True), ((0, 3), False), ((1, 2), False), ((1, 3), False)):
        meeting_request = matchmaking.request_meeting(users[a], people[a], people[b], must_meet=must)
        matchmaking.respond(users[b], meeting_request, True)
    registering.set_availability(world.users["owner"], ew.participant, [ew.session_pm], None)
    ew.people = people
    return ew
