"""The reminders the periodic job `send-reminders` sends (tasks.send_reminders), each at most once
per recipient and occasion: a `ReminderSent` row is written in the same transaction as the email is
queued, and a recipient who already has one for the occasion is left out, so running the job twice
(or on two workers at once: the unique constraint) sends once.

- During an event's booking window (published, registration open, before its first day): every
  validated participant with fewer than `FEW_REQUESTS` meeting requests (sent or received, not
  declined) once per `Programme.booking_reminder_days` days (0: never). Non-essential ("reminders").
- The day before a B2B session day (in the event's time zone), once the agenda is published: each
  participant their agenda (time, table, partner). Non-essential ("reminders").
- Every event reminder's occasion starts with "event:<pk>:" (`sent_for_events`, the history).
- Guests (registered without an account, with an email on their person record) get the event
  reminders in their person record's language (`events.notifications.language_of`) with an
  unsubscribe link signed for their address, as group messages give them (messaging.domain).
- `Event.meeting_reminder_minutes` (0: off) before each published meeting, each party a reminder
  (`remind_meetings_soon`, its own job `send-meeting-reminders` every minute, so that the reminder
  comes on time). Non-essential ("reminders").
- Exchanges: the agreement still unsigned `AGREEMENT_REMINDER_DAYS` after matching (to the parties
  that have not signed), the report due (stay ended, report not submitted: the visitor), evidence
  missing (stay ended, no evidence uploaded: the visitor). These are obligations of the grant, so
  they are essential mail (no unsubscribe).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import later
from clusterxchange.events.agendas import agenda_rows
from clusterxchange.events.models import Event, EventKind, Meeting, MeetingRequest, Registration, Session
from clusterxchange.events.notifications import address_of, language_of
from clusterxchange.events.notifications import notify as notify_participants
from clusterxchange.exchanges.models import AgreementSignature, Exchange, ExchangeState
from clusterxchange.exchanges.notifications import managers_of, members_of
from clusterxchange.exchanges.notifications import notify as notify_exchange
from clusterxchange.followup.models import ReminderKind, ReminderSent
from clusterxchange.followup.notifications import (
    AGENDA_TOMORROW,
    AGREEMENT_UNSIGNED,
    BOOK_MEETINGS,
    EVIDENCE_MISSING,
    MEETING_SOON,
    REPORT_DUE,
)

FEW_REQUESTS = 3
AGREEMENT_REMINDER_DAYS = 14
REMINDERS = "reminders"  # messaging.MailKind.REMINDERS: the unsubscribe kind


def _claim(kind: str, occasion: str, addresses: Iterable[str]) -> set[str]:
    """Record the reminder for the addresses that have not had it on this occasion; returns those.
    Called inside the transaction that queues the email, so both happen or neither."""
    wanted = {a for a in addresses if a}
    if not wanted:
        return set()
    done = set(
        ReminderSent.objects.filter(kind=kind, occasion=occasion, recipient__in=wanted).values_list(
            "recipient", flat=True
        )
    )
    fresh = wanted - done
    claimed = set()
    for address in sorted(fresh):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(kind=kind, occasion=occasion, recipient=address)
        except IntegrityError:  # another worker claimed it in between
            continue
        claimed.add(address)
    return claimed


# Events ------------------------------------------------------------------------------------------


def _booking_events(now, today: date):
    return (
        Event.objects.filter(published=True, start_date__gt=today, programme__booking_reminder_days__gt=0)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .select_related("programme")
    )


def remind_few_requests(now=None) -> int:
    """Participants with few meeting requests during the booking window, once per interval."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    for event in _booking_events(now, today):
        interval = event.programme.booking_reminder_days
        occasion = f"event:{event.pk}:period:{today.toordinal() // interval}"
        registrations = (
            Registration.objects.filter(event=event, status=Registration.Status.VALIDATED)
            .annotate(
                sent=Count(
                    "sent_requests",
                    filter=~Q(sent_requests__status=MeetingRequest.Status.DECLINED),
                    distinct=True,
                ),
                received=Count(
                    "received_requests",
                    filter=~Q(received_requests__status=MeetingRequest.Status.DECLINED),
                    distinct=True,
                ),
            )
            .select_related("user", "person")
        )
        few = [r for r in registrations if r.sent + r.received < FEW_REQUESTS]
        with transaction.atomic():
            fresh = _claim(ReminderKind.FEW_REQUESTS, occasion, (address_of(r) for r in few))
            chosen = [r for r in few if address_of(r) in fresh]
            if not chosen:
                continue
            count += notify_participants(
                event,
                chosen,
                BOOK_MEETINGS,
                {"event": event.title},
                kind=REMINDERS,
            )
    return count


