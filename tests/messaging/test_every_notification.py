"""Every notification email the platform sends is declared once as an editable text (core.texts):
each renders its shipped text in English and German with its placeholders filled, a programme's
wording replaces it in that language only, and a wording that drops a required placeholder is
refused with the reason. The senders render through the registry (no email text of their own)."""

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from clusterxchange.accounts import domain as accounts
from clusterxchange.accounts.models import User
from clusterxchange.core.texts import EDITABLE, braced
from clusterxchange.messaging import domain
from clusterxchange.programmes.models import Programme

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterxchange"
# The functions that send email, and the modules that may call them: each renders an editable text
# (its `text.parts(...)`), except core.mail itself and the group messages (written by their sender).
SENDERS = {"send_in_languages", "send_personal_in_languages", "send_after_commit"}
CALLERS = {
    "accounts/domain.py",  # _tell
    "accounts/invitations.py",
    "accounts/tokens.py",
    "accounts/throttling.py",  # allauth's own emails (its templates): password reset, login codes
    "joining/domain.py",  # _email
    "events/notifications.py",  # notify
    "exchanges/notifications.py",  # notify
    "followup/domain.py",  # _email (surveys)
    "followup/reminders.py",  # the agenda the day before
    "core/mail.py",
    "messaging/domain.py",  # group messages: the sender's own text
}
EXPECTED = {
    "accounts": 10,
    "directory": 12,
    "events": 15,
    "exchanges": 8,
    "followup": 8,
}


def values_of(text) -> dict[str, str]:
    return {name: f"<{name}>" for name in text.placeholders}


def rendered(text, language: str, programme_id=None) -> tuple[str, str]:
    subject, body = text.parts(programme_id, **values_of(text))
    with translation.override(language):
        return str(subject), str(body)


def test_every_app_declares_its_notifications():
    by_app: dict[str, int] = {}
    for key in EDITABLE:
        by_app[key.split(".")[0]] = by_app.get(key.split(".")[0], 0) + 1
    assert by_app == EXPECTED


def test_only_the_declared_senders_send_email():
    """A new email must go through one of the senders above, which take an editable text."""
    callers = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in SENDERS:
                    callers.add(str(path.relative_to(SRC)))
    assert callers <= CALLERS, callers - CALLERS


@pytest.mark.parametrize("key", sorted(EDITABLE))
def test_each_notification_renders_its_shipped_text_in_english_and_german(key):
    text = EDITABLE[key]
    english, german = rendered(text, "en"), rendered(text, "de")
    for subject, body in (english, german):
        assert subject.strip()
        assert "%(" not in subject + body and "{" not in subject + body  # every placeholder filled
        for name in text.required:
            assert f"<{name}>" in subject + body
    assert german != english, "no German translation"
    with translation.override("de"):
        assert text.shipped() == (braced(text.subject), braced(text.body))


@pytest.mark.parametrize("key", sorted(EDITABLE))
def test_a_programmes_wording_is_used_in_its_language_only(world, key):
    text = EDITABLE[key]
    kept = " ".join(f"{{{name}}}" for name in text.placeholders)
    domain.save_notification_text(
        world.users["coordinator"], world.programme, key, "de", f"Eigener Betreff {kept}", "Eigener Text"
    )
    subject, body = rendered(text, "de", world.programme.pk)
    assert subject == "Eigener Betreff " + " ".join(f"<{name}>" for name in text.placeholders)
    assert body == "Eigener Text"
    assert rendered(text, "en", world.programme.pk) == rendered(text, "en")
    domain.reset_notification_text(world.users["coordinator"], world.programme, key, "de")
    assert rendered(text, "de", world.programme.pk)[0] != subject


@pytest.mark.parametrize("key", sorted(key for key, text in EDITABLE.items() if text.required))
def test_a_wording_that_drops_a_required_placeholder_is_refused(world, key):
    text = EDITABLE[key]
    kept = " ".join(f"{{{name}}}" for name in text.required[1:])
    with pytest.raises(ValidationError, match=rf"must keep \{{{text.required[0]}\}}"):
        domain.save_notification_text(
            world.users["coordinator"], world.programme, key, "de", f"Betreff {kept}", "Text"
        )


def test_a_shipped_body_may_stay_empty_but_a_subject_may_not(world):
    text = EDITABLE["exchanges.grant_approved"]
    assert not str(text.body)
    domain.save_notification_text(
        world.users["coordinator"], world.programme, text.key, "de", "{amount} €", ""
    )
    with pytest.raises(ValidationError, match="required"):
        domain.save_notification_text(world.users["coordinator"], world.programme, text.key, "de", " ", "x")


def test_an_account_email_takes_the_current_programmes_wording(world, django_capture_on_commit_callbacks):
    """Roles in an organisation belong to no programme: the site's current programme words them."""
    assert Programme.objects.current() == world.programme
    domain.save_notification_text(
        world.users["coordinator"],
        world.programme,
        "accounts.role_given",
        "de",
        "Willkommen als {role} bei {target}",
        "{actor} hat Sie eingetragen.",
    )
    user = User.objects.create_user(email="neu@test.example", password="x", language="de")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        accounts.grant_role(world.users["manager"], user, "organisation-member", world.org_a2)
    (sent,) = [message for message in mail.outbox if message.to == ["neu@test.example"]]
    assert sent.subject.endswith(f"Willkommen als Mitglied bei {world.org_a2}")
    assert "hat Sie eingetragen." in sent.body


def test_an_account_email_to_someone_without_a_language_takes_the_current_programmes(
    world, django_capture_on_commit_callbacks
):
    """Emails about no programme (roles in an organisation) fall back on the current programme's
    default language, as the others fall back on their programme's."""
    world.programme.default_language = "fr"
    world.programme.save(update_fields=["default_language"])
    user = User.objects.create_user(email="nouveau@test.example", password="x")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        accounts.grant_role(world.users["manager"], user, "organisation-member", world.org_a2)
    (sent,) = [message for message in mail.outbox if message.to == ["nouveau@test.example"]]
    subject, _body = rendered(EDITABLE["accounts.role_given"], "fr")
    assert subject.split("<")[0] in sent.subject


def test_the_texts_page_lists_every_notification(world):
    page = world.client("coordinator").get(reverse("messaging:texts")).content.decode()
    for key in EDITABLE:
        assert reverse("messaging:text_edit", args=[world.programme.slug, key, "de"]) in page
