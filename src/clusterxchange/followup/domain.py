"""Follow-up surveys: sent by the periodic job `send-follow-ups` N months after an event (per
held meeting, to each party: a user, or a guest registered without an account) or an exchange's last
day (to the visitor), answered through a signed link without login and editable until the survey
expires."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import guest_language, preferred_language
from clusterxchange.core import audit
from clusterxchange.core.domain import Refused
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EditableText, later
from clusterxchange.core.tokens import read_signed, sign
from clusterxchange.directory.models import Person
from clusterxchange.events.models import Event, Meeting
from clusterxchange.exchanges.models import Exchange, ExchangeState
from clusterxchange.followup.models import Outcome, Survey
from clusterxchange.followup.notifications import EXCHANGE_SURVEY, MEETING_SURVEY

SURVEY_SALT = "clusterxchange.followup.survey"
ANSWER_DAYS = 60  # how long a survey may be answered and its answer changed
CATCH_UP_DAYS = 60  # an occasion older than its due day by more than this gets no survey
EXCHANGE_STATES = [
    ExchangeState.IN_PROGRESS,
    ExchangeState.REPORT_SUBMITTED,
    ExchangeState.REPORT_VALIDATED,
    ExchangeState.PAID,
    ExchangeState.CERTIFIED,
]


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def survey_token(survey: Survey) -> str:
    return sign({"s": survey.pk}, salt=SURVEY_SALT)


def survey_link(survey: Survey) -> str:
    return site_link(reverse("followup:survey", args=[survey_token(survey)]))


def read_survey_token(token: str) -> Survey:
    """The survey of a link; a changed or cut link is refused."""
    return read_signed(
        token,
        salt=SURVEY_SALT,
        read=lambda data: Survey.objects.select_related(
            "meeting__event", "meeting__first__organisation", "meeting__second__organisation", "exchange"
        ).get(pk=int(data["s"])),
        invalid=_(
            "This survey link is not valid: it was changed or cut short. Open the link from the email again, whole."
        ),
    )


def is_open(survey: Survey) -> bool:
    return timezone.now() <= survey.expires_at


def answer(survey: Survey, outcome: str, value_eur: str = "", recommend: str = "") -> Survey:
    """Record (or change) the answer of a survey until it expires. The link is the credential."""
    if not is_open(survey):
        raise Refused(
            _("This survey closed on %(day)s: answers can no longer be changed.")
            % {"day": date_format(timezone.localdate(survey.expires_at), "DATE_FORMAT")}
        )
    if outcome not in Outcome.values:
        raise Refused(_("Please say whether it led to an agreement."))
    value = None
    if str(value_eur).strip():
        try:
            value = Decimal(str(value_eur).strip().replace(",", "."))
        except InvalidOperation as error:
            raise Refused(_("The expected value must be a number of euros, e.g. 25000.")) from error
        if value < 0 or value >= Decimal("10000000000") or not value.is_finite():
            raise Refused(_("The expected value must be a number of euros, e.g. 25000."))
        value = value.quantize(Decimal("0.01"))
    if recommend not in ("", "yes", "no"):
        raise Refused(_("Please answer yes or no."))
    with transaction.atomic():
        before = {
            "outcome": survey.outcome,
            "value_eur": str(survey.value_eur or ""),
            "recommend": survey.recommend,
        }
        survey.outcome = outcome
        survey.value_eur = value
        survey.recommend = None if recommend == "" else recommend == "yes"
        survey.answered_at = timezone.now()
        survey.save(update_fields=["outcome", "value_eur", "recommend", "answered_at"])
        audit.record(
            survey.user,
            "answer_follow_up",
            survey,
            changes={"before": before, "outcome": outcome},
        )
    return survey


# Sending -----------------------------------------------------------------------------------------


def _expires(now):
    return now + timedelta(days=ANSWER_DAYS)


def _create(now, **fields) -> Survey | None:
    try:
        with transaction.atomic():
            return Survey.objects.create(expires_at=_expires(now), **fields)
    except IntegrityError:  # already sent (or being sent by another worker)
        return None


def _email(party, surveys: list[Survey], text: EditableText, values: dict) -> int:
    """Email `party` (a user, or a guest's `Person`) their surveys in their language: a user's own
    (else the programme's default), a guest's from their person record, with the unsubscribe line
    non-essential mail carries (a guest's signed for their address)."""
    subject, intro = text.parts(surveys[0].programme_id, **values)

    def render():  # the links too in the reader's language
        lines = [str(intro), ""]
        for survey in surveys:
            lines += [f"- {describe(survey)}", f"  {survey_link(survey)}"]
        lines += [
            "",
            str(
                later(
                    gettext_lazy("You can change your answers until %(day)s."),
                    day=date_format(timezone.localdate(surveys[0].expires_at), "DATE_FORMAT"),
                )
            ),
        ]
        return f"[{settings.SITE_NAME}] {subject}", "\n".join(lines)

    programme = surveys[0].programme
    if isinstance(party, Person):
        language = guest_language(party, programme)
    else:
        language = preferred_language(party, programme)
    return send_in_languages([(party.email, language)], render, kind="reminders", programme_id=programme.pk)


def describe(survey: Survey) -> str:
    """What the survey is about, in the language active now."""
    if survey.meeting_id:
        meeting = survey.meeting
        if survey.user_id:
            mine_first = meeting.first.user_id == survey.user_id
        else:
            mine_first = meeting.first.user_id is None and meeting.first.person_id == survey.person_id
        other = meeting.second if mine_first else meeting.first
        return str(
            later(
                gettext_lazy("Your meeting with %(organisation)s at %(event)s"),
                organisation=other.organisation.name,
                event=meeting.event.title,
            )
        )
    return str(later(gettext_lazy("Your exchange %(reference)s"), reference=survey.exchange.reference))


def _party(registration):
    """Who a meeting's survey goes to for this registration: its active user with an email (a person
    record linked to an account is that user), else a guest (no account) with an email on their
    person record; None when nobody can be written to."""
    person = registration.person
    user = registration.user or (person.user if person is not None and person.user_id else None)
    if user is not None:
        return user if user.is_active and user.email else None
    return person if person is not None and person.email else None


def send_event_surveys(now=None) -> int:
    """N months after each event (the programme's `follow_up_months`), a survey per held meeting to
    each party: a user, or a guest (registered without an account, with an email on their person
    record); one email per person and event lists their meetings."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    events = Event.objects.filter(published=True, programme__follow_up_months__gt=0).select_related(
        "programme"
    )
    events = events.filter(end_date__lt=today, end_date__gte=today - timedelta(days=400))
    for event in events:
        due = months_before(today, event.programme.follow_up_months)
        if not (due - timedelta(days=CATCH_UP_DAYS) < event.end_date <= due):
            continue
        meetings = (
            Meeting.objects.filter(event=event, status=Meeting.Status.ACTIVE, published_slot__isnull=False)
            .held()
            .select_related(
                *(
                    f"{side}__{related}"
                    for side in ("first", "second")
                    for related in ("user", "person", "organisation")
                ),
                "event",
            )
        )
        wanted: dict = {}  # a user or a guest's Person -> their held meetings
        for meeting in meetings:
            for registration in (meeting.first, meeting.second):
                if (party := _party(registration)) is not None:
                    wanted.setdefault(party, []).append(meeting)
        for party, held in wanted.items():
            who = {"person": party} if isinstance(party, Person) else {"user": party}
            with transaction.atomic():  # the surveys and their email, or neither
                surveys = [
                    survey
                    for meeting in held
                    if (survey := _create(now, programme=event.programme, meeting=meeting, **who))
                ]
                if not surveys:
                    continue
                count += _email(party, surveys, MEETING_SURVEY, {"event": event.title})
    return count


def send_exchange_surveys(now=None) -> int:
    """N months after an exchange's last day, a survey to the visitor who applied."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    exchanges = Exchange.objects.filter(
        state__in=EXCHANGE_STATES, programme__follow_up_months__gt=0, created_by__isnull=False
    ).select_related("programme", "created_by")
    for exchange in exchanges.filter(end_date__lt=today, end_date__gte=today - timedelta(days=400)):
        due = months_before(today, exchange.programme.follow_up_months)
        if not (due - timedelta(days=CATCH_UP_DAYS) < exchange.end_date <= due):
            continue
        user = exchange.created_by
        if not user.is_active or not user.email:
            continue
        with transaction.atomic():
            survey = _create(now, programme=exchange.programme, user=user, exchange=exchange)
            if survey is None:
                continue
            count += _email(
                user,
                [survey],
                EXCHANGE_SURVEY,
                {"reference": exchange.reference},
            )
    return count


def send_all(now=None) -> int:
    return send_event_surveys(now) + send_exchange_surveys(now)