def _agenda_text(registration) -> str:
    """The participant's agenda, in the language active now (one line per meeting)."""
    lines = []
    tz = registration.event.tz
    for row in agenda_rows(registration, published=True):
        starts = timezone.localtime(row.starts_at, tz)
        lines.append(
            str(
                later(
                    gettext_lazy("%(time)s, table %(table)s: %(partner)s"),
                    time=f"{date_format(starts, 'SHORT_DATE_FORMAT')} {time_format(starts, 'TIME_FORMAT')}",
                    table=str(row.table) if row.table else "–",
                    partner=f"{row.other.display_name} ({row.other.organisation.name})",
                )
            )
        )
    return "\n".join(lines)


def send_agendas(now=None) -> int:
    """The day before a B2B session day: each participant with meetings their agenda."""
    now = now or timezone.now()
    count = 0
    events = Event.objects.filter(
        kind=EventKind.B2B, published=True, agenda__in=[Event.Agenda.PRELIMINARY, Event.Agenda.FINAL]
    ).filter(end_date__gte=timezone.localdate(now))
    for event in events.select_related("programme"):
        tomorrow = timezone.localtime(now, event.tz).date() + timedelta(days=1)
        if not Session.objects.filter(event=event, date=tomorrow).exists():
            continue
        occasion = f"event:{event.pk}:day:{tomorrow.isoformat()}"
        registrations = Registration.objects.filter(
            event=event, status=Registration.Status.VALIDATED
        ).select_related("user", "person", "event")
        for registration in registrations:
            address = address_of(registration)
            if not address or not agenda_rows(registration, published=True):
                continue
            with transaction.atomic():
                if not _claim(ReminderKind.AGENDA, occasion, [address]):
                    continue
                language = language_of(registration, event.programme)

                def render(registration=registration, event=event, tomorrow=tomorrow):
                    subject, intro = AGENDA_TOMORROW.parts(
                        event.programme_id, event=event.title, day=date_format(tomorrow, "DATE_FORMAT")
                    )
                    body = "\n\n".join(
                        [
                            str(intro),
                            _agenda_text(registration),
                            str(
                                gettext_lazy(
                                    "The agenda may still change: the event's page always shows the latest."
                                )
                            ),
                            site_link(event.get_absolute_url()),
                        ]
                    )
                    return f"{event.title}: {subject}", body

                count += send_in_languages(
                    [(address, language)], render, kind=REMINDERS, programme_id=event.programme_id
                )
    return count


_in_reader_language = lazy(str, str)  # a table's name, e.g. "Table 3", turned into text when rendered


def remind_meetings_soon(now=None) -> int:
    """`Event.meeting_reminder_minutes` before each published meeting, each party a reminder: once
    per meeting, slot and person (a meeting moved to another slot is reminded again). A meeting that
    has begun gets none, so a worker that was down sends no late reminders."""
    now = now or timezone.now()
    count = 0
    events = Event.objects.filter(meeting_reminder_minutes__gt=0, end_date__gte=timezone.localdate(now))
    for event in events.select_related("programme"):
        meetings = Meeting.objects.filter(
            event=event,
            status=Meeting.Status.ACTIVE,
            published_slot__starts_at__gt=now,
            published_slot__starts_at__lte=now + timedelta(minutes=event.meeting_reminder_minutes),
        ).select_related(
            "published_slot",
            "published_table",
            *(
                f"{side}__{related}"
                for side in ("first", "second")
                for related in ("user", "person", "organisation")
            ),
        )
        for meeting in meetings:
            occasion = f"event:{event.pk}:meeting:{meeting.pk}:slot:{meeting.published_slot_id}"
            starts = timezone.localtime(meeting.published_slot.starts_at, event.tz)
            for registration in (meeting.first, meeting.second):
                address = address_of(registration)
                with transaction.atomic():
                    if not address or not _claim(ReminderKind.MEETING_SOON, occasion, [address]):
                        continue
                    other = meeting.other_party(registration)
                    count += notify_participants(
                        event,
                        [registration],
                        MEETING_SOON,
                        {
                            "minutes": event.meeting_reminder_minutes,
                            "partner": f"{other.display_name} ({other.organisation.name})",
                            "time": time_format(starts, "TIME_FORMAT"),
                            "table": _in_reader_language(meeting.published_table)
                            if meeting.published_table_id
                            else "–",
                            "event": event.title,
                        },
                        path=reverse("events:agenda", args=[event.slug]),
                        kind=REMINDERS,
                    )
    return count


