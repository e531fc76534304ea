"""Invitations: the whole way from the invite form to the accepted role, with the link read out of an
email a real SMTP server on loopback received; dead links; refusals; the rate limit; files."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from clusterxchange.accounts import invitations
from clusterxchange.accounts.models import Invitation, InvitationBatch, Membership, User
from clusterxchange.core.domain import Refused
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.tabular import read_table
from clusterxchange.directory.models import Person
from tests.conftest import make_user
from tests.core.test_mail import smtp, start_server  # noqa: F401 - the loopback SMTP fixture

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/invitations/([\w-]+)/")


def invite_page(target_type, slug):
    return reverse("invitations:invite", args=[target_type, slug])


def link_in(content: str) -> str:
    """The path of the invitation link in an email as received (quoted-printable unfolded)."""
    text = content.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
    return urlsplit(LINK.search(text).group(0)).path


def send(world, role="manager", **fields):
    values = {"email": "new.person@example.org", "role_kind": "organisation-member", "target": world.org_a1}
    values.update(fields)
    return invitations.invite(world.users[role], **values)


def token_of(email) -> str:
    return LINK.search(email.body).group(1)


def test_invite_accept_with_a_new_account_through_a_real_mail_server(
    world,
    smtp,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    controller, inbox = start_server(smtp)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = world.client("manager").post(
                invite_page("organisation", world.org_a1.slug),
                {
                    "email": "Nina.Neu@Example.org",
                    "role_kind": "organisation-admin",
                    "first_name": "Nina",
                    "last_name": "Neu",
                    "language": "de",
                    "message": "Welcome aboard",
                },
            )
        assert response.status_code == 302
    finally:
        controller.stop()
    (content, recipients), *_rest = inbox.received
    assert recipients == ["nina.neu@example.org"]
    path = link_in(content)
    assert path.startswith("/de/invitations/")  # the invitee's language
    assert "Hallo Nina Neu" in content and "Welcome aboard" in content  # German, with the inviter's message

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert b"nina.neu@example.org" in page.content and b"password1" in page.content
    response = visitor.post(
        path, {"first_name": "Nina", "last_name": "Neu", "password1": "a-long-pass-phrase", "password2": "x"}
    )
    assert response.status_code == 200 and not User.objects.filter(email="nina.neu@example.org").exists()
    response = visitor.post(
        path,
        {
            "first_name": "Nina",
            "last_name": "Neu",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == world.org_a1.get_absolute_url()
    user = User.objects.get(email="nina.neu@example.org")
    assert (user.first_name, user.language) == ("Nina", "de")
    assert Membership.objects.get(user=user, organisation=world.org_a1).role == "manager"
    assert EmailAddress.objects.get(user=user).verified
    assert Person.objects.filter(user=user, organisation=world.org_a1).exists()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.state == "accepted"
    # The link works once.
    again = Client().get(path)
    assert again.status_code == 410
    assert "bereits angenommen" in again.content.decode()  # the link's language


def test_an_existing_account_logs_in_then_accepts(world, django_capture_on_commit_callbacks):
    outsider = world.users["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        send(world, email=outsider.email.upper())
    path = reverse("invitations:accept", args=[token_of(mail.outbox[0])])
    page = Client().get(path)
    assert page.status_code == 200 and b"Log in to accept" in page.content
    assert b"password1" not in page.content

    other = world.client("same_cluster").get(path)
    assert b"another address" in other.content and b"Log out" in other.content

    client = world.client("outsider")
    assert b"Accept the invitation" in client.get(path).content
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, organisation=world.org_a1, role="member").exists()


def test_an_account_accepts_at_another_address_it_verified(world, django_capture_on_commit_callbacks):
    """The invited address is an account's other verified address: that account logs in and accepts
    (no second account), and the person record with that address is linked to it."""
    outsider = world.users["outsider"]
    EmailAddress.objects.create(user=outsider, email="private@mail.example", verified=True, primary=False)
    EmailAddress.objects.create(user=outsider, email="typo@mail.example", verified=False, primary=False)
    record = Person.objects.create(
        first_name="Otto", last_name="Outsider", email="Private@Mail.example", organisation=world.org_a1
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(world, email="private@mail.example")
        send(world, email="typo@mail.example")
    verified_path, unverified_path = (
        reverse("invitations:accept", args=[token_of(email)]) for email in mail.outbox
    )
    page = Client().get(verified_path)
    assert b"Log in to accept" in page.content and b"password1" not in page.content
    # An address not verified is not the account's: the link offers to create an account instead.
    assert b"password1" in Client().get(unverified_path).content
    client = world.client("outsider")
    assert b"another address" in client.get(unverified_path).content
    with pytest.raises(Refused):
        invitations.accept(outsider, Invitation.objects.get(email="typo@mail.example"))

    assert b"Accept the invitation" in client.get(verified_path).content
    assert client.post(verified_path).status_code == 302
    assert Membership.objects.filter(user=outsider, organisation=world.org_a1, role="member").exists()
    record.refresh_from_db()
    assert record.user == outsider
    assert User.objects.filter(email__iexact="private@mail.example").count() == 0  # no second account


def test_an_event_participant_lands_on_the_registration_page(world, django_capture_on_commit_callbacks):
    from tests.events.conftest import make_event

    event = make_event(world)
    with django_capture_on_commit_callbacks(execute=True):
        send(world, email=world.users["same_cluster"].email, role_kind="event-participant", target=event)
    path = reverse("invitations:accept", args=[token_of(mail.outbox[0])])
    response = world.client("same_cluster").post(path)
    assert response["Location"] == reverse("events:register", args=[event.slug])


def test_expired_revoked_and_replaced_links_say_so(world, fixed_clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(world)
        second = send(world, email="second@example.org")
    tokens = [token_of(email) for email in mail.outbox]
    invitations.revoke(world.users["manager"], second)
    page = Client().get(reverse("invitations:accept", args=[tokens[1]]))
    assert page.status_code == 410 and b"withdrawn" in page.content
    assert b"manager@test.example" in page.content  # who to ask

    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend(world.users["coordinator"], first)
    assert Client().get(reverse("invitations:accept", args=[tokens[0]])).status_code == 404  # replaced
    new_path = reverse("invitations:accept", args=[token_of(mail.outbox[-1])])
    assert Client().get(new_path).status_code == 200

    fixed_clock.shift(timedelta(days=15))
    page = Client().get(new_path)
    assert (
        page.status_code == 410
        and b"expired" in page.content
        and b"send the invitation again" in page.content
    )
    with pytest.raises(Refused, match="expired"):
        invitations.accept(world.users["owner"], first)


def test_refusals_say_why(world):
    with pytest.raises(Refused, match="already a member"):
        send(world, email=world.users["owner"].email)
    with pytest.raises(PermissionDenied):
        send(world, role="owner")
    with pytest.raises(PermissionDenied):  # the manager of cluster A may not give roles in cluster B
        send(world, target=world.org_b1)
    with pytest.raises(PermissionDenied):
        send(world, role_kind="coordinator", target=world.programme)
    send(world)
    with pytest.raises(Refused, match="resend that invitation"):
        send(world, role="coordinator", email="NEW.person@example.org", role_kind="organisation-admin")
    with pytest.raises(Exception, match="valid email"):
        send(world, email="not an address")
    assert Invitation.objects.count() == 1


def test_a_dead_invitation_cannot_be_resent_or_revoked(world):
    invitation = send(world)
    invitations.revoke(world.users["manager"], invitation)
    with pytest.raises(Refused, match="revoked"):
        invitations.resend(world.users["manager"], invitation)
    with pytest.raises(Refused, match="revoked"):
        invitations.revoke(world.users["manager"], invitation)
    with pytest.raises(PermissionDenied):
        invitations.resend(world.users["outsider"], send(world, email="x@example.org"))


def test_sending_is_rate_limited_per_inviter(world, settings):
    settings.INVITATIONS_PER_HOUR = 2
    first = send(world, email="a@example.org")
    invitations.resend(world.users["manager"], first)
    with pytest.raises(Refused, match="in the last hour"):
        send(world, email="b@example.org")
    send(world, role="coordinator", email="b@example.org")  # another inviter has their own limit
    response = world.client("manager").post(
        invite_page("organisation", world.org_a1.slug),
        {"email": "c@example.org", "role_kind": "organisation-member", "language": "en"},
    )
    assert response.status_code == 200 and b"in the last hour" in response.content
    assert not Invitation.objects.filter(email="c@example.org").exists()


def file_of(*rows: str, header="email,first name,last name,role,language"):
    return ("invitations.csv", "\n".join([header, *rows]).encode())


def test_a_file_with_errors_sends_nothing(world, django_capture_on_commit_callbacks):
    send(world, email="pending@example.org")
    mail.outbox.clear()
    name, content = file_of(
        "ok@example.org,Ok,Person,member,fr",
        "not-an-email,Bad,Email,member,en",
        "ok@example.org,Twice,Listed,member,en",
        "odd@example.org,Odd,Role,captain,en",
        "coord@example.org,Co,Ord,coordinator,en",
        "lang@example.org,Un,Known,member,xx",
        f"{world.users['owner'].email},Al,Ready,member,en",
        "pending@example.org,Pen,Ding,admin,en",
    )
    client = world.client("manager")
    url = reverse("invitations:invite_file", args=["organisation", world.org_a1.slug])
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"file": SimpleUploadedFile(name, content), "role_kind": "organisation-member", "language": "en"},
        )
    text = response.content.decode()
    assert "7 problems found" in text
    for problem in (
        "is not a valid email address",
        "The same address as in row 2",
        "Unknown role",
        "does not fit",
        "Unknown language",
        "already a member",
        "resend that invitation",
    ):
        assert problem in text
    assert Invitation.objects.count() == 1 and not InvitationBatch.objects.exists()
    assert mail.outbox == []
    report, _rows = invitations.check_file(
        world.users["manager"], read_table(name, content), world.org_a1, role_kind="organisation-member"
    )
    slow, _rows = invitations.check_file(
        world.users["manager"],
        read_table(name, content),
        world.org_a1,
        role_kind="organisation-member",
        batched=False,
    )
    assert report.errors == slow.errors
    assert [error.row for error in report.errors] == [3, 4, 5, 6, 7, 8, 9]


def test_a_valid_file_is_sent_by_the_task_with_progress(world, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name, content = file_of(
        *(
            f"person{i}@example.org,P{i},Q{i},{'admin' if i == 0 else ''},{'de' if i % 2 else ''}"
            for i in range(5)
        )
    )
    client = world.client("coordinator")
    url = reverse("invitations:invite_file", args=["organisation", world.org_a2.slug])
    response = client.post(
        url, {"file": SimpleUploadedFile(name, content), "role_kind": "organisation-member", "language": "fr"}
    )
    assert b"All 5 rows are valid" in response.content
    stash = re.search(rb'name="confirm_token" value="([^"]+)"', response.content).group(1).decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"confirm_token": stash, "role_kind": "organisation-member", "language": "fr", "message": "Hi"},
        )
    batch = InvitationBatch.objects.get()
    assert response["Location"] == reverse("invitations:batch", args=[batch.pk])
    assert (batch.status, batch.done, batch.total, batch.progress) == ("done", 5, 5, 100)
    sent = Invitation.objects.order_by("email")
    assert [i.role_kind for i in sent][:2] == ["organisation-admin", "organisation-member"]
    assert [i.language for i in sent] == ["fr", "de", "fr", "de", "fr"]
    assert all(i.sent_count == 1 and i.digest for i in sent)
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{i}@example.org" for i in range(5)]
    assert "Hi" in mail.outbox[0].body
    page = client.get(reverse("invitations:batch", args=[batch.pk]))
    assert b"5 of 5 invitations sent" in page.content
    assert world.client("manager").get(reverse("invitations:batch", args=[batch.pk])).status_code == 404


def test_an_xlsx_file_is_checked_row_by_row_like_a_csv(world):
    """The same file as a spreadsheet (headers as people type them, an address cell with spaces): its
    problems are listed by row, nothing is created; once corrected, every row is valid."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    def workbook(*rows) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.append(["Email", "First name", "Last name", "Role", "Language"])
        for row in rows:
            sheet.append(list(row))
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    client = world.client("manager")
    url = reverse("invitations:invite_file", args=["organisation", world.org_a1.slug])
    bad = workbook(
        (" lena@example.org ", "Lena", "Weber", "admin", "de"), ("nobody", "No", "Body", "member", "en")
    )
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("people.xlsx", bad),
            "role_kind": "organisation-member",
            "language": "en",
        },
    )
    text = response.content.decode()
    assert "1 problem found" in text or "1 problems found" in text, text[:2000]
    assert "is not a valid email address" in text
    assert not Invitation.objects.exists()
    good = workbook(
        (" lena@example.org ", "Lena", "Weber", "admin", "de"), ("max@example.org", "Max", "", "", "")
    )
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("people.xlsx", good),
            "role_kind": "organisation-member",
            "language": "en",
        },
    )
    assert b"All 2 rows are valid" in response.content
    report, rows = invitations.check_file(
        world.users["manager"], read_table("people.xlsx", good), world.org_a1, role_kind="organisation-member"
    )
    assert report.ok
    assert [(row.email, row.role_kind, row.language) for row in rows] == [
        ("lena@example.org", "organisation-admin", "de"),
        ("max@example.org", "organisation-member", "en"),
    ]
    assert not Invitation.objects.exists()


