"""The request housekeeping command (the events' KPI counts are tested with reporting/measures.py)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import MeetingRequest

pytestmark = pytest.mark.django_db


def test_housekeeping_command(ew, capsys):
    MeetingRequest.objects.filter(pk=ew.pending.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("event_requests")
    assert "1 requests expired" in capsys.readouterr().out


def test_schedule_command(ew, world, capsys):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    call_command("event_schedule", ew.event.slug)
    assert "1 of 1 meetings placed" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("event_schedule", "no-such-event")
