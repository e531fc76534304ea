"""The scheduler's reasons in the organiser's words: why no agenda (or no complete one) was made,
and why a meeting was not placed.

The engine gives each reason as a `Reason`: its kind (`code`) and the ids of the meetings,
participants (registrations) and slots it is about. A run stores them as they are (`stored`), and
each meeting its own (`Meeting.scheduler_note`, `note`); the pages, the API, the export and the
command say them in the reader's language with the organisations' names and the slots' local
times (`described`, `notes`), so a reason reads the same whoever started the run. Kinds the
product cannot meet (session restrictions, the fairness rule: it sets neither) keep the engine's
English text, as do the English texts stored before the reasons were (a row without a kind).
"""

from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.engines.scheduling import Reason
from clusterxchange.events.models import Event, Meeting, Registration, Slot

SHOWN = 12
"""Meetings or slots listed in one reason before "…": enough to act on, short enough to read."""

SENTENCES = {
    "locked_without_slot": gettext_lazy(
        "%(meetings)s: locked, but its time slot no longer exists (its session was changed or removed)."
    ),
    "fixed_unavailable": gettext_lazy(
        "%(meetings)s: locked at %(slots)s, when %(participants)s is not available."
    ),
    "fixed_clash": gettext_lazy(
        "%(meetings)s: both locked at %(slots)s, and %(participants)s takes part in both."
    ),
    "fixed_over_tables": gettext_lazy(
        "%(meetings)s: locked at %(slots)s, but there are only %(tables)s tables."
    ),
    "fixed_over_shared_tables": gettext_lazy(
        "%(meetings)s: locked at %(slots)s and need a shared table, but there are only %(tables)s."
    ),
    "precedence_cycle": gettext_lazy("%(meetings)s: each must come before the next one, in a circle."),
    "fixed_against_precedence": gettext_lazy(
        "%(meetings)s: the first must come after the second, but they are locked in the other order (%(slots)s)."
    ),
    "no_common_slot": gettext_lazy("%(meetings)s: %(participants)s have no time slot in common."),
    "squeezed_out": gettext_lazy(
        "%(meetings)s: the first has no slot left, its only possible slot (%(slots)s) is taken by the second."
    ),
    "precedence_too_late": gettext_lazy(
        "%(meetings)s: must come after a chain of meetings that ends too late (latest possible slot: %(slots)s)."
    ),
    "precedence_too_early": gettext_lazy(
        "%(meetings)s: must come before meetings that cannot take place early enough."
    ),
    "over_cap": gettext_lazy("%(participants)s has %(count)s meetings but accepts at most %(cap)s."),
    "participant_hall": gettext_lazy(
        "%(participants)s has more meetings than time slots they can use: %(meetings)s can only take %(slots)s."
    ),
    "total_capacity": gettext_lazy(
        "%(count)s meetings, but %(n_slots)s time slots × %(tables)s tables hold only %(places)s."
    ),
    "capacity_hall": gettext_lazy(
        "%(meetings)s can only take %(slots)s, which hold at most %(places)s meetings at %(tables)s tables."
    ),
    "capacity_hall_shared": gettext_lazy(
        "%(meetings)s need a shared table and can only take %(slots)s, which hold at most %(places)s of them."
    ),
    "conflict": gettext_lazy("These meetings cannot all be scheduled together: %(meetings)s."),
    "conflict_unnamed": gettext_lazy(
        "No agenda can hold every meeting; the time budget ended before the meetings in conflict were found."
    ),
    "time_limit": gettext_lazy("The time budget ended before a complete agenda was found."),
    # Why one meeting was not placed (the engine's `unscheduled_reason`); the first of the meetings
    # is the one not placed, the participants are its two parties (or the one at their maximum).
    "at_max_meetings": gettext_lazy("%(participants)s already has the maximum of %(limit)s meetings."),
    "no_common_free_slot": gettext_lazy(
        "No time slot is free for both: %(first)s is booked in %(busy_first)s and %(second)s in "
        "%(busy_second)s of the %(possible)s possible slots, by meetings that count as much or more."
    ),
    "no_shared_table": gettext_lazy(
        "Every shared table is taken in each time slot when both participants are free."
    ),
    "precedence_order": gettext_lazy(
        "%(meetings)s: every time slot free for both participants would break an order set between "
        "the first meeting and the others."
    ),
    "not_reached": gettext_lazy(
        "A time slot is free for both participants, but the time budget ended before the meeting was placed."
    ),
    # The product's own notes on a meeting.
    "no_free_slot": gettext_lazy("No free slot for both participants."),
    "moved_published": gettext_lazy("Moved: the published time is no longer possible for a participant."),
}


