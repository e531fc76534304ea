"""Pages and API of messages to groups: who may open what (the full matrix is in
tests/security/access/messaging.py), which fields each role sees, the compose flow with its preview,
the unsubscribe page (a tampered link gets a clear page) and the bounce API."""

import pytest
from django.urls import reverse

from clusterxchange.accounts.models import ApiToken
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.messaging import domain
from clusterxchange.messaging.models import AddressSuppression, GroupMessage, Unsubscription
from tests.messaging.conftest import participants

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world, mw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(
            world.users["manager"], participants(mw), "Hello {name}", "See you at {event}"
        )
    return message


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("manager", 200),
        ("owner", 403),
        ("same_cluster", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_compose_and_history_by_role(world, mw, role, status):
    for name in ("messaging:list", "messaging:compose"):
        assert world.client(role).get(reverse(name)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("manager", 200),
        ("owner", 404),
        ("same_cluster", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_a_message_is_read_by_its_sender_and_the_coordinators_only(world, sent, role, status):
    response = world.client(role).get(reverse("messaging:detail", args=[sent.pk]))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert world.users["owner"].email in text and world.users["outsider"].email in text  # recipients
        assert "Delivered: 2" in text


def test_the_compose_page_offers_only_the_senders_groups(world, mw):
    coordinator = world.client("coordinator").get(reverse("messaging:compose")).content.decode()
    manager = world.client("manager").get(reverse("messaging:compose")).content.decode()
    assert "Authors of published courses" in coordinator and "Authors of published courses" not in manager
    assert "Silicon Day B2B" in manager
    assert "Cluster B" in coordinator and "Cluster B (TEST)" not in manager  # another partner's members


def test_the_event_page_leads_its_organisers_to_a_message_to_its_participants(world, mw):
    link = f"/messages/new/?audience=event_participants:{mw.event.pk}"
    for role, shown in (("coordinator", True), ("manager", True), ("owner", False)):
        page = world.client(role).get(mw.event.get_absolute_url()).content.decode()
        assert (link in page) == shown, role
    page = world.client("manager").get(link).content.decode()
    assert f'value="event_participants:{mw.event.pk}" selected' in page


def test_the_compose_page_says_where_the_replies_go(world, mw):
    manager = world.users["manager"]
    page = world.client("manager").get(reverse("messaging:compose")).content.decode()
    assert f"Replies come to your address, {manager.email}." in page


def test_preview_then_send(world, mw, django_capture_on_commit_callbacks):
    client = world.client("manager")
    data = {"audience": participants(mw), "subject": "Hello {name}", "body": "Agenda: {agenda_link}"}
    response = client.post(reverse("messaging:compose"), {**data, "preview": "1"})
    text = response.content.decode()
    assert 'data-count="2"' in text and "Send to 2 people" in text and "Agenda: http" in text
    assert not GroupMessage.objects.exists()
    bad = client.post(
        reverse("messaging:compose"), {**data, "body": "{agenda}", "preview": "1"}
    ).content.decode()
    assert "Unknown placeholder {agenda}" in bad and "{agenda_link}" in bad
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("messaging:compose"), {**data, "send": "1"})
    message = GroupMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "messaging:detail", args=[message.pk]
    )
    assert message.recipients.count() == 2


def test_a_failed_email_shows_its_reason_to_the_sender(world, sent):
    email = OutgoingEmail.objects.get(recipient=world.users["owner"].email, subject__startswith="Hello")
    email.status, email.last_error = "failed", "SMTPRecipientsRefused: 550 mailbox unavailable"
    email.save()
    text = world.client("manager").get(reverse("messaging:detail", args=[sent.pk])).content.decode()
    assert "550 mailbox unavailable" in text
    listing = world.client("manager").get(reverse("messaging:list")).content.decode()
    assert "<strong>1</strong>" in listing
    # Group messages are not listed among the undelivered notifications; other emails are.
    OutgoingEmail.objects.create(
        recipient="x@example.org",
        subject="Exchange validated",
        body="b",
        status="failed",
        last_error="Connection refused",
        programme=world.programme,
    )
    page = world.client("coordinator").get(reverse("messaging:undelivered")).content.decode()
    assert "Connection refused" in page and "550 mailbox unavailable" not in page


def test_the_status_keeps_updating_while_emails_wait_for_the_mail_server(world, sent):
    """Queued for everyone: the page polls every ten seconds while an email waits (a retry after an
    outage), so its final failure and reason appear without a reload; then it stops."""
    status_url = reverse("messaging:status", args=[sent.pk])
    client = world.client("manager")
    assert "hx-get" not in client.get(status_url).content.decode()  # everything delivered
    email = OutgoingEmail.objects.get(recipient=world.users["owner"].email, subject__startswith="Hello")
    email.status = "queued"
    email.save()
    text = client.get(status_url).content.decode()
    assert f'hx-get="{status_url}"' in text and 'hx-trigger="load delay:10s"' in text
    assert "waiting or retried: 1" in text
    email.status, email.last_error = "failed", "SMTPRecipientsRefused: 550 mailbox unavailable"
    email.save()
    text = client.get(status_url).content.decode()
    assert "hx-get" not in text and "failed: 1" in text


def test_unsubscribe_link_is_honoured_at_once_and_a_tampered_one_gets_a_clear_page(world, mw):
    owner = world.users["owner"]
    token = domain.unsubscribe_token(owner.pk)
    client = world.client("anonymous")
    assert "Unsubscribe" in client.get(reverse("messaging:unsubscribe", args=[token])).content.decode()
    assert (
        client.post(reverse("messaging:unsubscribe", args=[token]), {"action": "unsubscribe"}).status_code
        == 302
    )
    assert Unsubscription.objects.filter(user=owner).exists()
    assert domain.preview(world.users["manager"], participants(mw), "Hi", "Hello").unsubscribed == 1
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("messaging:unsubscribe", args=[tampered]))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    outsider_data = domain.unsubscribe_token(world.users["outsider"].pk).split(":", 1)[0]
    forged = outsider_data + ":" + token.split(":", 1)[1]  # another person's id with the owner's signature
    assert client.post(reverse("messaging:unsubscribe", args=[forged])).status_code == 400
    assert not Unsubscription.objects.filter(user=world.users["outsider"]).exists()


def test_bounce_api_blocks_the_address(world, mw):
    token = ApiToken.issue(world.users["coordinator"], "mail provider")[1]
    outsider = world.users["outsider"]
    response = world.client("anonymous").post(
        "/api/messaging/bounces",
        {"address": outsider.email, "reason": "complaint", "detail": "spam report"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201 and response.json()["reason"] == "complaint"
    assert AddressSuppression.objects.get().address == outsider.email
    assert domain.preview(world.users["manager"], participants(mw), "Hi", "Hello").count == 1
    bad = world.client("anonymous").post(
        "/api/messaging/bounces",
        {"address": "x@example.org", "reason": "delete-everything"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad.status_code == 422 and AddressSuppression.objects.count() == 1


def test_api_fields_by_role(world, sent):
    manager = world.client("manager").get(f"/api/messaging/messages/{sent.pk}").json()
    assert set(manager) >= {"subject", "body", "audience", "status", "recipients"}
    assert {r["delivery"] for r in manager["recipients"]} == {"sent"}
    assert world.client("owner").get(f"/api/messaging/messages/{sent.pk}").status_code == 404
    listing = world.client("coordinator").get("/api/messaging/messages").json()
    assert [m["id"] for m in listing["results"]] == [sent.pk]
