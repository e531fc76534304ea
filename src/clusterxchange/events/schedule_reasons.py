"""The scheduler's reasons in the organiser's words: why no agenda (or no complete one) was made.

The engine gives each reason as a `Reason`: its kind (`code`) and the ids of the meetings,
participants (registrations) and slots it is about. A run stores them as they are (`stored`);
the page and the API say them in the reader's language with the organisations' names and the
slots' local times (`described`), so a reason reads the same whoever started the run. Kinds the
product cannot meet (session restrictions, the fairness rule: it sets neither) keep the engine's
English text.
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
}


def stored(reasons: Iterable) -> list[dict]:
    """The engine's reasons as JSON for `SchedulingRun.reasons` (a plain string keeps its text)."""
    rows = []
    for reason in reasons:
        if isinstance(reason, Reason):
            rows.append(
                {
                    "code": reason.code,
                    "meetings": list(reason.meetings),
                    "participants": list(reason.participants),
                    "slots": list(reason.slots),
                    "figures": {k: v for k, v in reason.figures.items() if isinstance(v, int | str)},
                    "text": str(reason),
                }
            )
        else:
            rows.append({"code": "", "text": str(reason)})
    return rows


def described(event: Event, reasons: list[dict]) -> list[str]:
    """The stored reasons as sentences in the active language, with names and local times."""
    if not reasons:
        return []
    meeting_ids = {m for row in reasons for m in row.get("meetings", [])}
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(event=event, pk__in=meeting_ids).select_related(
            "first__organisation", "second__organisation"
        )
    }
    people = {
        r.pk: r.organisation.name
        for r in Registration.objects.filter(
            event=event, pk__in={p for row in reasons for p in row.get("participants", [])}
        ).select_related("organisation")
    }
    slots = {
        s.pk: s.starts_at
        for s in Slot.objects.filter(
            session__event=event, pk__in={t for row in reasons for t in row.get("slots", [])}
        )
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
            sentences.append(row.get("text", ""))
            continue
        values = {
            "meetings": _listed([f"“{meeting_name(m)}”" for m in row.get("meetings", [])]),
            "participants": _listed([people.get(p, str(p)) for p in row.get("participants", [])]),
            "slots": _listed([slot_name(t) for t in row.get("slots", [])]),
            **row.get("figures", {}),
        }
        sentences.append(str(sentence) % values)
    return sentences


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    if len(names) > SHOWN:
        return _("%(names)s … (%(count)d in all)") % {"names": shown, "count": len(names)}
    return shown