def stored(reasons: Iterable) -> list[dict]:
    """The engine's reasons as JSON for `SchedulingRun.reasons` (a plain string keeps its text)."""
    return [note(reason) for reason in reasons]


def note(reason: Reason | str | None, *, kept_locked: bool = False) -> dict:
    """One reason as JSON (for `Meeting.scheduler_note` too): a `Reason` with its kind and ids, a
    plain string with its text only, none as the product's "no free slot". ``kept_locked``: the
    meeting is locked and keeps its place although the scheduler could not place it there."""
    if reason is None:
        row: dict = {"code": "no_free_slot", "text": ""}
    elif isinstance(reason, Reason):
        row = {
            "code": reason.code,
            "meetings": list(reason.meetings),
            "participants": list(reason.participants),
            "slots": list(reason.slots),
            "figures": {k: v for k, v in reason.figures.items() if isinstance(v, int | str)},
            "text": str(reason),
        }
    else:
        row = {"code": "", "text": str(reason)}
    if kept_locked:
        row["kept_locked"] = True
    return row


MOVED_PUBLISHED = {"code": "moved_published", "text": ""}
"""The note on a published meeting the scheduler moved because its time became impossible."""


def notes(event: Event, meetings: Iterable[Meeting]) -> dict[int, str]:
    """Each meeting's note (`Meeting.scheduler_note`) said in the active language, by meeting id;
    meetings without one are left out. One set of queries for all of them."""
    noted = [meeting for meeting in meetings if meeting.scheduler_note]
    return dict(
        zip(
            (meeting.pk for meeting in noted),
            described(event, [meeting.scheduler_note for meeting in noted]),
            strict=True,
        )
    )


def described(event: Event, reasons: list[dict]) -> list[str]:
    """The stored reasons as sentences in the active language, with names and local times."""
    if not reasons:
        return []
    meetings = _by_pk(
        Meeting.objects.filter(event=event).select_related("first__organisation", "second__organisation"),
        {m for row in reasons for m in row.get("meetings", [])},
    )
    people = {
        pk: r.organisation.name
        for pk, r in _by_pk(
            Registration.objects.filter(event=event).select_related("organisation"),
            {p for row in reasons for p in row.get("participants", [])},
        ).items()
    }
    slots = {
        pk: s.starts_at
        for pk, s in _by_pk(
            Slot.objects.filter(session__event=event), {t for row in reasons for t in row.get("slots", [])}
        ).items()
    }

    def meeting_name(pk) -> str:
        meeting = meetings.get(pk)
        if meeting is None:
            return f"{pk}"
        return f"{pk} · {meeting.first.organisation.name} – {meeting.second.organisation.name}"

    def slot_name(pk) -> str:
        if pk not in slots:
            return str(pk)
        with timezone.override(event.tz):
            return formats.date_format(timezone.localtime(slots[pk]), "SHORT_DATETIME_FORMAT")

    sentences = []
    for row in reasons:
        sentence = SENTENCES.get(row.get("code", ""))
        if sentence is None:
            said = row.get("text", "")
        else:
            names = [people.get(p, str(p)) for p in row.get("participants", [])]
            values = {
                "meetings": _listed([f"“{meeting_name(m)}”" for m in row.get("meetings", [])]),
                "participants": _listed(names),
                "first": names[0] if names else "",
                "second": names[-1] if names else "",
                "slots": _listed([slot_name(t) for t in row.get("slots", [])]),
                **row.get("figures", {}),
            }
            said = str(sentence) % values
        if row.get("kept_locked"):
            said = _("Locked, but the scheduler could not keep it: %(reason)s") % {"reason": said}
        sentences.append(said)
    return sentences


BY_KEYS = 500
"""Above this many ids, `_by_pk` reads the event's rows instead of sending every id (a trade
show's page of unplaced meetings names thousands; a database limits a query's parameters)."""


def _by_pk(queryset, ids: set) -> dict:
    if not ids:
        return {}
    rows = queryset.filter(pk__in=ids) if len(ids) <= BY_KEYS else queryset
    return {row.pk: row for row in rows if row.pk in ids}


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    if len(names) > SHOWN:
        return _("%(names)s … (%(count)d in all)") % {"names": shown, "count": len(names)}
    return shown
