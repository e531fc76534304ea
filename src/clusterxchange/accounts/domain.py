"""Roles: give, change and take away a person's role in a programme or an organisation.

Role kinds and who may grant what: `accounts/rules.py`. Every action is audited and tells the person
by email, in their language.

- `assign_role` gives a role without checking a permission: its caller has authorised it (an
  invitation was accepted, a request to join was approved). It is idempotent and never lowers a
  role (an admin invited as a member stays admin), and links the person record.
- `grant_role`, `change_role`, `remove_role`, `remove_coordinator`, `leave_organisation` are the
  actions of the members pages and the API, each with its permission.

Each change of an organisation role is audited on the organisation (its members page shows the history),
and of a coordinator role on the programme, naming the person as the entry's `subject`.

An organisation that has people with an account always keeps an admin: its last admin cannot leave,
be removed or become a member while others remain, unless another is named first (`Refused`). A
programme always keeps a coordinator.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import preferred_language, programme_of_email
from clusterxchange.accounts.models import Membership, User
from clusterxchange.accounts.notifications import (
    ADMIN_NAMED,
    LEFT,
    PERSON_LINKED,
    PERSON_UNLINKED,
    ROLE_CHANGED,
    ROLE_GIVEN,
    ROLE_REMOVED,
    ROLE_REMOVED_WITH_REASON,
)
from clusterxchange.accounts.rules import (
    COORDINATOR,
    MEMBERSHIP_ROLE,
    ORGANISATION_ADMIN,
    ORGANISATION_MEMBER,
    ROLE_KIND_OF_MEMBERSHIP,
)
from clusterxchange.core import audit
from clusterxchange.core.addresses import address_in
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.memo import forget_cached
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EditableText, sentence
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.programmes.models import Programme, ProgrammeRole

ROLE_NAMES = {
    COORDINATOR: gettext_lazy("coordinator"),
    ORGANISATION_ADMIN: gettext_lazy("admin"),
    ORGANISATION_MEMBER: gettext_lazy("member"),
}
# In a cluster organisation the same roles are its manager and its staff.
CLUSTER_ROLE_NAMES = {
    ORGANISATION_ADMIN: gettext_lazy("cluster manager"),
    ORGANISATION_MEMBER: gettext_lazy("cluster staff member"),
}


NO_ACCOUNT = gettext_lazy(
    "There is no account with this address. Invite the person instead: the invitation creates it."
)


def account_for(email: str) -> User:
    """The active account with this email address; refused when there is none."""
    user = User.objects.filter(address_in("email", [email or ""]), is_active=True).first()
    if user is None:
        raise Refused(str(NO_ACCOUNT))
    return user


def role_name(role_kind: str, target=None):
    """The role's name inside a sentence ("coordinator", "admin", "member"), lazily translated; in a
    cluster organisation `target`, "cluster manager" and "cluster staff member"."""
    if getattr(target, "is_cluster", False) and role_kind in CLUSTER_ROLE_NAMES:
        return CLUSTER_ROLE_NAMES[role_kind]
    return ROLE_NAMES[role_kind]


def _tell(user: User, text: EditableText, values: dict, programme_id: int | None = None) -> int:
    """Email `user` in their language (else the programme's default) the notification `text` filled
    with `values` (the programme's wording, else the shipped one; without a programme, the current
    programme's)."""
    if not user.email:
        return 0
    headline, body = text.parts(programme_id, **values)

    def render() -> tuple[str, str]:
        subject = f"[{settings.SITE_NAME}] {headline}"
        link = site_link("/")
        text = "\n".join(str(part) for part in (headline, "", body, "", link) if part != "")
        return subject, text

    language = preferred_language(user, programme_of_email(programme_id))
    return send_in_languages([(user.email, language)], render, programme_id=programme_id)


def _actor_name(actor) -> str:
    return str(actor) if getattr(actor, "is_authenticated", False) else settings.SITE_NAME


def link_person(user: User, organisation: Organisation, *, by) -> Person | None:
    """Link `user` to their person record in `organisation`: the unlinked one with one of their
    addresses (their login address or another they verified), else a new one from their name (not
    listed in the public directory until they choose). A user has one person record: nothing changes
    when they already have one."""
    if Person.objects.filter(user=user).exists():
        return None
    same_address = Q()
    for address in user.own_addresses():
        same_address |= Q(email__iexact=address)
    person = (
        Person.objects.filter(same_address, organisation=organisation, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person.objects.create(
            organisation=organisation,
            first_name=user.first_name or user.email.split("@", 1)[0],
            last_name=user.last_name,
            email=user.email,
            listed=False,
            user=user,
        )
        audit.record(
            by,
            "directory.person.create",
            person,
            comment=_("The person record was created for the account %(email)s.") % {"email": user.email},
        )
    else:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        audit.record(by, "directory.person.link", person, to_state=user.email)
    return person


@transaction.atomic
def assign_role(user: User, role_kind: str, target, *, by, reason: str = ""):
    """Give `user` the role `role_kind` on `target` (no permission check: the caller authorised it).

    Idempotent, never lowers a role; audited with `by` as the actor and `reason` as the comment.
    Returns the Membership or ProgrammeRole. Event participation is registered by the events app."""
    if role_kind == COORDINATOR:
        if not isinstance(target, Programme):
            raise ValueError("A coordinator role is given on a programme.")
        role, created = ProgrammeRole.objects.get_or_create(
            programme=target, user=user, role=ProgrammeRole.Role.COORDINATOR
        )
        if created:
            # Recorded on the programme: its set-up history shows who was appointed (and removed).
            audit.record(
                by,
                "accounts.role.assign",
                target,
                to_state=COORDINATOR,
                comment=reason,
                changes={COORDINATOR: ["", str(user)]},
                subject=user,
            )
        forget_cached(user, by)
        return role
    if role_kind not in MEMBERSHIP_ROLE:
        raise ValueError(f"Unknown role kind for assign_role: {role_kind}")
    if not isinstance(target, Organisation):
        raise ValueError("An organisation role is given on an organisation.")
    wanted = MEMBERSHIP_ROLE[role_kind]
    membership = Membership.objects.select_for_update().filter(user=user, organisation=target).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=target, role=wanted)
        # Recorded on the organisation: its members page shows the history of its roles.
        audit.record(by, "accounts.role.assign", target, to_state=wanted, comment=reason, subject=user)
    elif membership.role == Membership.Role.MEMBER and wanted == Membership.Role.MANAGER:
        membership.role = wanted
        membership.save(update_fields=["role"])
        audit.record(
            by,
            "accounts.role.change",
            target,
            from_state=Membership.Role.MEMBER,
            to_state=wanted,
            comment=reason,
            subject=user,
        )
    link_person(user, target, by=by)
    forget_cached(user, by)
    return membership


def holds(user: User, role_kind: str, target) -> bool:
    """Whether `user` already has `role_kind` (or a higher role) on `target`."""
    if role_kind == COORDINATOR:
        return ProgrammeRole.objects.filter(
            programme=target, user=user, role=ProgrammeRole.Role.COORDINATOR
        ).exists()
    roles = (
        [Membership.Role.MANAGER]
        if role_kind == ORGANISATION_ADMIN
        else [Membership.Role.MEMBER, Membership.Role.MANAGER]
    )
    return Membership.objects.filter(user=user, organisation=target, role__in=roles).exists()


@transaction.atomic
def grant_role(actor, user: User, role_kind: str, target, reason: str = ""):
    """`actor` gives `user` a role they may grant (accounts.rules.may_grant); `user` is told by email."""
    require(actor, "accounts.grant_role", (role_kind, target))
    if holds(user, role_kind, target):
        raise Refused(
            sentence(
                _("%(person)s is already %(role)s of %(target)s."),
                person=user,
                role=role_name(role_kind, target),
                target=target,
            )
        )
    result = assign_role(user, role_kind, target, by=actor, reason=reason)
    _tell(
        user,
        ROLE_GIVEN,
        {"role": role_name(role_kind, target), "target": str(target), "actor": _actor_name(actor)},
        programme_id=target.pk if isinstance(target, Programme) else getattr(target, "programme_id", None),
    )
    return result


def _other_admins(membership: Membership):
    return Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Membership.Role.MANAGER
    ).exclude(pk=membership.pk)


def _others(membership: Membership):
    return Membership.objects.filter(organisation_id=membership.organisation_id).exclude(pk=membership.pk)


def _keeps_an_admin(membership: Membership) -> None:
    """Refuse to take away the last admin of an organisation whose other people would stay without one."""
    if (
        membership.role == Membership.Role.MANAGER
        and not _other_admins(membership).exists()
        and _others(membership).exists()
    ):
        raise Refused(
            _("%(person)s is the last admin of %(organisation)s: make another of its people admin first.")
            % {"person": membership.user, "organisation": membership.organisation}
        )


def _lock(membership: Membership) -> Membership:
    """The membership locked for the change (and the organisation's other memberships read after it)."""
    locked = (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None:
        raise Refused(_("This membership no longer exists."))
    # Serialise the changes of one organisation's admins (two last admins leaving at once).
    list(
        Membership.objects.select_for_update()
        .filter(organisation_id=locked.organisation_id, role=Membership.Role.MANAGER)
        .values_list("pk", flat=True)
    )
    return locked


@transaction.atomic
def change_role(actor, membership: Membership, role_kind: str) -> Membership:
    """Make a person admin or member of their organisation ("organisation-admin" / "organisation-member")."""
    if role_kind not in MEMBERSHIP_ROLE:
        raise ValueError(f"Not an organisation role: {role_kind}")
    require(actor, "accounts.change_membership", membership)
    membership = _lock(membership)
    wanted = MEMBERSHIP_ROLE[role_kind]
    if membership.role == wanted:
        return membership
    if wanted == Membership.Role.MEMBER:
        _keeps_an_admin(membership)
    before = membership.role
    membership.role = wanted
    membership.save(update_fields=["role"])
    audit.record(
        actor,
        "accounts.role.change",
        membership.organisation,
        from_state=before,
        to_state=wanted,
        subject=membership.user,
    )
    forget_cached(actor, membership.user)
    _tell(
        membership.user,
        ROLE_CHANGED,
        {
            "role": role_name(role_kind, membership.organisation),
            "target": str(membership.organisation),
            "actor": _actor_name(actor),
        },
    )
    return membership


def _unlink_person(user: User, organisation_id: int, actor) -> None:
    for person in Person.objects.filter(user=user, organisation_id=organisation_id):
        person.user = None
        person.save(update_fields=["user", "updated_at"])
        audit.record(actor, "directory.person.unlink", person, from_state=user.email)


@transaction.atomic
def remove_role(actor, membership: Membership, reason: str = "") -> None:
    """Take a person's account out of an organisation (their person record stays, unlinked)."""
    require(actor, "accounts.change_membership", membership)
    membership = _lock(membership)
    _keeps_an_admin(membership)
    kind = ROLE_KIND_OF_MEMBERSHIP[membership.role]
    audit.record(
        actor,
        "accounts.role.remove",
        membership.organisation,
        from_state=membership.role,
        comment=reason,
        subject=membership.user,
    )
    _unlink_person(membership.user, membership.organisation_id, actor)
    user, organisation = membership.user, membership.organisation
    membership.delete()
    forget_cached(actor, user)
    _tell(
        user,
        ROLE_REMOVED_WITH_REASON if reason else ROLE_REMOVED,
        {
            "role": role_name(kind, organisation),
            "target": str(organisation),
            "actor": _actor_name(actor),
            "reason": reason,
        },
    )


@transaction.atomic
def leave_organisation(actor, organisation: Organisation, *, successor: User | None = None) -> None:
    """`actor` leaves `organisation`. Its last admin names another of its people as admin (`successor`)
    first; an organisation without other people may be left by its admin."""
    membership = Membership.objects.filter(user=actor, organisation=organisation).first()
    if membership is None:
        raise Refused(sentence(_("You are not a member of %(organisation)s."), organisation=organisation))
    require(actor, "accounts.leave_organisation", membership)
    membership = _lock(membership)
    if successor is not None:
        heir = _others(membership).filter(user=successor).select_related("user").first()
        if heir is None:
            raise Refused(
                sentence(
                    _("%(person)s is not one of the people of %(organisation)s."),
                    person=successor,
                    organisation=organisation,
                )
            )
        if heir.role != Membership.Role.MANAGER:
            heir.role = Membership.Role.MANAGER
            heir.save(update_fields=["role"])
            audit.record(
                actor,
                "accounts.role.change",
                organisation,
                from_state=Membership.Role.MEMBER,
                to_state=Membership.Role.MANAGER,
                comment=_("named by the leaving admin"),
                subject=heir.user,
            )
            forget_cached(heir.user)
            _tell(
                heir.user,
                ADMIN_NAMED,
                {
                    "role": role_name(ORGANISATION_ADMIN, organisation),
                    "target": str(organisation),
                    "actor": str(actor),
                },
            )
    elif (
        membership.role == Membership.Role.MANAGER
        and not _other_admins(membership).exists()
        and _others(membership).exists()
    ):
        raise Refused(
            _("You are the last admin of %(organisation)s: name another of its people as admin to leave.")
            % {"organisation": organisation}
        )
    audit.record(actor, "accounts.role.leave", organisation, from_state=membership.role, subject=actor)
    _unlink_person(actor, organisation.pk, actor)
    membership.delete()
    forget_cached(actor)
    _tell(actor, LEFT, {"organisation": str(organisation)})


@transaction.atomic
def remove_coordinator(actor, programme_role: ProgrammeRole, reason: str = "") -> None:
    """Take a coordinator role away; a programme keeps at least one coordinator."""
    require(actor, "accounts.remove_coordinator", programme_role)
    locked = list(
        ProgrammeRole.objects.select_for_update()
        .filter(programme_id=programme_role.programme_id, role=ProgrammeRole.Role.COORDINATOR)
        .select_related("user", "programme")
    )
    role = next((each for each in locked if each.pk == programme_role.pk), None)
    if role is None:
        raise Refused(_("This role no longer exists."))
    if len(locked) == 1:
        if role.user_id == getattr(actor, "pk", None):
            raise Refused(
                _("You are the last coordinator of %(programme)s: appoint another coordinator first.")
                % {"programme": role.programme}
            )
        raise Refused(
            _("%(person)s is the last coordinator of %(programme)s: appoint another coordinator first.")
            % {"person": role.user, "programme": role.programme}
        )
    audit.record(
        actor,
        "accounts.role.remove",
        role.programme,
        from_state=COORDINATOR,
        comment=reason,
        changes={COORDINATOR: [str(role.user), ""]},
        subject=role.user,
    )
    user, programme = role.user, role.programme
    role.delete()
    forget_cached(actor, user)
    _tell(
        user,
        ROLE_REMOVED,
        {"role": role_name(COORDINATOR), "target": str(programme), "actor": _actor_name(actor)},
        programme_id=programme.pk,
    )


@transaction.atomic
def link_person_record(actor, person: Person, user: User) -> Person:
    """Link a person record of an organisation to the account of one of its people."""
    require(actor, "accounts.link_person", person)
    person = Person.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=person.pk)
    if person.user_id is not None:
        raise Refused(
            _("%(person)s is already linked to the account %(email)s: unlink it first.")
            % {"person": person, "email": person.user.email}
        )
    if not Membership.objects.filter(user=user, organisation_id=person.organisation_id).exists():
        raise Refused(
            sentence(
                _("%(email)s is not an account of %(organisation)s."),
                email=user.email,
                organisation=person.organisation,
            )
        )
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        raise Refused(
            sentence(
                _("The account %(email)s is already linked to %(person)s."), email=user.email, person=existing
            )
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(actor, "directory.person.link", person, to_state=user.email)
    _tell(
        user,
        PERSON_LINKED,
        {"person": str(person), "organisation": str(person.organisation), "actor": _actor_name(actor)},
    )
    return person


@transaction.atomic
def unlink_person_record(actor, person: Person) -> Person:
    """Detach a person record from its account (both stay)."""
    require(actor, "accounts.link_person", person)
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=person.pk)
    )
    user = person.user
    if user is None:
        raise Refused(_("%(person)s is not linked to an account.") % {"person": person})
    person.user = None
    person.save(update_fields=["user", "updated_at"])
    audit.record(actor, "directory.person.unlink", person, from_state=user.email)
    _tell(
        user,
        PERSON_UNLINKED,
        {"person": str(person), "organisation": str(person.organisation), "actor": _actor_name(actor)},
    )
    return person