def test_a_queued_file_says_no_worker_runs(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    batch = InvitationBatch.objects.create(created_by=world.users["coordinator"], total=3)
    page = world.client("coordinator").get(
        reverse("invitations:batch", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert b"data-waiting-for-worker" in page.content and b"hx-get" in page.content
    assert b"<html" not in page.content


def test_a_file_is_refused_above_the_daily_limit(world, settings):
    settings.INVITATIONS_PER_DAY = 3
    name, content = file_of(*(f"p{i}@example.org,,,member," for i in range(4)))
    with pytest.raises(Refused, match="at most 3 invitations in 24 hours"):
        invitations.invite_file(
            world.users["manager"], read_table(name, content), world.org_a1, role_kind="organisation-member"
        )
    assert not Invitation.objects.exists() and not OutgoingEmail.objects.exists()


def test_an_email_is_in_the_invitees_language(world):
    send(world, language="fr", first_name="Jean")
    body = mail.outbox[0].body if mail.outbox else OutgoingEmail.objects.get().body
    assert "Bonjour Jean" in body or "/fr/invitations/" in body
    assert "/fr/invitations/" in body


def test_an_organisation_admin_sees_only_their_organisations_invitations(world):
    admin = make_user("admin@alpha.example", world.org_a1, "manager")
    send(world, email="to-a1@example.org")
    send(world, email="to-a2@example.org", target=world.org_a2)
    send(world, role="coordinator", email="to-b1@example.org", target=world.org_b1)
    client = Client()
    client.force_login(admin)
    text = client.get(reverse("invitations:list")).content.decode()
    assert "to-a1@example.org" in text and "to-a2@example.org" not in text and "to-b1" not in text
    manager_text = world.client("manager").get(reverse("invitations:list")).content.decode()
    assert "to-a1" in manager_text and "to-a2" in manager_text and "to-b1" not in manager_text
    coordinator_text = world.client("coordinator").get(reverse("invitations:list")).content.decode()
    assert all(email in coordinator_text for email in ("to-a1", "to-a2", "to-b1"))
    assert "to-" not in world.client("outsider").get(reverse("invitations:list")).content.decode()


def test_the_list_filters_by_state(world, fixed_clock):
    send(world, email="open@example.org")
    invitations.revoke(world.users["manager"], send(world, email="gone@example.org"))
    client = world.client("manager")
    assert "gone@" not in client.get(reverse("invitations:list") + "?state=pending").content.decode()
    revoked = client.get(reverse("invitations:list") + "?state=revoked").content.decode()
    assert "gone@" in revoked and "open@" not in revoked
    fixed_clock.shift(timedelta(days=20))
    client = world.client("manager")  # a new session (the first one expired meanwhile)
    expired = client.get(reverse("invitations:list") + "?state=expired").content.decode()
    assert "open@" in expired and "gone@" not in expired
    assert "Resend" in expired


def test_an_invitation_is_written_in_the_programme_language_unless_chosen(world):
    """org_a1 belongs to cluster A, a partner of the test programme: its default language is the
    invitation's, on the form and in the domain; a language the inviter picks wins."""
    world.programme.default_language = "fr"
    world.programme.save()
    assert invitations.default_language_of(world.org_a1) == "fr"
    assert invitations.default_language_of(world.programme) == "fr"
    assert send(world).language == "fr"
    assert send(world, email="other@example.org", language="de").language == "de"
    page = world.client("manager").get(invite_page("organisation", world.org_a1.slug))
    assert page.context["form"]["language"].value() == "fr"


def test_an_inviter_without_a_name_is_named_once(world):
    """A fresh install's first account has no name: the email read 'ask coord@x.eu (coord@x.eu)'."""
    inviter = world.users["manager"]
    inviter.first_name = inviter.last_name = ""
    inviter.save()
    send(world)
    body = mail.outbox[0].body if mail.outbox else OutgoingEmail.objects.get().body
    assert f"ask {inviter.email} to send it again" in body and f"({inviter.email})" not in body
