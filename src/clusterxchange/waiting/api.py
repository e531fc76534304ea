"""`GET /api/waiting`: what waits for the caller, as the page "Waiting for you" lists it (the same
groups, counts and links, from `gathering.waiting_for`), in the reader's language: the labels are
translated and the links lead to the pages in that language."""

from django.utils import translation
from ninja import Field, Router, Schema

from clusterxchange.accounts.language import LANGUAGE_CODES
from clusterxchange.waiting.gathering import waiting_for

router = Router(tags=["waiting for you"])


class WaitingItemOut(Schema):
    about: str = Field(description="The record (an exchange, an event); empty for a list to work through")
    url: str = Field(description="The page where the step is taken, in the language of the request")
    count: int = Field(description="How many of them (the meeting requests of one event, a list's entries)")


class WaitingGroupOut(Schema):
    what: str = Field(description="What to do, in the language of the request")
    count: int = Field(description="How many things wait in the group (the sum of its items' counts)")
    url: str = Field(description='Its one item\'s page, or its section of the page "Waiting for you"')
    items: list[WaitingItemOut]


class WaitingOut(Schema):
    count: int = Field(description="How many things wait in all")
    groups: list[WaitingGroupOut] = Field(description="Answers others wait for first, then the paperwork")


@router.get("", response=WaitingOut, summary="What waits for you, grouped by what to do")
def waiting(request):
    """The list of the page "Waiting for you" (the same groups, counts and links): what the caller's
    roles ask of them now. Token area "waiting"; in the language the caller chose on the site, else the
    one of `Accept-Language`."""
    with translation.override(reader_language(request)):
        groups = waiting_for(request.user)
    return {
        "count": sum(group.count for group in groups),
        "groups": [
            {
                "what": group.what,
                "count": group.count,
                "url": group.url,
                "items": [
                    {"about": item.about, "url": item.url, "count": item.count} for item in group.items
                ],
            }
            for group in groups
        ],
    }


def reader_language(request) -> str:
    """The language the caller chose (pages and emails use it too), else the one their request asks
    for: the API's addresses carry no language prefix, so Django's middleware keeps the default."""
    chosen = getattr(request.user, "language", "")
    return chosen if chosen in LANGUAGE_CODES else translation.get_language_from_request(request)
