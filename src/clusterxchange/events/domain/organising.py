"""Organising an event: creating and changing it, and the items of its programme."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import apply_fields, audited_update, require, unique_slug
from clusterxchange.core.roles import roles_of
from clusterxchange.events.domain import registering
from clusterxchange.events.models import Event, ProgrammeItem

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "host_cluster",
    "host_event",
    "city",
    "country",
    "venue",
    "start_date",
    "end_date",
    "time_zone",
    "capacity",
    "registration_deadline",
    "validation",
    "acceptance",
    "meeting_cap",
    "request_expiry_days",
    "meeting_reminder_minutes",
    "support_per_delegate_eur",
    "note",
    "published",
]


ITEM_FIELDS = ["kind", "title", "starts_at", "ends_at", "place", "description"]


def event_slug(title: str, start, exclude_pk: int | None = None) -> str:
    """The title and the start year ("b2b-wien-2027"), the year once when the title already names it
    (was "b2b-wien-2027-2027")."""
    year = f"{start:%Y}" if start else ""
    text = f"{title}-{year}" if year and not re.search(rf"(?<!\d){year}(?!\d)", title) else title
    return unique_slug(Event.objects, text, fallback="event", exclude_pk=exclude_pk)


@transaction.atomic
def create_event(actor, programme, fields: dict, *, check_permission: bool = True) -> Event:
    if check_permission:
        require(actor, "events.add_event")
        roles = roles_of(actor)
        host = fields.get("host_cluster")
        if programme.pk not in roles.coordinator_programme_ids and (
            host is None or host.pk not in roles.managed_cluster_ids
        ):
            raise PermissionDenied(_("You can only organise events hosted by a cluster you manage."))
    event = Event(programme=programme)
    apply_fields(event, fields, EVENT_FIELDS)
    event.slug = event_slug(event.title, event.start_date)
    event.full_clean()
    event.save()
    audit.record(actor, "events.event.create", event)
    return event


@transaction.atomic
def update_event(actor, event: Event, fields: dict, *, expected_version: str | None = None) -> Event:
    require(actor, "events.change_event", event)
    with audited_update(
        actor, event, fields, EVENT_FIELDS, action="events.event.update", expected_version=expected_version
    ):
        event.full_clean(exclude=["slug"])
    while registering.promote_waiting(actor, event) is not None:  # a raised capacity admits the waiting list
        pass
    return event


@transaction.atomic
def add_programme_item(actor, event: Event, fields: dict) -> ProgrammeItem:
    require(actor, "events.change_event", event)
    item = ProgrammeItem(event=event)
    apply_fields(item, fields, ITEM_FIELDS)
    errors = {}
    if item.starts_at and item.ends_at and item.ends_at < item.starts_at:
        errors["ends_at"] = _("An item cannot end before it starts.")
    if item.starts_at:
        day = timezone.localtime(item.starts_at, event.tz).date()
        if not event.start_date <= day <= event.end_date:
            errors["starts_at"] = _("The item must take place between the event's first and last day.")
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    audit.record(actor, "events.programme_item.create", event, comment=item.title)
    return item


@transaction.atomic
def remove_programme_item(actor, item: ProgrammeItem) -> None:
    require(actor, "events.change_event", item.event)
    audit.record(actor, "events.programme_item.delete", item.event, comment=item.title)
    item.delete()
