"""Guests: people registered for an event without an account, with an email on their person record.

The event groups reach them once per address, in their language, with their name, a text instead of
the agenda link (the agenda needs a login) and an unsubscribe link signed for their address; an
unsubscribed guest gets nothing, a changed link is refused, and nobody sees another address."""

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterxchange.core.domain import Refused
from clusterxchange.core.models import Language
from clusterxchange.directory.models import Person
from clusterxchange.events.models import Registration
from clusterxchange.messaging import domain, groups
from clusterxchange.messaging.models import AddressSuppression, MessageRecipient
from tests.messaging.conftest import participants
from tests.messaging.test_smtp import smtp_server

pytestmark = pytest.mark.django_db

GUEST = "Gaby.Guest@guest.example"


def register_guest(world, mw, email=GUEST, first="Gaby", last="Guest", languages=("fr",), **fields) -> Person:
    person = Person.objects.create(first_name=first, last_name=last, email=email, organisation=world.org_b1)
    person.languages.set(Language.objects.filter(code__in=languages))
    values = {"status": Registration.Status.VALIDATED, "role": Registration.Role.DELEGATE, **fields}
    Registration.objects.create(event=mw.event, person=person, organisation=world.org_b1, **values)
    return person


def guest_addresses(audience, sender) -> set[str]:
    return set(domain.reachable_guests(audience.guests(sender)).values_list("address", flat=True))


def test_the_event_groups_reach_guests_and_the_other_groups_do_not(world, mw):
    register_guest(world, mw)
    register_guest(world, mw, email="local@guest.example", role=Registration.Role.LOCAL)
    register_guest(world, mw, email="gone@guest.example", status=Registration.Status.CANCELLED)
    linked = register_guest(world, mw, email="linked@guest.example")
    linked.user = world.users["same_cluster"]  # a person with an account is reached as that user
    linked.save()
    register_guest(world, mw, email=world.users["manager"].email.upper())  # an account's address
    register_guest(world, mw, email="")
    coordinator = world.users["coordinator"]
    expected = {
        "event_participants": {GUEST.lower(), "local@guest.example"},
        "event_delegates": {GUEST.lower()},
        "event_without_meetings": {GUEST.lower(), "local@guest.example"},
        "event_pending_requests": set(),
    }
    for key, addresses in expected.items():
        audience = groups.resolve(coordinator, f"{key}:{mw.event.pk}")
        assert guest_addresses(audience, coordinator) == addresses, key
    members = next(t for t in groups.GROUPS["partner_members"].targets(coordinator))
    assert not groups.Audience(groups.GROUPS["partner_members"], members).guests(coordinator).exists()


def test_preview_counts_guests_once_per_address_and_can_show_a_guest(world, mw):
    register_guest(world, mw)
    register_guest(world, mw, email=GUEST.upper(), first="Twice")  # a second record, same address
    coordinator = world.users["coordinator"]
    preview = domain.preview(coordinator, participants(mw), "Hi {name}", "Agenda: {agenda_link}")
    assert (preview.count, preview.unsubscribed) == (3, 0)
    for user in (world.users["owner"], world.users["outsider"]):
        domain.unsubscribe(domain.unsubscribe_token(user.pk))
    preview = domain.preview(coordinator, participants(mw), "Hi {name}", "Agenda: {agenda_link}")
    assert (preview.count, preview.unsubscribed, preview.example_to) == (1, 2, GUEST.lower())
    assert preview.subject == "Hi Gaby Guest"
    assert "/agenda/" not in preview.body and "after logging in" in preview.body


