"""The groups a message can go to, declared in one place.

Each `Group` has a key, a label, the placeholders its messages may use, the targets a sender may
choose (`targets(sender)`: the events they organise, the partners they manage, … — nobody gets a
target they could not see), the users it reaches (`users(sender, target)`) and, for the event
groups, the guests: people registered without an account who have an email (`guests(sender, target)`,
their `directory.Person` records). An audience is
`"<group key>:<target value>"`, e.g. `event_participants:12` or `exchange_visitors:3.matched`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.models import Membership, User
from clusterxchange.core.roles import roles_of
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import later
from clusterxchange.directory.models import ClusterMembership, Person
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration
from clusterxchange.exchanges.models import Exchange, ExchangeState
from clusterxchange.programmes.models import PartnerCluster, Programme
from clusterxchange.tandems.models import TandemParticipant
from clusterxchange.training.models import EntryStatus, TrainingEntry

# Placeholders every group offers; {name} is the recipient's name.
COMMON_PLACEHOLDERS = ("name", "programme")
EVENT_PLACEHOLDERS = (*COMMON_PLACEHOLDERS, "event", "event_link", "agenda_link")
LIVE_REGISTRATION = [
    Registration.Status.REGISTERED,
    Registration.Status.WAITING,
    Registration.Status.VALIDATED,
]
EXCHANGE_STATES = [
    ExchangeState.SUBMITTED,
    ExchangeState.VALIDATED,
    ExchangeState.MATCHED,
    ExchangeState.AGREEMENT_SIGNED,
    ExchangeState.IN_PROGRESS,
    ExchangeState.REPORT_SUBMITTED,
    ExchangeState.REPORT_VALIDATED,
    ExchangeState.PAID,
    ExchangeState.CERTIFIED,
]


@dataclass(frozen=True)
class Target:
    value: str
    label: str
    programme: Programme
    event: Event | None = None
    values: dict = field(default_factory=dict)  # the group's placeholders other than {name}


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    placeholders: tuple[str, ...]
    targets: Callable[[object], list[Target]]
    users: Callable[[object, Target], QuerySet]
    guests: Callable[[object, Target], QuerySet] | None = None


def link(path: str) -> str:
    return site_link(path)


# Events ----------------------------------------------------------------------------------------


def organised_events(sender) -> QuerySet:
    roles = roles_of(sender)
    return (
        Event.objects.filter(
            Q(host_cluster_id__in=roles.managed_cluster_ids)
            | Q(programme_id__in=roles.coordinator_programme_ids)
        )
        .select_related("programme")
        .order_by("-start_date", "title")
    )


def event_targets(sender) -> list[Target]:
    return [
        Target(
            value=str(event.pk),
            label=f"{event.title} ({event.start_date:%d.%m.%Y})",
            programme=event.programme,
            event=event,
            values={
                "programme": event.programme.acronym,
                "event": event.title,
                "event_link": link(event.get_absolute_url()),
                "agenda_link": link(reverse("events:agenda", args=[event.slug])),
            },
        )
        for event in organised_events(sender)
    ]


def live_registrations(target: Target) -> QuerySet:
    return Registration.objects.filter(event=target.event, status__in=LIVE_REGISTRATION)


def delegate_registrations(target: Target) -> QuerySet:
    return live_registrations(target).filter(role=Registration.Role.DELEGATE)


def registrations_without_meetings(target: Target) -> QuerySet:
    active = Meeting.objects.filter(status=Meeting.Status.ACTIVE).filter(
        Q(first=OuterRef("pk")) | Q(second=OuterRef("pk"))
    )
    return Registration.objects.filter(event=target.event, status=Registration.Status.VALIDATED).filter(
        ~Exists(active)
    )


def registrations_with_pending_requests(target: Target) -> QuerySet:
    pending = MeetingRequest.objects.filter(recipient=OuterRef("pk"), status=MeetingRequest.Status.PENDING)
    return Registration.objects.filter(event=target.event, status=Registration.Status.VALIDATED).filter(
        Exists(pending)
    )


def registered_users(registrations: Callable[[Target], QuerySet]) -> Callable[[object, Target], QuerySet]:
    """The users with one of the target's `registrations`."""

    def users(sender, target: Target) -> QuerySet:
        return User.objects.filter(Exists(registrations(target).filter(user=OuterRef("pk"))))

    return users


