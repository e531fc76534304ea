"""What waits for a person, across the apps, as the "actions required" list of the ClusterXchange IT
tool and b2match's dashboard: for the page "Waiting for you", the box on the home page (`site`) and
`GET /api/waiting` (`waiting.api`).

Each app says what waits in its own queries and rules (the ones its pages and actions use: a step
listed here is one the linked page lets the person take); this module only gathers, counts and links
them. It reads every app, under `site` and `api`, which both use it (docs/architecture.md, "Apps")."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.roles import by_roles
from clusterxchange.directory.models import RequestStatus
from clusterxchange.directory.rules import interests_received
from clusterxchange.events.rules import meeting_requests_to_answer, registrations_to_decide
from clusterxchange.exchanges import waiting as exchange_steps
from clusterxchange.exchanges.models import HostProfile
from clusterxchange.exchanges.rules import host_profiles_to_validate
from clusterxchange.joining.rules import may_decide_anything, pending_decision_count
from clusterxchange.news.models import TestimonialStatus
from clusterxchange.news.rules import moderated_testimonials
from clusterxchange.privacy.models import ErasureRequest
from clusterxchange.training.models import EntryStatus, TrainingEntry

DECIDE_JOINING = _("Decide requests to join")
ANSWER_INTERESTS = _("Answer expressions of interest")
ANSWER_MEETING_REQUESTS = _("Answer meeting requests")
DECIDE_REGISTRATIONS = _("Validate or reject registrations")
VALIDATE_HOST_PROFILES = _("Validate host profiles")
MODERATE_TESTIMONIALS = _("Moderate testimonials")
MODERATE_TRAINING = _("Moderate training entries")
DECIDE_ERASURE = _("Decide erasure requests")


# Answers others wait for first, then the exchanges' steps in their order, then the moderation queues.
PRIORITY = (
    ANSWER_MEETING_REQUESTS,
    exchange_steps.ANSWER_HOST_REQUEST,
    ANSWER_INTERESTS,
    DECIDE_JOINING,
    DECIDE_REGISTRATIONS,
    *exchange_steps.IN_ORDER,
    VALIDATE_HOST_PROFILES,
    MODERATE_TESTIMONIALS,
    MODERATE_TRAINING,
    DECIDE_ERASURE,
)


@dataclass(frozen=True)
class Waiting:
    """One thing waiting: what to do, about which record, where, and how many of them (a list page)."""

    what: str
    about: str
    url: str
    count: int = 1


@dataclass
class WaitingGroup:
    """The things waiting with the same thing to do, and where the group leads: its one item's page,
    or its section of the page "Waiting for you"."""

    what: str
    items: list[Waiting]
    url: str = ""

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)


def waiting_for(user) -> list[WaitingGroup]:
    """Everything waiting for `user`, grouped by what to do, in the order of `PRIORITY` (in the
    reader's language: the labels are translated and the links made when grouped).

    Asked by the person's roles (`core.roles.by_roles`): a superuser may do everything, but what waits
    for them is what their roles ask. The first account of a fresh install (`clusterxchange setup`) is
    a superuser and the programme's coordinator: it was asked to ask hosts for every visitor's exchange."""
    if not user.is_authenticated:
        return []
    with by_roles(user):
        everything = list(_everything(user))
    groups: dict[str, WaitingGroup] = {}
    for item in everything:
        groups.setdefault(str(item.what), WaitingGroup(str(item.what), [])).items.append(item)
    priority = {str(what): rank for rank, what in enumerate(PRIORITY)}  # in the reader's language
    ordered = sorted(groups.values(), key=lambda group: priority.get(group.what, len(priority)))
    for number, group in enumerate(ordered, start=1):
        group.url = group.items[0].url if len(group.items) == 1 else f"{reverse('waiting')}#waiting-{number}"
    return ordered


def _everything(user) -> Iterator[Waiting]:
    for exchange, steps in exchange_steps.exchanges_waiting_for(user):
        about = f"{exchange.reference} · {exchange.visitor_organisation.name}"
        if exchange.host_organisation_id:
            about += f" → {exchange.host_organisation.name}"
        for step in steps:
            yield Waiting(step, about, reverse("exchanges:detail", args=[exchange.reference]))
    yield from _per_event(
        meeting_requests_to_answer(user), ANSWER_MEETING_REQUESTS, "events:requests", "#incoming-title"
    )
    yield from _per_event(registrations_to_decide(user), DECIDE_REGISTRATIONS, "events:registrations")
    interests = (
        interests_received(user)
        .filter(status=RequestStatus.PENDING)
        .select_related("opportunity__organisation", "organisation")
    )
    for interest in interests:
        if user.has_perm("directory.decide_opportunityinterest", interest):
            about = f"{interest.organisation.name} · {interest.opportunity.title}"
            yield Waiting(ANSWER_INTERESTS, about, reverse("join:interests") + "?tab=received&status=pending")
    if may_decide_anything(user) and (count := pending_decision_count(user)):
        yield Waiting(DECIDE_JOINING, "", reverse("join:requests"), count)
    yield from _counted(
        host_profiles_to_validate(user).filter(status=HostProfile.Status.SUBMITTED),
        VALIDATE_HOST_PROFILES,
        "exchanges:host_profiles",
    )
    if user.has_perm("news.edit"):
        yield from _counted(
            moderated_testimonials(user).filter(status=TestimonialStatus.PENDING),
            MODERATE_TESTIMONIALS,
            "news:moderation",
        )
    if user.has_perm("training.moderate"):
        yield from _counted(
            TrainingEntry.objects.filter(status=EntryStatus.PENDING), MODERATE_TRAINING, "training:moderation"
        )
    if user.has_perm("privacy.erase_person", None):
        yield from _counted(
            ErasureRequest.objects.filter(status=ErasureRequest.Status.OPEN),
            DECIDE_ERASURE,
            "privacy:requests",
        )


def _per_event(queryset, what, url_name: str, anchor: str = "") -> Iterator[Waiting]:
    """One line per event, with how many of `queryset`'s rows are in it."""
    per_event: dict[int, list] = {}
    for row in queryset.select_related("event").order_by("event__start_date", "event_id"):
        per_event.setdefault(row.event_id, []).append(row)
    for rows in per_event.values():
        event = rows[0].event
        yield Waiting(what, event.title, reverse(url_name, args=[event.slug]) + anchor, len(rows))


def _counted(queryset, what, url_name: str) -> Iterator[Waiting]:
    if count := queryset.count():
        yield Waiting(what, "", reverse(url_name), count)
