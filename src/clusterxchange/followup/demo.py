"""The follow-up part of the demo: answered follow-up surveys about meetings held at past B2B events
and about finished exchanges, so that the dashboard shows "agreements reached" and "follow-ups
answered". Invented answers, written directly (the demo sends no email).

And the reminders of the Silicon Saxony Day, in its message history: the real periodic jobs run as
on the day before the B2B session (each participant their agenda) and ten minutes before its first
meetings of its busiest slot (with a 15-minute reminder set on the event); their emails are marked
sent at those times. The busiest slot, not the first: how many meetings the scheduler puts in the
first slot varies from run to run."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from clusterxchange.core.demo import DemoContext, register
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.events.demo import SSD_SLUG
from clusterxchange.events.models import Event, Meeting, Slot
from clusterxchange.exchanges.models import Exchange
from clusterxchange.followup import reminders
from clusterxchange.followup.domain import ANSWER_DAYS, EXCHANGE_STATES
from clusterxchange.followup.models import Outcome, ReminderSent, Survey

OUTCOMES = [
    (Outcome.COMMERCIAL, Decimal("40000")),
    (Outcome.NONE, None),
    (Outcome.TECHNOLOGY, Decimal("15000")),
    (Outcome.NONE, None),
    (Outcome.RESEARCH, None),
    (Outcome.OTHER, Decimal("5000")),
    (Outcome.NONE, None),
]
MEETINGS = 16
EXCHANGES = 6


def _answer(context: DemoContext, index: int, **about) -> bool:
    outcome, value = OUTCOMES[index % len(OUTCOMES)]
    answered = timezone.now() - timedelta(days=context.rng.randint(2, 40))
    _survey, created = Survey.objects.get_or_create(
        **about,
        defaults={
            "expires_at": answered + timedelta(days=ANSWER_DAYS),
            "answered_at": answered,
            "outcome": outcome,
            "value_eur": value,
            "recommend": outcome != Outcome.NONE or index % 2 == 0,
        },
    )
    return created


@register("followup", order=70)
def load(context: DemoContext) -> None:
    today = timezone.localdate()
    meetings = (
        Meeting.objects.filter(
            event__end_date__lt=today, status=Meeting.Status.ACTIVE, published_slot__isnull=False
        )
        .held()
        .select_related("event", "first__user", "second__user")
        .order_by("event__start_date", "pk")[:MEETINGS]
    )
    count = 0
    for index, meeting in enumerate(meetings):
        user = meeting.first.user or meeting.second.user
        if user is not None:
            count += _answer(context, index, programme=meeting.event.programme, user=user, meeting=meeting)
    exchanges = Exchange.objects.filter(
        state__in=EXCHANGE_STATES, end_date__lt=today, created_by__isnull=False
    ).order_by("end_date", "pk")[:EXCHANGES]
    for index, exchange in enumerate(exchanges):
        count += _answer(
            context, index + 3, programme=exchange.programme, user=exchange.created_by, exchange=exchange
        )
    context.log(f"  {count} answered follow-up surveys")


def _as_sent_at(moment, since_email: int, since_reminder: int) -> None:
    """The emails and reminders written since these ids: sent at `moment` (the demo sends none)."""
    OutgoingEmail.objects.filter(pk__gt=since_email).update(
        status=OutgoingEmail.Status.SENT, sent_at=moment, attempts=1, next_attempt_at=None
    )
    ReminderSent.objects.filter(pk__gt=since_reminder).update(sent_at=moment)


def _last_ids() -> tuple[int, int]:
    last_email = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_reminder = ReminderSent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last_email, last_reminder


@register("reminders", order=65)
def load_reminders(context: DemoContext) -> None:
    event = Event.objects.filter(slug=SSD_SLUG).first()
    first_slot = Slot.objects.filter(session__event=event).order_by("starts_at").first() if event else None
    if first_slot is None:
        return
    day_before = datetime.combine(
        first_slot.starts_at.astimezone(event.tz).date() - timedelta(days=1), time(10)
    )
    day_before = day_before.replace(tzinfo=event.tz)
    since = _last_ids()
    agendas = reminders.send_agendas(now=day_before)
    _as_sent_at(day_before, *since)
    event.meeting_reminder_minutes = 15
    event.save(update_fields=["meeting_reminder_minutes"])
    busiest = (
        Meeting.objects.filter(event=event, status=Meeting.Status.ACTIVE, published_slot__isnull=False)
        .values("published_slot__starts_at")
        .annotate(meetings=Count("pk"))
        .order_by("-meetings", "published_slot__starts_at")
        .first()
    )
    if busiest is None:
        return
    soon = busiest["published_slot__starts_at"] - timedelta(minutes=10)
    since = _last_ids()
    before_meetings = reminders.remind_meetings_soon(now=soon)
    _as_sent_at(soon, *since)
    context.log(
        f"  Silicon Saxony Day reminders: {agendas} agendas, {before_meetings} before the meetings of the busiest slot"
    )
