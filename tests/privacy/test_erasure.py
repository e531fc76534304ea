"""Erasure anonymises a person and keeps every KPI count identical."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse

from clusterxchange.accounts.models import ApiToken, Membership
from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import Person
from clusterxchange.events.models import MeetingFeedback, MeetingRequest, Registration
from clusterxchange.exchanges.models import Evidence, Exchange
from clusterxchange.privacy import domain, export
from clusterxchange.privacy.models import ConsentRecord, ErasureRequest
from clusterxchange.reporting.measures import MEASURES, Scope, country_counts
from clusterxchange.tandems.models import StrategyReview, TandemSession
from clusterxchange.training.models import TrainingRecord


@pytest.fixture
def erase(django_capture_on_commit_callbacks):
    """Erase and run what waits for the commit (the files' deletion): the test's transaction never commits."""

    def run(actor, person, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return domain.erase_person(actor, person, **options)

    return run


def all_kpis(programme) -> dict:
    """Every figure of reporting.measures (the one source of the dashboard, reports, site and API):
    each measure's value, planned value, value per partner and per reporting period, and the countries."""
    partners = list(programme.partners.all())
    whole = Scope()
    figures = {"countries": country_counts(programme, whole)}
    for code, measure in MEASURES.items():
        figures[code] = measure.value(programme, whole)
        figures[f"{code} planned"] = measure.planned_value(programme, whole)
        figures[f"{code} by partner"] = measure.by_partner(programme, whole, partners)
        for period in programme.periods.all():
            figures[f"{code} {period.name}"] = measure.value(
                programme, Scope(start=period.start_date, end=period.end_date)
            )
    return figures


def test_erasure_keeps_every_kpi_count(pworld, erase):
    programme = pworld.base.programme
    before = all_kpis(programme)
    assert before["exchanges"] == 3 and before["sme-exchanges"] == 2 and before["exchange-participants"] == 2
    assert before["b2b-meetings"] == 1 and before["tandems"] == 1
    assert before["staff-trained"] == 1 and before["strategies-reviewed"] == 1
    coordinator = pworld.users["coordinator"]
    erase(coordinator, pworld.person, reason="Asked by email")
    erase(coordinator, pworld.staff, reason="Left the cluster")
    assert all_kpis(programme) == before


def test_erasure_anonymises_the_person_and_their_records(pworld, erase):
    person, coordinator = pworld.person, pworld.users["coordinator"]
    evidence_name = pworld.evidence.file.name
    assert default_storage.exists(evidence_name)
    ApiToken.issue(pworld.users["self"], "laptop")
    result = erase(coordinator, person, reason="Asked by email")

    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email, person.phone, person.position) == (
        "Erased",
        "person",
        "",
        "",
        "",
    )
    assert person.listed is False
    user = person.user
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@erased.invalid" and not user.is_active
    assert not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, email="amelie@alpha.example", password="correct-horse-battery") is None
    assert authenticate(request, email=user.email, password="correct-horse-battery") is None

    paid = Exchange.objects.get(pk=pworld.paid.pk)
    assert paid.state == "paid" and paid.paid_amount_eur == 1000
    assert paid.testimonial == "" and paid.testimonial_consent is False and paid.report_activities == ""
    assert (paid.motivation, paid.goals, paid.report_follow_up) == ("[erased]", "", "")
    assert not Evidence.objects.filter(exchange=paid).exists()
    assert not default_storage.exists(evidence_name)
    assert evidence_name in result.files_deleted

    registration = Registration.objects.get(pk=pworld.registration.pk)
    assert registration.status == "validated" and registration.role == "delegate"
    assert registration.profile == "" and registration.learnings == ""
    assert MeetingRequest.objects.get(requester=registration).message == ""
    feedback = MeetingFeedback.objects.get(registration=registration)
    assert feedback.testimonial == "" and not feedback.publish_consent and feedback.took_place

    withdrawals = ConsentRecord.objects.filter(person=person, source="erasure", given=False)
    assert set(withdrawals.values_list("purpose", flat=True)) == {"directory_listing", "testimonial"}
    assert ErasureRequest.objects.get(person=person).status == "done"
    assert AuditEntry.objects.filter(action="privacy.erasure.done", object_id=str(person.pk)).exists()
    assert not AuditEntry.objects.filter(
        object_type="directory.person", object_repr__contains="Durand"
    ).exists()
    assert domain.erasure_blockers(person) == ["The data of this person was already erased."]


