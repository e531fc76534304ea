"""Every event email reaches each recipient in their own language, whatever the actor's language."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from clusterxchange.events.domain import matchmaking, timetable
from clusterxchange.events.models import Meeting

pytestmark = pytest.mark.django_db


def in_language(language: str, msgid: str, **params) -> str:
    with translation.override(language):
        return gettext(msgid) % params


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [address]]


@pytest.fixture
def languages(world):
    """The organiser writes in English; the two participants read German and French."""
    world.users["owner"].language = "de"
    world.users["outsider"].language = "fr"
    for key in ("owner", "outsider"):
        world.users[key].save(update_fields=["language"])
    return world.users


def test_a_request_and_its_answer_are_written_in_each_readers_language(
    ew, world, languages, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    owner_name, other_name = ew.participant.display_name, ew.other.display_name
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        matchmaking.respond(world.users["outsider"], ew.pending, False)
    german = in_language("de", "%(name)s declined your meeting request", name=other_name)
    assert german != in_language("en", "%(name)s declined your meeting request", name=other_name)
    assert [subject.endswith(german) for subject in subjects_to("owner@test.example")] == [True]

    mail.outbox.clear()
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        matchmaking.request_meeting(world.users["owner"], ew.participant, ew.other, "Bis bald")
    french = in_language("fr", "%(name)s asks to meet you", name=owner_name)
    assert french != in_language("de", "%(name)s asks to meet you", name=owner_name)
    assert [subject.endswith(french) for subject in subjects_to("outsider@test.example")] == [True]


def test_a_published_agenda_is_announced_in_german_and_french_at_once(
    ew, world, languages, django_capture_on_commit_callbacks
):
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    meeting = Meeting.objects.get(request=ew.pending)
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=ew.session_am.slots.first(), table=ew.event.tables.first()
    )
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish_agenda(world.users["manager"], ew.event, final=False) == 2
    for address, language in (("owner@test.example", "de"), ("outsider@test.example", "fr")):
        with translation.override(language):
            kind = gettext("Preliminary").lower()
            headline = gettext("Your meeting agenda (%(kind)s) is published") % {"kind": kind}
            body_line = gettext("Open it on the web, download the PDF or subscribe to the calendar.")
        (message,) = [m for m in mail.outbox if m.to == [address]]
        assert message.subject.endswith(headline)
        assert body_line in message.body
    assert len({message.subject for message in mail.outbox}) == 2


def test_someone_without_a_chosen_language_reads_the_sites_default(
    ew, world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        matchmaking.respond(world.users["outsider"], ew.pending, True)
    english = in_language("en", "%(name)s accepted your meeting request", name=ew.other.display_name)
    assert [subject.endswith(english) for subject in subjects_to("owner@test.example")] == [True]


def test_someone_without_a_chosen_language_reads_the_programmes_default(
    ew, world, django_capture_on_commit_callbacks
):
    """A programme run in French writes in French to whoever chose no language (a chosen language
    wins: the tests above)."""
    ew.event.programme.default_language = "fr"
    ew.event.programme.save(update_fields=["default_language"])
    ew.event.refresh_from_db()
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        matchmaking.respond(world.users["outsider"], ew.pending, True)
    french = in_language("fr", "%(name)s accepted your meeting request", name=ew.other.display_name)
    assert french != in_language("en", "%(name)s accepted your meeting request", name=ew.other.display_name)
    assert [subject.endswith(french) for subject in subjects_to("owner@test.example")] == [True]