def registered_guests(registrations: Callable[[Target], QuerySet]) -> Callable[[object, Target], QuerySet]:
    """The people without an account, with an email, registered by one of the target's
    `registrations` that has no user (a person record linked to an account is reached as that user)."""

    def guests(sender, target: Target) -> QuerySet:
        return (
            Person.objects.filter(user__isnull=True)
            .exclude(email="")
            .filter(Exists(registrations(target).filter(person=OuterRef("pk"), user__isnull=True)))
        )

    return guests


# Exchanges -------------------------------------------------------------------------------------


def exchange_targets(sender) -> list[Target]:
    roles = roles_of(sender)
    programmes = Programme.objects.filter(
        Q(pk__in=roles.coordinator_programme_ids) | Q(partners__cluster_id__in=roles.managed_cluster_ids)
    ).distinct()
    return [
        Target(
            value=f"{programme.pk}.{state.value}",
            label=f"{programme.acronym}: {state.label}",
            programme=programme,
            values={"programme": programme.acronym, "state": state.label},
        )
        for programme in programmes
        for state in EXCHANGE_STATES
    ]


def administered_exchanges(sender, target: Target) -> QuerySet:
    """The target's exchanges the sender administers: all of the programme for its coordinator, those
    of their partnership (visitor's or host's) for a partner manager."""
    roles = roles_of(sender)
    state = target.value.split(".", 1)[1]
    exchanges = Exchange.objects.filter(programme=target.programme, state=state)
    if target.programme.pk in roles.coordinator_programme_ids:
        return exchanges
    return exchanges.filter(
        Q(visitor_partner__cluster_id__in=roles.managed_cluster_ids)
        | Q(host_partner__cluster_id__in=roles.managed_cluster_ids)
    )


def exchange_visitors(sender, target: Target) -> QuerySet:
    organisations = administered_exchanges(sender, target).values("visitor_organisation_id")
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id__in=organisations))
    )


def exchange_hosts(sender, target: Target) -> QuerySet:
    organisations = (
        administered_exchanges(sender, target)
        .filter(host_organisation__isnull=False)
        .values("host_organisation_id")
    )
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id__in=organisations))
    )


# Partners, tandems, training -------------------------------------------------------------------


def partner_targets(sender) -> list[Target]:
    roles = roles_of(sender)
    partners = (
        PartnerCluster.objects.filter(
            Q(programme_id__in=roles.coordinator_programme_ids) | Q(cluster_id__in=roles.managed_cluster_ids)
        )
        .select_related("programme", "cluster")
        .order_by("programme__acronym", "cluster__name")
    )
    return [
        Target(
            value=str(partner.pk),
            label=f"{partner.cluster.name} ({partner.programme.acronym})",
            programme=partner.programme,
            values={"programme": partner.programme.acronym, "partner": partner.cluster.name},
        )
        for partner in partners
    ]


def partner_members(sender, target: Target) -> QuerySet:
    partner = PartnerCluster.objects.get(pk=int(target.value))
    members = ClusterMembership.objects.filter(cluster_id=partner.cluster_id).values("member_id")
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id__in=members))
    )


def coordinated_targets(sender) -> list[Target]:
    programmes = Programme.objects.filter(pk__in=roles_of(sender).coordinator_programme_ids)
    return [
        Target(value=str(p.pk), label=p.acronym, programme=p, values={"programme": p.acronym})
        for p in programmes
    ]


def tandem_targets(sender) -> list[Target]:
    """The programmes the sender coordinates, and those with a tandem a cluster they manage takes
    part in."""
    roles = roles_of(sender)
    programmes = (
        Programme.objects.filter(
            Q(pk__in=roles.coordinator_programme_ids)
            | Q(tandems__participants__partner__cluster_id__in=roles.managed_cluster_ids)
        )
        .distinct()
        .order_by("acronym")
    )
    return [
        Target(value=str(p.pk), label=p.acronym, programme=p, values={"programme": p.acronym})
        for p in programmes
    ]


