"""Notification texts a programme rewords per language: placeholders checked on save, a preview,
the programme's wording sent in that language only, and a reset back to the shipped text."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import MeetingRequest
from clusterxchange.messaging import domain
from clusterxchange.messaging.models import NotificationText

pytestmark = pytest.mark.django_db

KEY = "events.request_reminder"


def edit_url(world, language="de"):
    return reverse("messaging:text_edit", args=[world.programme.slug, KEY, language])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("manager", 403),
        ("owner", 403),
        ("same_cluster", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_only_coordinators_edit_texts(world, role, status):
    assert world.client(role).get(reverse("messaging:texts")).status_code == status
    assert world.client(role).get(edit_url(world)).status_code == status
    response = world.client(role).post(edit_url(world), {"subject": "{name}", "body": "x", "action": "save"})
    assert response.status_code == (302 if role == "coordinator" else status)
    assert NotificationText.objects.exists() == (role == "coordinator")


def test_the_form_shows_the_shipped_text_in_its_language(world):
    page = world.client("coordinator").get(edit_url(world, "fr")).content.decode()
    assert "Rappel" in page and "{name}" in page


def test_placeholders_are_checked_and_a_preview_fills_them(world):
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError, match=r"\{nom\}.*Known placeholders: \{name\}, \{event\}"):
        domain.save_notification_text(coordinator, world.programme, KEY, "de", "Erinnerung {nom}", "Text")
    with pytest.raises(ValidationError, match=r"must keep \{name\}"):
        domain.save_notification_text(
            coordinator, world.programme, KEY, "de", "Erinnerung", "Bitte antworten."
        )
    with pytest.raises(PermissionDenied):
        domain.save_notification_text(world.users["manager"], world.programme, KEY, "de", "{name}", "x")
    assert not NotificationText.objects.exists()
    subject, body = domain.preview_notification_text(
        coordinator, world.programme, KEY, "{name} wartet", "Bei {event}"
    )
    assert (subject, body) == ("[name] wartet", "Bei [event]")
    page = (
        world.client("coordinator")
        .post(edit_url(world), {"subject": "{name} wartet", "body": "{oops}", "action": "preview"})
        .content.decode()
    )
    assert "Unknown placeholder {oops}" in page


def test_the_programmes_wording_is_sent_in_its_language_and_reset_returns_to_the_shipped_one(
    world, ew, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]  # recipient of the pending request
    outsider.language = "de"
    outsider.save()
    domain.save_notification_text(
        world.users["coordinator"],
        world.programme,
        KEY,
        "de",
        "Bitte antworten Sie {name}",
        "{name} wartet bei {event}.",
    )
    domain.save_notification_text(
        world.users["coordinator"], world.programme, KEY, "fr", "{name} attend", "x"
    )

    def reminder():
        mail.outbox.clear()
        MeetingRequest.objects.filter(pk=ew.pending.pk).update(
            expires_at=timezone.now() + timedelta(hours=3), reminded_at=None
        )
        with django_capture_on_commit_callbacks(execute=True):
            matchmaking.remind_pending()
        return next(m for m in mail.outbox if outsider.email in m.to)

    sent = reminder()
    assert "Bitte antworten Sie Alpha Sensors" in sent.subject
    assert "Alpha Sensors wartet bei Silicon Day B2B." in sent.body
    response = world.client("coordinator").post(edit_url(world), {"action": "reset"})
    assert response.status_code == 302
    assert not NotificationText.objects.filter(language="de").exists()
    sent = reminder()
    assert "Erinnerung: Alpha Sensors wartet auf Ihre Antwort" in sent.subject  # the shipped German text
    assert "Bitte antworten Sie" not in sent.subject