@dataclass(frozen=True)
class SentReminders:
    event: Event
    kind: str  # ReminderKind
    count: int
    last_sent_at: datetime

    @property
    def kind_label(self):
        return ReminderKind(self.kind).label


def sent_for_events(events) -> list[SentReminders]:
    """The reminders sent about these events (their occasions start with "event:<pk>:"), per event and
    kind, newest first: an event's message history shows them beside its group messages."""
    rows = []
    for event in events:
        counts = (
            ReminderSent.objects.filter(occasion__startswith=f"event:{event.pk}:")
            .values("kind")
            .annotate(count=Count("pk"), last=Max("sent_at"))
        )
        rows += [SentReminders(event, row["kind"], row["count"], row["last"]) for row in counts]
    return sorted(rows, key=lambda row: row.last_sent_at, reverse=True)


# Exchanges ---------------------------------------------------------------------------------------


def matched_on(exchange: Exchange) -> date:
    """When the exchange was matched (its audit trail), else its last change."""
    entry = (
        AuditEntry.objects.filter(
            object_type="exchanges.exchange", object_id=str(exchange.pk), to_state=ExchangeState.MATCHED
        )
        .order_by("-created_at")
        .first()
    )
    return timezone.localdate(entry.created_at if entry else exchange.updated_at)


def _unsigned_recipients(exchange: Exchange) -> list[tuple[str, str]]:
    signed = set(exchange.signatures.values_list("party", flat=True))
    Party = AgreementSignature.Party
    recipients: set[tuple[str, str]] = set()
    if Party.VISITOR not in signed:
        recipients.update(members_of(exchange, exchange.visitor_organisation))
    if Party.HOST not in signed and exchange.host_organisation_id:
        recipients.update(members_of(exchange, exchange.host_organisation))
    if Party.VISITOR_PARTNERSHIP not in signed:
        recipients.update(managers_of(exchange, exchange.visitor_partner.cluster_id))
    if Party.HOST_PARTNERSHIP not in signed and exchange.host_partner_id:
        recipients.update(managers_of(exchange, exchange.host_partner.cluster_id))
    return sorted(recipients)


def _remind_exchange(exchange, kind, recipients, text) -> int:
    with transaction.atomic():
        fresh = _claim(kind, f"exchange:{exchange.pk}", (address for address, _lang in recipients))
        chosen = [(address, language) for address, language in recipients if address in fresh]
        return notify_exchange(exchange, text, recipients=chosen) if chosen else 0


def remind_exchanges(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    related = ("visitor_organisation", "host_organisation", "visitor_partner", "host_partner", "programme")
    for exchange in Exchange.objects.filter(state=ExchangeState.MATCHED).select_related(*related):
        if matched_on(exchange) + timedelta(days=AGREEMENT_REMINDER_DAYS) <= today:
            count += _remind_exchange(
                exchange,
                ReminderKind.AGREEMENT_UNSIGNED,
                _unsigned_recipients(exchange),
                AGREEMENT_UNSIGNED,
            )
    ended = Exchange.objects.filter(end_date__lt=today).select_related(*related)
    for exchange in ended.filter(state=ExchangeState.IN_PROGRESS):
        count += _remind_exchange(
            exchange,
            ReminderKind.REPORT_DUE,
            members_of(exchange, exchange.visitor_organisation),
            REPORT_DUE,
        )
    missing = ended.filter(
        state__in=[ExchangeState.IN_PROGRESS, ExchangeState.REPORT_SUBMITTED], evidence__isnull=True
    )
    for exchange in missing:
        count += _remind_exchange(
            exchange,
            ReminderKind.EVIDENCE_MISSING,
            members_of(exchange, exchange.visitor_organisation),
            EVIDENCE_MISSING,
        )
    return count


def send_all(now=None) -> int:
    return remind_few_requests(now) + send_agendas(now) + remind_exchanges(now)