def tandem_participants(sender, target: Target) -> QuerySet:
    """The managers of the clusters in the programme's tandems: all of them for its coordinator, those
    of the tandems their own cluster takes part in for a partner manager."""
    roles = roles_of(sender)
    tandems = TandemParticipant.objects.filter(tandem__programme=target.programme)
    if target.programme.pk not in roles.coordinator_programme_ids:
        shared = TandemParticipant.objects.filter(partner__cluster_id__in=roles.managed_cluster_ids)
        tandems = tandems.filter(tandem_id__in=shared.values("tandem_id"))
    clusters = tandems.values("partner__cluster_id")
    managers = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id__in=clusters, role=Membership.Role.MANAGER
    )
    return User.objects.filter(Exists(managers))


def course_authors(sender, target: Target) -> QuerySet:
    entries = TrainingEntry.objects.filter(submitted_by=OuterRef("pk"), status=EntryStatus.PUBLISHED)
    return User.objects.filter(Exists(entries))


GROUPS: dict[str, Group] = {
    group.key: group
    for group in (
        Group(
            "event_participants",
            gettext_lazy("All participants of an event"),
            EVENT_PLACEHOLDERS,
            event_targets,
            registered_users(live_registrations),
            registered_guests(live_registrations),
        ),
        Group(
            "event_delegates",
            gettext_lazy("Travelling delegates of an event"),
            EVENT_PLACEHOLDERS,
            event_targets,
            registered_users(delegate_registrations),
            registered_guests(delegate_registrations),
        ),
        Group(
            "event_without_meetings",
            gettext_lazy("Participants of an event without a meeting"),
            EVENT_PLACEHOLDERS,
            event_targets,
            registered_users(registrations_without_meetings),
            registered_guests(registrations_without_meetings),
        ),
        Group(
            "event_pending_requests",
            gettext_lazy("Participants of an event with requests waiting for their answer"),
            EVENT_PLACEHOLDERS,
            event_targets,
            registered_users(registrations_with_pending_requests),
            registered_guests(registrations_with_pending_requests),
        ),
        Group(
            "exchange_visitors",
            gettext_lazy("Visitors of exchanges in a state"),
            (*COMMON_PLACEHOLDERS, "state"),
            exchange_targets,
            exchange_visitors,
        ),
        Group(
            "exchange_hosts",
            gettext_lazy("Hosts of exchanges in a state"),
            (*COMMON_PLACEHOLDERS, "state"),
            exchange_targets,
            exchange_hosts,
        ),
        Group(
            "partner_members",
            gettext_lazy("Member organisations of a partner cluster"),
            (*COMMON_PLACEHOLDERS, "partner"),
            partner_targets,
            partner_members,
        ),
        Group(
            "tandem_participants",
            gettext_lazy("Partner managers taking part in tandems"),
            COMMON_PLACEHOLDERS,
            tandem_targets,
            tandem_participants,
        ),
        Group(
            "course_authors",
            gettext_lazy("Authors of published courses"),
            COMMON_PLACEHOLDERS,
            coordinated_targets,
            course_authors,
        ),
    )
}


@dataclass(frozen=True)
class Audience:
    group: Group
    target: Target

    @property
    def value(self) -> str:
        return f"{self.group.key}:{self.target.value}"

    @property
    def label(self) -> str:
        return str(
            later(gettext_lazy("%(group)s: %(target)s"), group=self.group.label, target=self.target.label)
        )

    def users(self, sender) -> QuerySet:
        return self.group.users(sender, self.target)

    def guests(self, sender) -> QuerySet:
        """The group's people without an account (none for the groups that reach only users)."""
        if self.group.guests is None:
            return Person.objects.none()
        return self.group.guests(sender, self.target)


def audiences(sender) -> list[tuple[Group, list[Target]]]:
    """The groups the sender may write to, each with its targets (groups without one left out)."""
    choices = []
    for group in GROUPS.values():
        targets = group.targets(sender)
        if targets:
            choices.append((group, targets))
    return choices


def resolve(sender, value: str) -> Audience | None:
    """The audience `value` names, if the sender may write to it; None otherwise."""
    key, _sep, target_value = (value or "").partition(":")
    group = GROUPS.get(key)
    if group is None:
        return None
    target = next((t for t in group.targets(sender) if t.value == target_value), None)
    return Audience(group, target) if target is not None else None
