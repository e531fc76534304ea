"""Undelivered emails: each stored email keeps the programme it was sent for (the senders pass it to
core.mail), and the page of final failures shows a coordinator only those of the programmes they
coordinate; an email for no programme (an account's own, joining an organisation) only superusers."""

from datetime import date

import pytest
from django.urls import reverse

from clusterxchange.accounts import invitations
from clusterxchange.accounts.models import RoleKind
from clusterxchange.core.mail import deliver_due
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.joining import domain as joining
from clusterxchange.messaging import domain
from clusterxchange.programmes.models import Programme, ProgrammeRole
from tests.conftest import make_user
from tests.messaging.conftest import participants

pytestmark = pytest.mark.django_db


def failed(recipient: str, subject: str, programme=None) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        recipient=recipient,
        subject=subject,
        body="b",
        status=OutgoingEmail.Status.FAILED,
        last_error="550 mailbox unavailable",
        programme=programme,
    )


@pytest.fixture
def other_programme(world):
    programme = Programme.objects.create(
        name="Other programme",
        acronym="OTH",
        slug="other",
        start_date=date(2022, 1, 1),
        end_date=date(2030, 1, 1),
    )
    coordinator = make_user("coordinator-b@test.example")
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    return programme, coordinator


@pytest.fixture
def failures(world, other_programme):
    failed("ours@example.org", "Exchange CX-1 validated", world.programme)
    failed("theirs@example.org", "Exchange OTH-7 refused", other_programme[0])
    failed("account@example.org", "Confirm your email address")


def listed(client) -> set[str]:
    response = client.get(reverse("messaging:undelivered"))
    assert response.status_code == 200
    text = response.content.decode()
    return {address for address in ("ours", "theirs", "account") if f"{address}@example.org" in text} | {
        subject for subject in ("CX-1", "OTH-7", "Confirm your") if subject in text
    }


def test_a_coordinator_sees_only_the_failures_of_their_programmes(world, failures, other_programme, client):
    assert listed(world.client("coordinator")) == {"ours", "CX-1"}
    client.force_login(other_programme[1])
    assert listed(client) == {"theirs", "OTH-7"}


def test_a_superuser_sees_every_failure_with_its_programme(world, failures, other_programme, client):
    admin = make_user("root@test.example")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert listed(client) == {"ours", "CX-1", "theirs", "OTH-7", "account", "Confirm your"}
    text = client.get(reverse("messaging:undelivered")).content.decode()
    assert str(world.programme) in text and str(other_programme[0]) in text


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("owner", 403), ("same_cluster", 403), ("outsider", 403), ("anonymous", 302)],
)
def test_nobody_else_opens_the_page(world, failures, role, status):
    assert world.client(role).get(reverse("messaging:undelivered")).status_code == status


def test_the_senders_store_the_programme_each_email_is_for(world, mw, django_capture_on_commit_callbacks):
    coordinator = world.users["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(world.users["manager"], participants(mw), "Hello {name}", "Hi")
    emails = OutgoingEmail.objects.filter(group_recipient__message=message)
    assert emails.exists() and set(emails.values_list("programme_id", flat=True)) == {world.programme.pk}
    # An event's notification (the request waiting in the event world) is for the event's programme.
    request_email = OutgoingEmail.objects.filter(recipient=world.users["outsider"].email).first()
    assert request_email is not None and request_email.programme_id == world.programme.pk
    # An invitation to an event is for its programme; one to an organisation for none.
    invitations.invite(
        coordinator, email="guest@example.org", role_kind=RoleKind.EVENT_PARTICIPANT, target=mw.event
    )
    assert OutgoingEmail.objects.get(recipient="guest@example.org").programme_id == world.programme.pk
    invitations.invite(
        world.users["manager"],
        email="colleague@example.org",
        role_kind=RoleKind.ORGANISATION_MEMBER,
        target=world.cluster_a,
    )
    assert OutgoingEmail.objects.get(recipient="colleague@example.org").programme_id is None
    # Asking to join an organisation belongs to no programme.
    before = OutgoingEmail.objects.count()
    joining.ask_to_join(world.users["outsider"], world.org_a1)
    asked = OutgoingEmail.objects.all()[: OutgoingEmail.objects.count() - before]
    assert asked and {email.programme_id for email in asked} == {None}


def test_the_delivery_retries_keep_the_programme(world, settings):
    """The periodic retry sends a queued email as before; its programme stays with it."""
    email = OutgoingEmail.objects.create(
        recipient="late@example.org", subject="s", body="b", programme=world.programme, next_attempt_at=None
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at)
    assert deliver_due() == 1
    email.refresh_from_db()
    assert (email.status, email.programme_id) == (OutgoingEmail.Status.SENT, world.programme.pk)
