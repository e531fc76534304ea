"""The events' KPI counts and the request housekeeping command."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clusterxchange.events import domain, kpis
from clusterxchange.events.models import MeetingRequest

pytestmark = pytest.mark.django_db


def test_kpi_counts_delegates_and_published_meetings(ew, world):
    domain.respond(world.users["outsider"], ew.pending, True)
    meeting = ew.pending.meeting
    meeting.slot = meeting.published_slot = ew.session_am.slots.first()
    meeting.table = meeting.published_table = ew.event.tables.first()
    meeting.save()
    counted = kpis.count(world.programme)
    assert (counted.b2b_sessions, counted.missions, counted.delegates) == (1, 0, 1)
    assert counted.meetings_scheduled == 1 and counted.meetings_held == 0
    partner_b = world.programme.partners.get(cluster=world.cluster_b)
    assert kpis.count(world.programme, partner=partner_b).delegates == 0
    assert kpis.count(world.programme, end=ew.event.start_date - timedelta(days=1)).b2b_sessions == 0


def test_housekeeping_command(ew, capsys):
    MeetingRequest.objects.filter(pk=ew.pending.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("event_requests")
    assert "1 requests expired" in capsys.readouterr().out


def test_schedule_command(ew, world, capsys):
    domain.respond(world.users["outsider"], ew.pending, True)
    call_command("event_schedule", ew.event.slug)
    assert "1 of 1 meetings placed" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("event_schedule", "no-such-event")
