"""Reminders of the periodic job `send-reminders`: right recipients, each once per occasion (running
twice sends once), in the recipient's language, the unsubscribe link honoured."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clusterxchange.core.models import AuditEntry
from clusterxchange.events.models import Meeting
from clusterxchange.exchanges.models import AgreementSignature, Evidence
from clusterxchange.followup import reminders, tasks
from clusterxchange.followup.models import ReminderSent
from clusterxchange.messaging import domain as messaging
from tests.events.conftest import FUTURE

pytestmark = pytest.mark.django_db


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def run(function, capture, **kwargs):
    with capture(execute=True):
        return function(**kwargs)


def test_few_requests_reminder_once_per_period_in_the_language_with_unsubscribe(
    world,
    ew,
    django_capture_on_commit_callbacks,
):
    owner, outsider = world.users["owner"], world.users["outsider"]
    owner.language = "de"
    owner.save()
    mail.outbox.clear()
    # Both have one request (fewer than FEW_REQUESTS); the registered-but-not-participant is not asked.
    assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks) == 2
    assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks) == 0  # once per period
    [german] = sent_to(owner.email)
    assert "/de/messages/unsubscribe/" in german.body and ew.event.title in german.subject
    assert "/messages/unsubscribe/" in sent_to(outsider.email)[0].body
    assert ReminderSent.objects.filter(kind="few_requests").count() == 2
    # The outsider unsubscribes from reminders: the next period reminds only the owner.
    token = sent_to(outsider.email)[0].body.split("/messages/unsubscribe/", 1)[1].split("/", 1)[0]
    messaging.unsubscribe(token)
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=ew.event.programme.booking_reminder_days)
    assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks, now=later) == 1
    assert sent_to(owner.email) and not sent_to(outsider.email)


def test_no_booking_reminder_when_switched_off_after_the_deadline_or_with_enough_requests(
    world,
    ew,
    django_capture_on_commit_callbacks,
):
    programme = ew.event.programme
    programme.booking_reminder_days = 0
    programme.save()
    assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks) == 0
    programme.booking_reminder_days = 3
    programme.save()
    ew.event.registration_deadline = timezone.now() - timedelta(hours=1)
    ew.event.save()
    assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks) == 0
    ew.event.registration_deadline = None
    ew.event.save()
    # reminders.FEW_REQUESTS = 1: each has one request, so nobody is reminded.
    reminders.FEW_REQUESTS, before = 1, reminders.FEW_REQUESTS
    try:
        assert run(reminders.remind_few_requests, django_capture_on_commit_callbacks) == 0
    finally:
        reminders.FEW_REQUESTS = before


def test_agenda_the_day_before_each_participant_their_meetings_once(
    world, fw, django_capture_on_commit_callbacks
):
    owner = world.users["owner"]
    owner.language = "fr"
    owner.save()
    mail.outbox.clear()
    two_days_before = datetime(FUTURE.year, FUTURE.month, FUTURE.day - 2, 10, tzinfo=fw.event.tz)
    assert run(reminders.send_agendas, django_capture_on_commit_callbacks, now=two_days_before) == 0
    day_before = two_days_before + timedelta(days=1)
    assert run(reminders.send_agendas, django_capture_on_commit_callbacks, now=day_before) == 3
    assert run(reminders.send_agendas, django_capture_on_commit_callbacks, now=day_before) == 0
    [french] = sent_to(owner.email)
    # Two meetings, each with its time (event's zone), table and partner, in French; with the link.
    assert "09:00" in french.body and "Gamma Robotics" in french.body and "Delta Chips" in french.body
    assert "/fr/messages/unsubscribe/" in french.body
    [delta] = sent_to(fw.delta.email)
    assert "Alpha Sensors" in delta.body and "Gamma Robotics" not in delta.body


def test_the_periodic_job_is_declared_and_runs_the_reminders(settings):
    assert settings.PERIODIC_JOBS["send-reminders"]["task"] == "clusterxchange.followup.tasks.send_reminders"
    assert (
        settings.PERIODIC_JOBS["send-follow-ups"]["task"] == "clusterxchange.followup.tasks.send_follow_ups"
    )
    assert tasks.send_reminders.call() == 0  # nothing due in an empty database


def test_exchange_reminders_go_to_the_right_party_once(world, xworld, django_capture_on_commit_callbacks):
    users = xworld.users
    matched = xworld.new_exchange(state="matched")
    AuditEntry.objects.create(
        action="match",
        object_type="exchanges.exchange",
        object_id=str(matched.pk),
        to_state="matched",
    )
    AgreementSignature.objects.create(
        exchange=matched,
        party="visitor",
        signed_by=users["visitor"],
        signatory_name="V",
        document_sha256="0" * 64,
    )
    ended = xworld.new_exchange(state="in_progress")  # the stay ended a week ago, no report, no evidence
    submitted = xworld.new_exchange(state="report_submitted")
    Evidence.objects.create(
        exchange=submitted,
        original_name="ticket.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1,
        uploaded_by=users["visitor"],
        file="evidence/x.pdf",
    )
    mail.outbox.clear()
    count = run(reminders.remind_exchanges, django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if matched.reference in m.subject]  # matched today: not yet
    later = timezone.now() + timedelta(days=reminders.AGREEMENT_REMINDER_DAYS)
    count += run(reminders.remind_exchanges, django_capture_on_commit_callbacks, now=later)
    signature = [m for m in mail.outbox if matched.reference in m.subject]
    recipients = {m.to[0] for m in signature}
    # The visitor signed: the host and both partnerships are reminded, the visitor is not.
    assert users["host"].email in recipients and users["host_partnership"].email in recipients
    assert users["visitor_partnership"].email in recipients and users["visitor"].email not in recipients
    report = {m.to[0] for m in mail.outbox if ended.reference in m.subject}
    assert users["visitor"].email in report and users["host"].email not in report
    # The exchange in progress gets "report due" and "evidence missing"; the submitted one has evidence.
    assert ReminderSent.objects.filter(kind="report_due", occasion=f"exchange:{ended.pk}").exists()
    assert ReminderSent.objects.filter(kind="evidence_missing", occasion=f"exchange:{ended.pk}").exists()
    assert not ReminderSent.objects.filter(occasion=f"exchange:{submitted.pk}").exists()
    assert count == len(mail.outbox)
    assert run(reminders.remind_exchanges, django_capture_on_commit_callbacks, now=later) == 0
    assert all("/messages/unsubscribe/" not in m.body for m in mail.outbox)  # essential mail


def test_a_reminder_minutes_before_each_meeting_once_per_meeting_and_person(
    world, fw, settings, django_capture_on_commit_callbacks
):
    """Off by default; with 15 minutes, each party of a meeting starting within 15 minutes gets one
    reminder (in their language, with partner, time and table), however often the job runs; none
    once the meeting has begun."""
    owner = world.users["owner"]
    owner.language = "de"
    owner.save()
    first = Meeting.objects.filter(request=fw.pending).select_related("published_slot").get()
    starts = first.published_slot.starts_at
    mail.outbox.clear()
    remind = reminders.remind_meetings_soon
    assert run(remind, django_capture_on_commit_callbacks, now=starts - timedelta(minutes=10)) == 0  # off
    fw.event.meeting_reminder_minutes = 15
    fw.event.save()
    assert run(remind, django_capture_on_commit_callbacks, now=starts - timedelta(minutes=20)) == 0
    assert run(remind, django_capture_on_commit_callbacks, now=starts - timedelta(minutes=14)) == 2
    assert run(remind, django_capture_on_commit_callbacks, now=starts - timedelta(minutes=5)) == 0
    [german] = sent_to(owner.email)
    assert "In 15 Minuten: Ihr Treffen mit Gamma Robotics" in german.subject
    assert (
        "09:00, Tisch 1, bei Silicon Day B2B." in german.body and "/de/messages/unsubscribe/" in german.body
    )
    [other] = sent_to(world.users["outsider"].email)
    assert "In 15 minutes: your meeting with" in other.subject and "Alpha Sensors" in other.subject
    assert ReminderSent.objects.filter(kind="meeting_soon").count() == 2
    second = Meeting.objects.filter(request__requester=fw.third).select_related("published_slot").get()
    late = second.published_slot.starts_at + timedelta(minutes=1)
    assert run(remind, django_capture_on_commit_callbacks, now=late) == 0  # begun: no late reminder
    assert settings.PERIODIC_JOBS["send-meeting-reminders"]["every"] == 60
    assert tasks.send_meeting_reminders.call() == 0


def test_the_event_reminders_are_in_the_organisers_message_history(
    world, fw, django_capture_on_commit_callbacks
):
    fw.event.meeting_reminder_minutes = 15
    fw.event.save()
    starts = (
        Meeting.objects.filter(request=fw.pending).values_list("published_slot__starts_at", flat=True).get()
    )
    run(reminders.remind_meetings_soon, django_capture_on_commit_callbacks, now=starts - timedelta(minutes=5))
    [row] = reminders.sent_for_events([fw.event])
    assert (row.kind, row.count) == ("meeting_soon", 2)
    page = (
        world.client("manager").get(reverse("messaging:list")).content.decode()
    )  # the host cluster's manager
    assert 'id="reminders"' in page and "Reminder before a meeting" in page and fw.event.title in page
    assert world.client("owner").get(reverse("messaging:list")).status_code == 403