def test_a_guest_gets_exactly_one_copy_through_smtp_in_their_language(
    world, mw, django_capture_on_commit_callbacks
):
    register_guest(world, mw)
    register_guest(world, mw, email=GUEST.upper(), first="Twice")
    with smtp_server() as inbox:
        with django_capture_on_commit_callbacks(execute=True):
            message = domain.send_message(
                world.users["coordinator"], participants(mw), "Hello {name}", "Agenda: {agenda_link}"
            )
        message.status = "sending"  # a task started again (a restarted worker) sends nothing more
        message.save()
        assert domain.deliver_message(message.pk) == 0
    mine = [(content, to) for content, to in inbox.received if "Hello " in content]
    everyone = {world.users["owner"].email, world.users["outsider"].email, GUEST.lower()}
    assert sorted(address for _content, to in mine for address in to) == sorted(everyone)
    assert all(len(to) == 1 for _content, to in mine)
    for content, to in mine:  # nobody sees another address
        assert not [address for address in everyone - set(to) if address in content.lower()]
    guest_mail = next(content for content, to in mine if to == [GUEST.lower()])
    assert "Hello Gaby Guest" in guest_mail and "Twice" not in guest_mail
    assert "/fr/messages/unsubscribe/" in guest_mail  # French: the person record's language
    assert "/agenda/" not in guest_mail
    row = MessageRecipient.objects.get(message=message, user__isnull=True)
    assert (row.address, row.language, row.email.status) == (GUEST.lower(), "fr", "sent")
    assert MessageRecipient.objects.filter(message=message).count() == 3
    page = world.client("coordinator").get(reverse("messaging:detail", args=[message.pk])).content.decode()
    assert GUEST.lower() in page and "guest without an account" in page


def test_a_guest_without_a_language_gets_the_programmes_default(world, mw):
    person = register_guest(world, mw, languages=())
    programme = mw.event.programme
    assert domain.guest_language(person, programme) == programme.default_language
    person.languages.set(Language.objects.filter(code__in=["de", programme.default_language]))
    assert domain.guest_language(person, programme) == programme.default_language


def test_an_unsubscribed_guest_gets_nothing(world, mw, mailoutbox, django_capture_on_commit_callbacks):
    register_guest(world, mw)
    token = domain.guest_unsubscribe_token(GUEST)
    client = world.client("anonymous")
    url = reverse("messaging:unsubscribe", args=[token])
    assert "Unsubscribe" in client.get(url).content.decode()
    assert client.post(url, {"action": "unsubscribe"}).status_code == 302
    assert AddressSuppression.objects.get().reason == AddressSuppression.Reason.UNSUBSCRIBED
    assert "Receive them again" in client.get(url).content.decode()
    preview = domain.preview(world.users["coordinator"], participants(mw), "Hi", "Hello")
    assert (preview.count, preview.unsubscribed) == (2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(world.users["coordinator"], participants(mw), "Hi", "Hello")
    assert not [m for m in mailoutbox if GUEST.lower() in m.to]
    assert not message.recipients.filter(address=GUEST.lower()).exists()
    client.post(url, {"action": "resubscribe"})
    assert not AddressSuppression.objects.exists()
    domain.record_bounce(world.users["coordinator"], GUEST, "bounce")
    domain.resubscribe(token)  # a bounce is not undone by the guest's link
    assert AddressSuppression.objects.get().reason == "bounce"


def test_a_tampered_guest_link_is_refused(world, mw):
    register_guest(world, mw)
    token = domain.guest_unsubscribe_token(GUEST)
    other = domain.guest_unsubscribe_token("someone@else.example")
    forged = other.split(":", 1)[0] + ":" + token.split(":", 1)[1]  # another address, the guest's signature
    unknown_kind = signing.dumps({"a": GUEST.lower(), "k": "everything"}, salt=domain.UNSUBSCRIBE_SALT)
    client = world.client("anonymous")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), forged, unknown_kind):
        with pytest.raises(Refused, match="not valid"):
            domain.unsubscribe(bad)
        response = client.post(reverse("messaging:unsubscribe", args=[bad]), {"action": "unsubscribe"})
        assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not AddressSuppression.objects.exists()


def test_unsubscribed_is_not_a_reason_the_bounce_api_may_record(world):
    with pytest.raises(ValidationError):
        domain.record_bounce(world.users["coordinator"], GUEST, "unsubscribed")
    assert not AddressSuppression.objects.exists()
