"""The order of meetings an organiser sets ("meet A before B"): the scheduler places the second in a
later slot than the first. Orders join meetings that share a participant and never make a cycle; a
cycle or a contradiction with fixed meetings is refused here or reported by the engine before solving.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.events.models import Event, Meeting

Order = Meeting.after.through


def orders_of(event: Event):
    """The event's orders, each with its two meetings (`from_meeting` comes after `to_meeting`)."""
    return (
        Order.objects.filter(from_meeting__event=event)
        .select_related(
            "from_meeting__first__organisation",
            "from_meeting__second__organisation",
            "to_meeting__first__organisation",
            "to_meeting__second__organisation",
        )
        .order_by("pk")
    )


def _comes_after(event: Event, meeting_id: int, earlier_id: int) -> bool:
    """Whether `meeting_id` already comes after `earlier_id`, directly or through other orders."""
    earlier_of: dict[int, set[int]] = {}
    for later, earlier in Order.objects.filter(from_meeting__event=event).values_list(
        "from_meeting_id", "to_meeting_id"
    ):
        earlier_of.setdefault(later, set()).add(earlier)
    seen, stack = set(), [meeting_id]
    while stack:
        current = stack.pop()
        for before in earlier_of.get(current, ()):
            if before == earlier_id:
                return True
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return False


@transaction.atomic
def order_meetings(actor, event: Event, first: Meeting, then: Meeting) -> None:
    """`then` is placed in a later slot than `first`."""
    require(actor, "events.schedule", event)
    if first.event_id != event.pk or then.event_id != event.pk:
        raise ValidationError(_("Both meetings must belong to this event."))
    if first.pk == then.pk:
        raise ValidationError({"then": _("A meeting cannot come after itself.")})
    if not {first.first_id, first.second_id} & {then.first_id, then.second_id}:
        raise ValidationError(
            {
                "then": _("“%(first)s” and “%(then)s” have no participant in common.")
                % {"first": first, "then": then}
            }
        )
    inactive = [m for m in (first, then) if m.status != Meeting.Status.ACTIVE]
    if inactive:
        raise Refused(_("“%(meeting)s” is cancelled.") % {"meeting": inactive[0]})
    if _comes_after(event, first.pk, then.pk):
        raise Refused(
            _("“%(first)s” already comes after “%(then)s”: this order would make a circle.")
            % {"first": first, "then": then}
        )
    then.after.add(first)
    audit.record(actor, "events.meeting.order", event, comment=f"{first} → {then}")


@transaction.atomic
def remove_order(actor, event: Event, order_id: int) -> None:
    require(actor, "events.schedule", event)
    order = Order.objects.filter(pk=order_id, from_meeting__event=event).select_related(
        "from_meeting", "to_meeting"
    )
    order = order.first()
    if order is None:
        raise Refused(_("This order of meetings no longer exists."))
    first, then = order.to_meeting, order.from_meeting
    order.delete()
    audit.record(actor, "events.meeting.unorder", event, comment=f"{first} → {then}")
