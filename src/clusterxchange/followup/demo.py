"""The follow-up part of the demo: answered follow-up surveys about meetings held at past B2B events
and about finished exchanges, so that the dashboard shows "agreements reached" and "follow-ups
answered". Invented answers, written directly (the demo sends no email)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clusterxchange.core.demo import DemoContext, register
from clusterxchange.events.models import Meeting
from clusterxchange.exchanges.models import Exchange
from clusterxchange.followup.domain import ANSWER_DAYS, EXCHANGE_STATES
from clusterxchange.followup.models import Outcome, Survey

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
