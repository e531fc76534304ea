"""Hybrid events: a B2B meeting is on site or online, and an online meeting has a video link.

A meeting is online when it is marked so, or when the session of its slot is an online session (the
organiser's choice for a whole block of meetings). Its link is the one a party gave, else a room of its
own on the programme's video server (`Programme.video_link_template`, see `core.links`). Only the two
parties and the organisers ever see the link: the agenda page, its PDF and the calendar feed are theirs
alone, and the API gives it to them only.
"""

from django.db import transaction
from django.urls import reverse

from clusterxchange.core.domain import audited_update, require
from clusterxchange.core.links import room_link
from clusterxchange.events.models import Meeting, Slot
from clusterxchange.events.notifications import MEETING_ON_SITE, MEETING_ONLINE, notify
from clusterxchange.events.rules import registration_of

VIDEO_FIELDS = ["online", "video_link"]


def is_online(meeting: Meeting, slot: Slot | None = None) -> bool:
    """Whether the meeting takes place by video; `slot` is the one shown (the published slot in a
    published agenda), the meeting's current slot when not given."""
    slot = slot if slot is not None else meeting.slot
    return meeting.online or (slot is not None and slot.session.online)


def video_link(meeting: Meeting, slot: Slot | None = None) -> str:
    """The link of an online meeting ("" when on site, or when neither a party nor the programme gave
    one). Callers show it to the meeting's parties and organisers only."""
    if not is_online(meeting, slot):
        return ""
    return meeting.video_link or room_link(meeting.event.programme.video_link_template, meeting.video_room)


@transaction.atomic
def set_meeting_video(actor, meeting: Meeting, online: bool, link: str = "") -> Meeting:
    """Make the meeting online (with the link a party gives, or empty for the programme's room) or on
    site. A link that is not http(s) is refused as a field error and nothing changes. When the meeting
    is in a published agenda, the parties other than the actor are emailed the change."""
    require(actor, "events.change_meeting_video", meeting)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "event__programme",
            *(
                f"{party}__{field}"
                for party in ("first", "second")
                for field in ("user", "person", "organisation")
            ),
        )
        .get(pk=meeting.pk)
    )
    fields = {"online": online, "video_link": link.strip() if online else ""}
    before = (meeting.online, meeting.video_link)
    with audited_update(actor, meeting, fields, VIDEO_FIELDS, action="events.meeting.video"):
        meeting.clean_fields(exclude=[f.name for f in Meeting._meta.fields if f.name not in VIDEO_FIELDS])
    if meeting.is_published and before != (meeting.online, meeting.video_link):
        own = registration_of(actor, meeting.event)
        others = [party for party in (meeting.first, meeting.second) if own is None or party.pk != own.pk]
        for party in others:
            notify(
                meeting.event,
                [party],
                MEETING_ONLINE if meeting.online else MEETING_ON_SITE,
                {"name": meeting.other_party(party).organisation.name},
                path=reverse("events:agenda", args=[meeting.event.slug]),
            )
    return meeting