def test_erasure_logs_the_person_out_of_their_open_session(pworld, erase):
    client = pworld.client("self")
    assert client.get(reverse("privacy:me")).status_code == 200
    erase(pworld.users["coordinator"], pworld.person)
    response = client.get(reverse("privacy:me"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_erasure_of_staff_rewrites_names_in_tandem_and_review_texts(pworld, erase):
    certificate = pworld.record.certificate.name
    erase(pworld.users["coordinator"], pworld.staff)
    record = TrainingRecord.objects.get(pk=pworld.record.pk)
    assert record.status == "completed" and record.notes == "" and not record.certificate
    assert not default_storage.exists(certificate)
    assert TandemSession.objects.get().attendees == "Erased person\nCarla Reviewer"
    assert StrategyReview.objects.get().reviewers == "Erased person, Cluster A\nCarla Reviewer, Cluster C"


def test_erasure_leaves_a_longer_name_that_starts_like_the_persons(pworld, erase):
    """Erasing Clara Staff must not touch "Clara Staffer (Cluster B)" nor "Clara Staffordshire, Cluster C"."""
    session = TandemSession.objects.get()
    session.attendees = "Clara Staff (Cluster A)\nClara Staffer (Cluster B)"
    session.save()
    review = StrategyReview.objects.get()
    review.reviewers = "Clara Staffordshire, Cluster C"
    review.save()
    erase(pworld.users["coordinator"], pworld.staff)
    assert TandemSession.objects.get().attendees == "Erased person (Cluster A)\nClara Staffer (Cluster B)"
    assert StrategyReview.objects.get().reviewers == "Clara Staffordshire, Cluster C"


def test_erasure_is_refused_while_an_exchange_awaits_payment(pworld, xworld):
    running = xworld.new_exchange("report_validated", visitor_person=pworld.person)
    with pytest.raises(Refused) as refusal:
        domain.erase_person(pworld.users["coordinator"], pworld.person)
    assert running.reference in refusal.value.reasons[0]
    pworld.person.refresh_from_db()
    assert pworld.person.last_name == "Durand"
    assert default_storage.exists(pworld.evidence.file.name)


@pytest.mark.parametrize("role", ["self", "manager", "owner", "same_cluster", "outsider"])
def test_only_coordinators_erase(pworld, role):
    with pytest.raises(PermissionDenied):
        domain.erase_person(pworld.users[role], pworld.person)


def test_request_then_erase_closes_the_request(pworld):
    request = domain.request_erasure(pworld.users["self"], pworld.person, "Please forget me")
    assert request.status == "open"
    domain.erase_person(pworld.users["coordinator"], pworld.person)
    request.refresh_from_db()
    assert request.status == "done" and request.decided_by == pworld.users["coordinator"]


def test_refusal_needs_a_reason_and_is_recorded(pworld):
    request = domain.request_erasure(pworld.users["self"], pworld.person)
    with pytest.raises(Exception, match="reason"):
        domain.refuse_erasure(pworld.users["coordinator"], request, " ")
    domain.refuse_erasure(pworld.users["coordinator"], request, "Grant audit running")
    request.refresh_from_db()
    assert (request.status, request.reason) == ("refused", "Grant audit running")


def test_erasure_leaves_a_colleagues_exchange_alone(pworld, xworld, erase):
    """Amélie applied for her colleague's trip: his texts and files are not hers to erase."""
    from tests.privacy.conftest import add_evidence

    colleague = Person.objects.create(first_name="Bob", last_name="Martin", organisation=pworld.base.org_a1)
    trip = xworld.new_exchange(
        "certified", visitor_person=colleague, created_by=pworld.users["self"], testimonial="Bob's words"
    )
    evidence = add_evidence(trip, "bob.pdf")
    erase(pworld.users["coordinator"], pworld.person)
    trip.refresh_from_db()
    assert trip.testimonial == "Bob's words" and trip.motivation != "[erased]"
    assert Evidence.objects.filter(pk=evidence.pk).exists() and default_storage.exists(evidence.file.name)


def test_erasure_erases_the_invitations_to_the_person(pworld, erase):
    """Pending or old, to the person record's address, to a verified address of their account, or
    accepted by it: the address, names and message go, a pending link dies; others' invitations stay."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from clusterxchange.accounts import invitations
    from clusterxchange.accounts.models import Invitation

    world, me = pworld.base, pworld.users["self"]
    EmailAddress.objects.create(user=me, email="amelie.private@example.org", verified=True)
    pending = invitations.invite(
        pworld.users["manager"],
        email="amelie@alpha.example",
        role_kind="organisation-member",
        target=world.org_a2,
        first_name="Amélie",
        last_name="Durand",
        message="Dear Amélie, join Beta too",
    )
    later = timezone.now() + timedelta(days=10)
    to_private = Invitation.objects.create(
        email="Amelie.Private@example.org",
        role_kind="organisation-member",
        organisation=world.org_b1,
        first_name="Amélie",
        expires_at=later,
    )
    accepted = Invitation.objects.create(
        email="a.durand@old-job.example",
        role_kind="organisation-member",
        organisation=world.org_a1,
        last_name="Durand",
        message="Welcome to Alpha",
        expires_at=later,
        accepted_at=timezone.now(),
        accepted_by=me,
    )
    other = invitations.invite(
        pworld.users["manager"],
        email="someone@else.example",
        role_kind="organisation-member",
        target=world.org_a2,
        first_name="Some",
        message="Hello",
    )
    assert pending.digest

    result = erase(pworld.users["coordinator"], pworld.person)

    assert result.counts["invitations"] == 3
    for invitation in (pending, to_private, accepted):
        invitation.refresh_from_db()
        assert invitation.email == f"erased-invitation-{invitation.pk}@erased.invalid"
        assert (invitation.first_name, invitation.last_name, invitation.message) == ("", "", "")
        assert invitation.digest is None
    assert pending.state == "revoked" and to_private.state == "revoked"
    assert accepted.state == "accepted" and accepted.accepted_by_id == me.pk
    other.refresh_from_db()
    assert (other.email, other.first_name, other.message, other.state) == (
        "someone@else.example",
        "Some",
        "Hello",
        "pending",
    )
    reprs = AuditEntry.objects.filter(object_type="accounts.invitation").values_list(
        "object_id", "object_repr"
    )
    assert dict(reprs)[str(pending.pk)] == "[erased]"
    assert "amelie" not in dict(reprs)[str(pending.pk)].lower()
    assert dict(reprs)[str(other.pk)].startswith("someone@else.example")


def test_erasure_keeps_the_role_history_without_the_name(pworld, erase):
    """Roles given to the person are recorded on the organisation and the programme (their histories):
    the entries stay (who did what, when), the name they carried goes; the export lists them before."""
    from clusterxchange.accounts import domain as role_actions
    from clusterxchange.privacy import export

    world, me = pworld.base, pworld.users["self"]
    role_actions.grant_role(pworld.users["manager"], me, "organisation-member", world.org_a2)
    role_actions.grant_role(pworld.users["coordinator"], me, "coordinator", world.programme)
    about = export.build(pworld.person)["audit_entries_about_them"]
    assert {(entry["action"], entry["object_type"]) for entry in about} >= {
        ("accounts.role.assign", "directory.organisation"),
        ("accounts.role.assign", "programmes.programme"),
    }
    appointed = AuditEntry.objects.get(object_type="programmes.programme", subject=me)
    assert appointed.changes == {"coordinator": ["", "amelie@alpha.example"]}

    erase(pworld.users["coordinator"], pworld.person)

    entries = AuditEntry.objects.filter(subject=me, action="accounts.role.assign")
    assert entries.count() == 2
    assert all(entry.changes == {} for entry in entries)


def test_erasure_erases_the_emails_kept_for_the_person(pworld, erase):
    """The mail queue keeps each email with its address and text (an invitation's: the personal message
    and the link) until delivered: erased with the person, in the same transaction; one not yet sent is
    never sent; the emails to others stay as they were."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from clusterxchange.accounts import invitations
    from clusterxchange.core.mail import deliver_due
    from clusterxchange.core.models import OutgoingEmail
    from clusterxchange.messaging.models import GroupMessage, MessageRecipient

    world, me = pworld.base, pworld.users["self"]
    EmailAddress.objects.create(user=me, email="amelie.private@example.org", verified=True)
    invitations.invite(
        pworld.users["manager"],
        email="amelie@alpha.example",
        role_kind="organisation-member",
        target=world.org_a2,
        message="Dear Amélie, join Beta too",
    )
    invitations.invite(
        pworld.users["manager"],
        email="someone@else.example",
        role_kind="organisation-member",
        target=world.org_a2,
    )
    queued = OutgoingEmail.objects.get(recipient="amelie@alpha.example")
    assert "Dear Amélie" in queued.body and queued.status == "queued"
    sent = OutgoingEmail.objects.create(
        recipient="Amelie.Private@example.org",
        subject="Your agenda, Amélie",
        body="Hello Amélie",
        from_email="noreply@test.example",
        status="sent",
        sent_at=timezone.now(),
    )
    message = GroupMessage.objects.create(
        programme=world.programme, audience="all", audience_label="All", subject="News", body="Hi"
    )
    recipient = MessageRecipient.objects.create(
        message=message, user=me, address="amelie@alpha.example", language="fr", email=sent
    )
    others = {
        email.pk: (email.recipient, email.body)
        for email in OutgoingEmail.objects.exclude(pk__in=[queued.pk, sent.pk])
    }
    assert others and all("amelie" not in address for address, _ in others.values())

    result = erase(pworld.users["coordinator"], pworld.person)

    assert result.counts["emails"] == 2 and result.counts["message_recipients"] == 1
    for email in (queued, sent):
        email.refresh_from_db()
        assert email.recipient == f"erased-email-{email.pk}@erased.invalid"
        assert (email.subject, email.body) == ("[erased]", "")
    assert queued.status == "failed" and queued.next_attempt_at is None and "erased" in queued.last_error
    assert sent.status == "sent" and sent.sent_at is not None
    recipient.refresh_from_db()
    assert (
        recipient.address == f"erased-recipient-{recipient.pk}@erased.invalid"
        and recipient.email_id == sent.pk
    )
    assert {
        email.pk: (email.recipient, email.body)
        for email in OutgoingEmail.objects.exclude(pk__in=[queued.pk, sent.pk])
    } == others
    deliver_due()
    from django.core import mail

    assert all("amelie" not in " ".join(message.to).lower() for message in mail.outbox)
    assert not OutgoingEmail.objects.filter(body__icontains="Amélie").exists()


@pytest.mark.django_db
def test_the_erasure_finds_the_emails_by_the_recipient_index():
    """The mail queue grows with every email sent: the erasure and the export look a person's up
    through the index on the lower-case address, not a scan (benchmarks.privacy.bench_erasure_emails:
    5,000 emails, PostgreSQL's plan cost 258 -> 16)."""
    from django.db import connection

    from clusterxchange.privacy import subjects

    plan = subjects.emails_to({"amelie@alpha.example"}).explain()
    if connection.vendor == "sqlite":
        assert "USING INDEX outgoing_email_recipient_lower" in plan
    else:
        assert "outgoing_email_recipient_lower" in connection.introspection.get_constraints(
            connection.cursor(), "core_outgoingemail"
        )


def test_erasure_clears_old_role_entries_left_on_a_membership(pworld, erase):
    """A role change audited on a membership before the organisations' role history, which the data
    migration could not move (its text named no single organisation): it names the person no more."""
    me = pworld.users["self"]
    me.first_name, me.last_name = "Amélie", "Durand"
    me.save()
    membership = me.memberships.get()
    left = [
        AuditEntry.objects.create(
            action="accounts.role.assign",
            object_type="accounts.membership",
            object_id=str(object_id),
            object_repr=text,
            changes={"role": ["", "member"]},
        )
        for object_id, text in [(membership.pk, "x"), (99999, "Amélie Durand – Gone Ltd (Member)")]
    ]
    other = AuditEntry.objects.create(
        action="accounts.role.assign",
        object_type="accounts.membership",
        object_id="99998",
        object_repr="Amélie Durandova – Gone Ltd (Member)",
    )
    assert {e["action"] for e in export.build(pworld.person)["audit_entries_about_them"]} >= {
        "accounts.role.assign"
    }
    erase(pworld.base.users["coordinator"], pworld.person)
    for entry in left:
        entry.refresh_from_db()
        assert (entry.object_repr, entry.changes) == ("Erased person", {})
    other.refresh_from_db()
    assert other.object_repr == "Amélie Durandova – Gone Ltd (Member)"


def test_erasure_takes_the_persons_address_out_of_the_reply_to_of_emails_to_others(pworld, erase):
    """A group message the person wrote went to others with Reply-To: their address (walk3); erased, the
    queued and sent emails keep their recipients and lose that address."""
    from clusterxchange.core.models import OutgoingEmail

    me = pworld.users["self"]
    to_other = OutgoingEmail.objects.create(
        recipient="other@else.example",
        subject="Table 11 moved",
        body="Hall B",
        from_email="noreply@test.example",
        reply_to=me.email.upper(),
    )
    erase(pworld.users["coordinator"], pworld.person)
    to_other.refresh_from_db()
    assert (to_other.recipient, to_other.reply_to, to_other.body) == ("other@else.example", "", "Hall B")
