"""Follow-up surveys: sent N months after the event per held meeting (once), answered by a signed
link without login, editable until it closes; tampered and expired links refused; who may open it."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from clusterxchange.core.domain import Refused
from clusterxchange.events.models import Meeting
from clusterxchange.exchanges.models import Exchange
from clusterxchange.followup import domain
from clusterxchange.followup.models import Survey
from tests.events.conftest import FUTURE

pytestmark = pytest.mark.django_db


def after_months(months, days=1):
    return datetime(
        FUTURE.year, FUTURE.month + months, FUTURE.day, 10, tzinfo=timezone.get_current_timezone()
    ) + timedelta(days=days)


@pytest.fixture
def held(fw):
    Meeting.objects.filter(event=fw.event).update(attendance=Meeting.Attendance.HELD)
    return fw


def send(capture, now):
    with capture(execute=True):
        return domain.send_event_surveys(now=now)


def test_surveys_are_sent_once_per_meeting_and_person_after_the_programmes_months(
    world, held, django_capture_on_commit_callbacks
):
    owner = world.users["owner"]
    owner.language = "de"
    owner.save()
    assert held.event.programme.follow_up_months == 3
    mail.outbox.clear()
    assert send(django_capture_on_commit_callbacks, after_months(3, days=-2)) == 0  # not yet
    assert send(django_capture_on_commit_callbacks, after_months(3)) == 3  # owner, outsider, delta
    assert send(django_capture_on_commit_callbacks, after_months(3, days=2)) == 0  # running again
    assert Survey.objects.count() == 4  # two meetings, two parties each
    [email] = [m for m in mail.outbox if m.to == [owner.email]]
    assert email.body.count("/de/follow-up/") == 2 and "/de/messages/unsubscribe/" in email.body
    closes = timezone.localdate(Survey.objects.filter(user=owner).first().expires_at)
    with translation.override("de"):
        assert f"bis zum {date_format(closes, 'DATE_FORMAT')} ändern" in email.body  # German date
    assert closes.isoformat() not in email.body
    # A meeting not held gets no survey.
    assert not Survey.objects.filter(meeting__attendance=Meeting.Attendance.NO_SHOW).exists()


def test_no_survey_for_meetings_not_held_or_when_switched_off(world, fw, django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks, after_months(3)) == 0  # nobody marked them held
    Meeting.objects.filter(event=fw.event).update(attendance=Meeting.Attendance.HELD)
    fw.event.programme.follow_up_months = 0
    fw.event.programme.save()
    assert send(django_capture_on_commit_callbacks, after_months(3)) == 0


@pytest.fixture
def survey(world, held, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, after_months(3))
    return Survey.objects.filter(user=world.users["owner"]).order_by("pk").first()


def url(survey):
    return reverse("followup:survey", args=[domain.survey_token(survey)])


@pytest.mark.parametrize("role", ["coordinator", "manager", "owner", "same_cluster", "outsider", "anonymous"])
def test_the_link_is_the_credential_whoever_opens_it(world, survey, role):
    """The page is bound to the token, not to a login: each role with the link sees the same page;
    nobody reaches a survey without its link."""
    client = world.client(role)
    response = client.get(url(survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gamma Robotics" in page or "Delta Chips" in page
    assert "delta@test.example" not in page  # no personal data of the parties
    assert client.get(reverse("followup:survey", args=[str(survey.pk)])).status_code == 400


def test_answer_then_change_it_until_it_closes(world, survey):
    client = world.client("anonymous")
    response = client.post(url(survey), {"outcome": "commercial", "value_eur": "25 000", "recommend": "yes"})
    assert response.status_code == 200 and "euros" in response.content.decode()  # bad value: nothing saved
    survey.refresh_from_db()
    assert survey.answered_at is None
    response = client.post(url(survey), {"outcome": "commercial", "value_eur": "25000", "recommend": "yes"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.outcome, survey.value_eur, survey.recommend) == ("commercial", 25000, True)
    client.post(url(survey), {"outcome": "none", "value_eur": "", "recommend": "no"})
    survey.refresh_from_db()
    assert (survey.outcome, survey.value_eur, survey.recommend) == ("none", None, False)
    page = client.get(url(survey)).content.decode()
    assert "Change my answer" in page


def test_tampered_and_expired_links_are_refused(world, survey):
    client = world.client("anonymous")
    token = domain.survey_token(survey)
    other = Survey.objects.exclude(pk=survey.pk).first()
    forged = domain.survey_token(other)[:-3] + token[-3:]
    for bad in (token[:-2] + "xx", forged, token.replace(":", "", 1)):
        response = client.post(reverse("followup:survey", args=[bad]), {"outcome": "commercial"})
        assert response.status_code == 400 and "not valid" in response.content.decode()
    with pytest.raises(Refused):
        domain.read_survey_token(token + "a")
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(url(survey), {"outcome": "commercial"})
    assert response.status_code == 410 and "closed" in response.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert Survey.objects.filter(answered_at__isnull=False).count() == 0


def test_exchange_survey_goes_to_the_visitor_once(world, django_capture_on_commit_callbacks):
    exchange = Exchange.objects.create(
        programme=world.programme,
        visitor_organisation=world.org_a1,
        visitor_partner=world.programme.partners.get(cluster=world.cluster_a),
        host_organisation=world.org_b1,
        host_partner=world.programme.partners.get(cluster=world.cluster_b),
        motivation="Learn",
        start_date=FUTURE,
        end_date=FUTURE,
        state="certified",
        created_by=world.users["owner"],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.send_exchange_surveys(now=after_months(3)) == 1
        assert domain.send_exchange_surveys(now=after_months(3, days=3)) == 0
    [email] = mail.outbox
    assert email.to == [world.users["owner"].email] and exchange.reference in email.body


def test_a_visitor_without_a_chosen_language_reads_the_programmes_default(
    world, django_capture_on_commit_callbacks
):
    world.programme.default_language = "fr"
    world.programme.save(update_fields=["default_language"])
    Exchange.objects.create(
        programme=world.programme,
        visitor_organisation=world.org_a1,
        visitor_partner=world.programme.partners.get(cluster=world.cluster_a),
        motivation="Learn",
        start_date=FUTURE,
        end_date=FUTURE,
        state="certified",
        created_by=world.users["owner"],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.send_exchange_surveys(now=after_months(3)) == 1
    [email] = mail.outbox
    with translation.override("fr"):
        intro = gettext(
            "A few months have passed since your exchange. Three short questions (no login needed) "
            "help the programme show what the exchanges achieved:"
        )
    assert intro in email.body and "/fr/follow-up/" in email.body


def test_a_guest_without_an_account_gets_their_survey_in_their_language(
    world, held, django_capture_on_commit_callbacks
):
    """A party registered without an account (an email on their person record) is asked too: in
    their person record's language, with the unsubscribe line signed for their address; the link
    answers without login and the answer counts like the others."""
    from clusterxchange.events.models import MeetingRequest
    from clusterxchange.reporting.measures import event_follow_up
    from tests.messaging.test_guests import GUEST, register_guest

    person = register_guest(world, held, languages=("es",))
    guest = held.event.registrations.get(person=person)
    slots = list(held.session_am.slots.order_by("starts_at"))
    request = MeetingRequest.objects.create(
        event=held.event, requester=guest, recipient=held.other, status=MeetingRequest.Status.ACCEPTED
    )
    Meeting.objects.create(
        event=held.event,
        request=request,
        first=guest,
        second=held.other,
        slot=slots[1],
        published_slot=slots[1],
        attendance=Meeting.Attendance.HELD,
    )
    mail.outbox.clear()
    assert send(django_capture_on_commit_callbacks, after_months(3)) == 4  # owner, outsider, delta, guest
    assert send(django_capture_on_commit_callbacks, after_months(3, days=2)) == 0
    survey = Survey.objects.get(person=person)
    assert survey.user is None
    [email] = [m for m in mail.outbox if m.to == [GUEST]]
    with translation.override("es"):
        about = domain.describe(survey)
        assert gettext("Did your meetings at %(event)s lead to anything?") % {"event": held.event.title} in (
            email.subject
        )
    assert held.other.organisation.name in about and about in email.body
    assert "/es/follow-up/" in email.body and "/es/messages/unsubscribe/" in email.body
    client = world.client("anonymous")
    response = client.post(url(survey), {"outcome": "technology", "value_eur": "5000", "recommend": "yes"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.outcome == "technology" and survey.answered_at is not None
    figures = event_follow_up(held.event)
    assert (figures.asked, figures.answered, figures.agreements) == (6, 1, 1)  # 2 meetings × 2, + 2
