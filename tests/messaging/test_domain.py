"""Group messages: audiences, preview counts, placeholders, limits, sending exactly once in each
recipient's language, unsubscribing and bounces."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clusterxchange.core.demo import load_demo
from clusterxchange.core.domain import Refused
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.messaging import domain, groups
from clusterxchange.messaging.models import AddressSuppression, GroupMessage, MessageRecipient
from clusterxchange.programmes.models import PartnerCluster
from tests.messaging.conftest import participants

pytestmark = pytest.mark.django_db

BODY = "Dear {name}, see you at {event}. Your agenda: {agenda_link}"


def emails_of(users) -> set[str]:
    return {user.email for user in users}


def test_each_group_reaches_the_people_it_names(world, mw):
    coordinator = world.users["coordinator"]
    owner, outsider = world.users["owner"].email, world.users["outsider"].email
    expected = {
        "event_participants": {owner, outsider},
        "event_delegates": {owner},
        "event_without_meetings": {owner, outsider},
        "event_pending_requests": {outsider},
    }
    for key, addresses in expected.items():
        audience = groups.resolve(coordinator, f"{key}:{mw.event.pk}")
        assert emails_of(audience.users(coordinator)) == addresses, key
    partner_a = PartnerCluster.objects.get(cluster=world.cluster_a)
    members = groups.resolve(world.users["manager"], f"partner_members:{partner_a.pk}")
    assert emails_of(members.users(world.users["manager"])) == {owner, world.users["same_cluster"].email}


def test_a_sender_gets_only_the_targets_they_administer(world, mw):
    partner_b = PartnerCluster.objects.get(cluster=world.cluster_b)
    manager = world.users["manager"]
    assert groups.resolve(manager, participants(mw)) is not None
    assert groups.resolve(manager, f"partner_members:{partner_b.pk}") is None  # another partner's members
    assert groups.resolve(manager, f"course_authors:{world.programme.pk}") is None  # coordinators only
    assert groups.resolve(world.users["coordinator"], f"partner_members:{partner_b.pk}") is not None
    for role in ("owner", "outsider", "same_cluster"):
        with pytest.raises(PermissionDenied):
            domain.preview(world.users[role], participants(mw), "Hello", "Hi")
    with pytest.raises(PermissionDenied):
        domain.preview(manager, f"partner_members:{partner_b.pk}", "Hello", "Hi")
    with pytest.raises(PermissionDenied):
        domain.preview(manager, "no_such_group:1", "Hello", "Hi")


def test_preview_counts_and_renders_one_example(world, mw):
    preview = domain.preview(world.users["manager"], participants(mw), "News about {event}", BODY)
    assert (preview.count, preview.unsubscribed) == (2, 0)
    assert preview.subject == "News about Silicon Day B2B"
    assert "Your agenda: http" in preview.body and f"/events/{mw.event.slug}/agenda/" in preview.body
    assert "To receive no more messages from organisers" in preview.body


def test_unknown_placeholder_too_long_and_empty_group_are_refused(world, mw, settings):
    manager = world.users["manager"]
    with pytest.raises(ValidationError) as error:
        domain.send_message(manager, participants(mw), "Hi {name}", "See {agenda} and {partner}")
    text = str(error.value.message_dict["body"])
    assert "{agenda}, {partner}" in text and "{agenda_link}" in text and "{name}" in text
    settings.GROUP_MESSAGE_MAX_CHARS = 50
    with pytest.raises(ValidationError, match="At most 50 characters"):
        domain.send_message(manager, participants(mw), "Hi", "x" * 51)
    settings.GROUP_MESSAGE_MAX_RECIPIENTS = 1
    with pytest.raises(Refused, match="at most 1"):
        domain.send_message(manager, participants(mw), "Hi", "Hello")
    with pytest.raises(Refused, match="empty"):
        domain.send_message(world.users["coordinator"], f"course_authors:{world.programme.pk}", "Hi", "x")
    assert not GroupMessage.objects.exists()


def test_sending_queues_one_email_per_recipient_in_their_language(
    world, mw, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]
    outsider.language = "de"
    outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(world.users["manager"], participants(mw), "Hello {name}", BODY)
    message.refresh_from_db()
    assert (message.status, message.expected, message.queued) == ("sent", 2, 2)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {world.users["owner"].email, outsider.email}
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert "Gesendet von" in by_address[outsider.email].body  # the frame in German
    assert "Sent by" in by_address[world.users["owner"].email].body
    assert "Dear outsider@test.example, see you at Silicon Day B2B" in by_address[outsider.email].body
    assert "/de/messages/unsubscribe/" in by_address[outsider.email].body
    assert set(message.recipients.values_list("email__status", flat=True)) == {"sent"}
    # Running the task again (a restarted worker) writes to nobody twice.
    message.status = "sending"
    message.save()
    assert domain.deliver_message(message.pk) == 0
    assert OutgoingEmail.objects.filter(subject__startswith="Hello").count() == 2
    assert MessageRecipient.objects.count() == 2


def test_a_recipient_without_a_chosen_language_reads_the_programmes_default(
    world, mw, django_capture_on_commit_callbacks
):
    world.programme.default_language = "fr"
    world.programme.save(update_fields=["default_language"])
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(world.users["manager"], participants(mw), "Hello {name}", BODY)
    assert set(message.recipients.values_list("language", flat=True)) == {"fr"}
    assert all("Envoyé par" in m.body and "/fr/messages/unsubscribe/" in m.body for m in mail.outbox)


def test_unsubscribed_and_bounced_people_are_left_out_and_counted(world, mw):
    owner, outsider = world.users["owner"], world.users["outsider"]
    domain.unsubscribe(domain.unsubscribe_token(owner.pk))
    preview = domain.preview(world.users["coordinator"], participants(mw), "Hi", "Hello")
    assert (preview.count, preview.unsubscribed) == (1, 1)
    domain.record_bounce(world.users["coordinator"], outsider.email.upper(), "bounce", "550 no such user")
    assert AddressSuppression.objects.get().address == outsider.email
    with pytest.raises(Refused, match="empty"):
        domain.preview(world.users["coordinator"], participants(mw), "Hi", "Hello")
    domain.resubscribe(domain.unsubscribe_token(owner.pk))
    assert domain.preview(world.users["coordinator"], participants(mw), "Hi", "Hello").count == 1


def test_a_tampered_unsubscribe_link_is_refused(world):
    token = domain.unsubscribe_token(world.users["owner"].pk)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token.replace(":", ";", 1), "x"):
        with pytest.raises(Refused, match="not valid"):
            domain.unsubscribe(bad)


def test_only_coordinators_record_bounces(world):
    with pytest.raises(PermissionDenied):
        domain.record_bounce(world.users["manager"], "a@example.org", "bounce")
    with pytest.raises(ValidationError):
        domain.record_bounce(world.users["coordinator"], "not an address", "bounce")
    assert not AddressSuppression.objects.exists()


def test_the_demo_shows_a_sent_message_of_the_silicon_saxony_day(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # nothing left to send: the demo sends no email
        load_demo()
    assert not mail.outbox or all("Silicon Saxony Day: your agenda" not in m.subject for m in mail.outbox)
    message = GroupMessage.objects.get(event__title="Silicon Saxony Day, Dresden")
    assert message.status == "sent" and message.queued == message.recipients.count() >= 2
    states = set(message.recipients.values_list("email__status", flat=True))
    assert states == {"sent", "failed"}


def test_reminders_carry_an_unsubscribe_link_honoured_at_once(world, mw, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from clusterxchange.events.domain import matchmaking
    from clusterxchange.events.models import MeetingRequest

    outsider = world.users["outsider"]  # the recipient of the pending request
    outsider.language = "fr"
    outsider.save()
    MeetingRequest.objects.filter(pk=mw.pending.pk).update(expires_at=timezone.now() + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert matchmaking.remind_pending() == 1
    reminder = next(m for m in mail.outbox if "Reminder" in m.subject or "Rappel" in m.subject)
    assert reminder.to == [outsider.email]
    assert (
        "/fr/messages/unsubscribe/" in reminder.body and "Pour ne plus recevoir de rappels" in reminder.body
    )
    token = reminder.body.split("/messages/unsubscribe/", 1)[1].split("/", 1)[0]
    assert domain.read_unsubscribe_token(token) == (outsider, "reminders")
    domain.unsubscribe(token)
    mail.outbox.clear()
    MeetingRequest.objects.filter(pk=mw.pending.pk).update(reminded_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        matchmaking.remind_pending()
    assert not [m for m in mail.outbox if outsider.email in m.to]


def test_a_participant_who_answers_a_group_message_writes_to_its_sender(
    world, mw, django_capture_on_commit_callbacks
):
    """The message goes out from the platform's address; a participant's reply reaches the organiser
    who wrote it (walk3: replies went to the platform's no-reply address, a dead end)."""
    manager = world.users["manager"]
    with django_capture_on_commit_callbacks(execute=True):
        domain.send_message(manager, participants(mw), "Hello {name}", BODY)
    assert len(mail.outbox) == 2
    assert all(m.reply_to == [manager.email] for m in mail.outbox)
    assert all(m.from_email != manager.email for m in mail.outbox)
    # A retried email keeps it: the address is stored with the email, not looked up again.
    sent = OutgoingEmail.objects.filter(subject__startswith="Hello")
    assert set(sent.values_list("reply_to", flat=True)) == {manager.email}
