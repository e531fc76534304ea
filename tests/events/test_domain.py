"""Registration and meeting-request state rules, refusals with reasons, the time grid."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterxchange.core.domain import Refused
from clusterxchange.directory.models import MatchingOutcome
from clusterxchange.events.domain import matchmaking, organising, registering, timetable
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration
from tests.conftest import make_org, make_user
from tests.events.conftest import FUTURE, add_session, make_event

pytestmark = pytest.mark.django_db


def _participant(world, event, name):
    org = make_org(name, "DE")
    user = make_user(f"{name.lower().replace(' ', '.')}@test.example", org)
    return user, org


# Events ------------------------------------------------------------------------------------------


def test_end_before_start_is_refused_with_a_reason(world):
    with pytest.raises(ValidationError) as error:
        make_event(world, start_date=FUTURE, end_date=FUTURE - timedelta(days=1))
    assert "cannot be before the first day" in str(error.value)


def test_database_refuses_reversed_dates(world):
    event = make_event(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end_date=FUTURE - timedelta(days=3))


def test_unknown_time_zone_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_event(world, time_zone="Mars/Olympus")
    assert "time zone" in str(error.value)


def test_manager_organises_only_for_own_cluster(world):
    fields = {
        "kind": "mission",
        "title": "Mission",
        "host_cluster": world.cluster_b,
        "city": "Bilbao",
        "country": "ES",
        "start_date": FUTURE,
        "end_date": FUTURE,
    }
    with pytest.raises(PermissionDenied):
        organising.create_event(world.users["manager"], world.programme, fields)
    with pytest.raises(PermissionDenied):
        organising.create_event(
            world.users["owner"], world.programme, {**fields, "host_cluster": world.cluster_a}
        )
    event = organising.create_event(
        world.users["manager"], world.programme, {**fields, "host_cluster": world.cluster_a}
    )
    assert event.slug


def test_programme_item_outside_the_event_days_is_refused(world):
    event = make_event(world)
    start = timezone.make_aware(timezone.datetime.combine(FUTURE + timedelta(days=5), time(10)), event.tz)
    with pytest.raises(ValidationError):
        organising.add_programme_item(
            world.users["manager"], event, {"title": "Visit", "starts_at": start, "ends_at": start}
        )


# Registration ------------------------------------------------------------------------------------


def test_automatic_validation_grants_delegate_support(world):
    event = make_event(world, support_per_delegate_eur=500)
    registration = registering.register(world.users["owner"], event, world.org_a1, role="delegate")
    assert registration.status == Registration.Status.VALIDATED
    assert registration.support_eur == 500
    assert registration.partner.cluster == world.cluster_a


def test_manual_validation_and_rejection_needs_a_reason(world):
    event = make_event(world, validation="manual")
    registration = registering.register(world.users["owner"], event, world.org_a1)
    assert registration.status == Registration.Status.REGISTERED
    with pytest.raises(PermissionDenied):
        registering.decide_registration(world.users["outsider"], registration, True)
    with pytest.raises(ValidationError):
        registering.decide_registration(world.users["manager"], registration, False, "")
    rejected = registering.decide_registration(world.users["manager"], registration, False, "Not in scope")
    assert rejected.status == Registration.Status.REJECTED
    validated = registering.decide_registration(world.users["manager"], registration, True)
    assert validated.status == Registration.Status.VALIDATED
    with pytest.raises(Refused):
        registering.decide_registration(world.users["manager"], registration, True)


def test_register_twice_is_refused(world):
    event = make_event(world)
    registering.register(world.users["owner"], event, world.org_a1)
    with pytest.raises(Refused, match="already registered"):
        registering.register(world.users["owner"], event, world.org_a1)


def test_register_for_someone_elses_organisation_is_refused(world):
    event = make_event(world)
    with pytest.raises(PermissionDenied):
        registering.register(world.users["owner"], event, world.org_b1)


@pytest.mark.date_sensitive
def test_closed_registration_is_refused(world):
    event = make_event(world, registration_deadline=timezone.now() - timedelta(days=1))
    with pytest.raises(Refused, match="closed"):
        registering.register(world.users["owner"], event, world.org_a1)


def test_waiting_list_when_full_and_promotion_when_a_place_frees(world):
    event = make_event(world, capacity=1)
    first = registering.register(world.users["owner"], event, world.org_a1)
    second = registering.register(world.users["outsider"], event, world.org_b1)
    assert (first.status, second.status) == ("validated", "waiting")
    with pytest.raises(Refused, match="full"):
        registering.decide_registration(world.users["manager"], second, True)
    registering.cancel_registration(world.users["owner"], first)
    second.refresh_from_db()
    assert second.status == Registration.Status.VALIDATED
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED


def test_cancelled_registration_can_register_again(world):
    event = make_event(world)
    registration = registering.register(world.users["owner"], event, world.org_a1)
    registering.cancel_registration(world.users["owner"], registration)
    again = registering.register(world.users["owner"], event, world.org_a1)
    assert again.pk == registration.pk and again.status == "validated"


# Meeting requests --------------------------------------------------------------------------------


def test_request_to_oneself_is_refused(ew, world):
    with pytest.raises(ValidationError, match="yourself"):
        matchmaking.request_meeting(world.users["owner"], ew.participant, ew.participant)


def test_duplicate_request_is_refused_in_both_directions(ew, world):
    with pytest.raises(ValidationError, match="already a request"):
        matchmaking.request_meeting(world.users["owner"], ew.participant, ew.other)
    with pytest.raises(ValidationError, match="already a request"):
        matchmaking.request_meeting(world.users["outsider"], ew.other, ew.participant)


def test_request_to_a_rejected_participant_is_refused(ew, world):
    user, org = _participant(world, ew.event, "Delta Chips")
    late = registering.register(user, ew.event, org)
    registering.decide_registration(world.users["manager"], late, False, "Duplicate")
    with pytest.raises(ValidationError, match="rejected"):
        matchmaking.request_meeting(world.users["owner"], ew.participant, late)


def test_only_the_participant_sends_their_requests(ew, world):
    user, org = _participant(world, ew.event, "Delta Chips")
    third = registering.register(user, ew.event, org)
    with pytest.raises(PermissionDenied):
        matchmaking.request_meeting(world.users["outsider"], ew.participant, third)


def test_accept_creates_a_meeting_and_decline_does_not(ew, world):
    with pytest.raises(PermissionDenied):
        matchmaking.respond(world.users["owner"], ew.pending, True)
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    assert (meeting.first, meeting.second, meeting.status) == (ew.participant, ew.other, "active")
    outcome = MatchingOutcome.objects.get()  # what the matching engine learns from
    assert (outcome.use, outcome.kind, outcome.asking, outcome.candidate) == (
        "event_meeting",
        "accepted",
        ew.other.organisation,
        ew.participant.organisation,
    )
    with pytest.raises(Refused, match="no longer be answered"):
        matchmaking.respond(world.users["outsider"], ew.pending, False)


@pytest.mark.date_sensitive
def test_expired_request_cannot_be_accepted(ew, world):
    MeetingRequest.objects.filter(pk=ew.pending.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(Refused, match="expired"):
        matchmaking.respond(world.users["outsider"], ew.pending, True)
    ew.pending.refresh_from_db()
    assert ew.pending.status == MeetingRequest.Status.EXPIRED


@pytest.mark.date_sensitive
def test_expire_and_remind(ew, world):
    MeetingRequest.objects.filter(pk=ew.pending.pk).update(expires_at=timezone.now() + timedelta(hours=3))
    assert matchmaking.remind_pending() == 1
    assert matchmaking.remind_pending() == 0
    MeetingRequest.objects.filter(pk=ew.pending.pk).update(expires_at=timezone.now() - timedelta(hours=3))
    assert matchmaking.expire_requests() == 1


def test_auto_accept_event(world):
    event = make_event(world, acceptance="auto")
    a = registering.register(world.users["owner"], event, world.org_a1)
    b = registering.register(world.users["outsider"], event, world.org_b1)
    meeting_request = matchmaking.request_meeting(world.users["owner"], a, b, must_meet=True)
    assert meeting_request.status == "accepted"
    assert Meeting.objects.get(request=meeting_request).must_meet


def test_meeting_cap_is_enforced(world):
    event = make_event(world, acceptance="auto", meeting_cap=1)
    a = registering.register(world.users["owner"], event, world.org_a1)
    b = registering.register(world.users["outsider"], event, world.org_b1)
    matchmaking.request_meeting(world.users["owner"], a, b)
    user, org = _participant(world, event, "Delta Chips")
    c = registering.register(user, event, org)
    with pytest.raises(Refused, match="limit of 1"):
        matchmaking.request_meeting(user, c, a)


def test_cancelling_a_registration_cancels_its_meetings(ew, world):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    registering.cancel_registration(world.users["outsider"], ew.other)
    meeting = Meeting.objects.get(request=ew.pending)
    assert meeting.status == Meeting.Status.CANCELLED
    ew.pending.refresh_from_db()
    assert ew.pending.status == "cancelled"


# Availability and the time grid ------------------------------------------------------------------


def test_availability_excluding_every_session_is_refused(ew, world):
    with pytest.raises(ValidationError, match="no session at all"):
        registering.set_availability(
            world.users["owner"], ew.participant, [ew.session_am, ew.session_pm], None
        )
    registering.set_availability(world.users["owner"], ew.participant, [ew.session_pm], 5)
    ew.participant.refresh_from_db()
    assert ew.participant.cap == 5


def test_overlapping_sessions_are_refused(ew, world):
    with pytest.raises(ValidationError, match="overlaps"):
        add_session(world, ew.event, "Late morning", time(10, 30), time(12, 0))


def test_sessions_make_slots_around_the_break(world):
    event = make_event(world)
    session = add_session(
        world,
        event,
        "Day",
        time(9, 0),
        time(12, 0),
        slot_minutes=30,
        gap_minutes=0,
        break_start=time(10, 0),
        break_end=time(10, 30),
    )
    starts = [timezone.localtime(s.starts_at, event.tz).strftime("%H:%M") for s in session.slots.all()]
    assert starts == ["09:00", "09:30", "10:30", "11:00", "11:30"]


def test_session_outside_the_event_or_too_short_is_refused(world):
    event = make_event(world)
    with pytest.raises(ValidationError, match="between the event"):
        add_session(world, event, "x", time(9), time(10), date=FUTURE + timedelta(days=2))
    with pytest.raises(ValidationError, match="too short"):
        add_session(world, event, "x", time(9), time(9, 20))


def test_table_count_of_zero_is_refused(ew, world):
    with pytest.raises(ValidationError, match="at least one table"):
        timetable.set_table_count(world.users["manager"], ew.event, 0)
    assert [t.number for t in timetable.set_table_count(world.users["manager"], ew.event, 5)] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert len(timetable.set_table_count(world.users["manager"], ew.event, 2)) == 2


def test_lock_needs_a_slot_and_publish_needs_a_schedule(ew, world):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    with pytest.raises(Refused, match="scheduled"):
        timetable.lock_meeting(world.users["manager"], meeting, True)
    with pytest.raises(Refused, match="run the scheduler"):
        timetable.publish_agenda(world.users["manager"], ew.event, final=False)


def test_publish_notifies_only_changed_agendas(ew, world, django_capture_on_commit_callbacks):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    slots = list(ew.session_am.slots.all())
    table = ew.event.tables.first()
    Meeting.objects.filter(pk=meeting.pk).update(slot=slots[0], table=table)
    assert timetable.publish_agenda(world.users["manager"], ew.event, final=False) == 2
    assert timetable.publish_agenda(world.users["manager"], ew.event, final=True) == 0
    with pytest.raises(Refused):
        timetable.publish_agenda(world.users["manager"], ew.event, final=False)
    Meeting.objects.filter(pk=meeting.pk).update(slot=slots[1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish_agenda(world.users["manager"], ew.event, final=True) == 2
    assert len(mail.outbox) == 2


def test_publishing_refuses_to_drop_a_published_meeting(ew, world):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    slot = ew.session_am.slots.first()
    Meeting.objects.filter(request=ew.pending).update(slot=slot, table=ew.event.tables.first())
    timetable.publish_agenda(world.users["manager"], ew.event, final=True)
    user, org = _participant(world, ew.event, "Delta Chips")
    third = registering.register(user, ew.event, org)
    other_request = matchmaking.request_meeting(user, third, ew.participant)
    matchmaking.respond(world.users["owner"], other_request, True)
    Meeting.objects.filter(request=other_request).update(slot=slot, table=ew.event.tables.last())
    Meeting.objects.filter(request=ew.pending).update(slot=None, table=None)
    with pytest.raises(Refused, match="no longer scheduled"):
        timetable.publish_agenda(world.users["manager"], ew.event, final=True)
    matchmaking.cancel_request(world.users["manager"], ew.pending)  # the organiser cancels; both are told
    assert timetable.publish_agenda(world.users["manager"], ew.event, final=True) == 2


def test_delegate_trip_recorded_as_exchange(ew, world):
    from datetime import date

    from clusterxchange.exchanges.models import Exchange
    from clusterxchange.programmes.models import PartnerCluster

    partner = PartnerCluster.objects.get(programme=world.programme, cluster=world.cluster_a)
    exchange = Exchange.objects.create(
        programme=world.programme,
        visitor_organisation=world.org_a1,
        visitor_partner=partner,
        motivation="Mission",
        start_date=FUTURE,
        end_date=FUTURE,
        grant_amount_eur=780,
    )
    with pytest.raises(PermissionDenied):
        registering.link_exchange(world.users["owner"], ew.participant, exchange.reference)
    linked = registering.link_exchange(world.users["manager"], ew.participant, exchange.reference.lower())
    assert linked.exchange == exchange and linked.support_eur == 780
    other = Exchange.objects.create(
        programme=world.programme,
        visitor_organisation=world.org_b1,
        visitor_partner=partner,
        motivation="x",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 1, 5),
    )
    with pytest.raises(ValidationError) as error:
        registering.link_exchange(world.users["manager"], ew.participant, other.reference)
    assert "not the delegate's organisation" in str(error.value) and "do not overlap" in str(error.value)


def test_raising_the_capacity_admits_the_waiting_list(world):
    event = make_event(world, capacity=1)
    registering.register(world.users["owner"], event, world.org_a1)
    waiting = registering.register(world.users["outsider"], event, world.org_b1)
    assert waiting.status == "waiting"
    organising.update_event(world.users["manager"], event, {"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == "validated"
