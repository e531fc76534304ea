"""Invitations by email: invite, resend, revoke, accept, and invite from a CSV/XLSX file.

A link carries a random token; only its SHA-256 is stored, so a link is secret, single-use (accepting
uses the invitation up), expires INVITATION_DAYS after it was last sent, and dies when the invitation is
resent (new token) or revoked. Who may invite to which role is `accounts.rules.may_grant`; accepting
gives the role through `accounts.domain.assign_role`, which also links the person record.

Refusals say why: the address already has the role, an open invitation exists (resend it instead), the
inviter's hourly or daily limit is reached. A file is checked whole first (every row's problems listed,
nothing created); its invitations are then created in one transaction and sent by a background task
(`accounts/tasks.py`) that records its progress on the batch.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.domain import assign_role, role_name
from clusterxchange.accounts.models import (
    TARGET_FIELD,
    Invitation,
    InvitationBatch,
    Membership,
    RoleKind,
    User,
)
from clusterxchange.accounts.notifications import INVITATION
from clusterxchange.accounts.rules import may_grant
from clusterxchange.accounts.tasks import send_invitation_batch
from clusterxchange.core import audit, jobs
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.mail import send_personal_in_languages
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.site_address import site_link
from clusterxchange.core.tabular import ImportReport, RowError, Table, choice_lookup
from clusterxchange.core.texts import later, sentence
from clusterxchange.directory.models import Organisation
from clusterxchange.programmes.models import Programme

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
INVITE, RESEND, REVOKE, ACCEPT, INVITE_FILE = (
    "accounts.invitation.invite",
    "accounts.invitation.resend",
    "accounts.invitation.revoke",
    "accounts.invitation.accept",
    "accounts.invitation.invite_file",
)
# What each kind of page invites to: the target's type -> the role kinds that fit it, the most rights
# first (the invitation forms preselect the last, the fewest rights).
KINDS_FOR = {
    "programme": [RoleKind.COORDINATOR],
    "organisation": [RoleKind.ORGANISATION_ADMIN, RoleKind.ORGANISATION_MEMBER],
    "event": [RoleKind.EVENT_PARTICIPANT],
}
# Columns of an invitation file (headers are read in lower case; spaces and dashes count as "_").
COLUMNS = ["email", "first_name", "last_name", "role", "language"]
SEND_CHUNK = 200


def target_type(role_kind: str) -> str:
    return TARGET_FIELD[role_kind]


def role_in_sentence(role_kind: str, target=None):
    """The role's name inside a sentence ("admin", "cluster manager", "participant"…) for `target`,
    lazily translated."""
    if role_kind == RoleKind.EVENT_PARTICIPANT:
        return gettext_lazy("participant")
    return role_name(role_kind, target)


# The roles' names where one is offered in a cluster organisation: its admin is its manager, its members
# its staff (a coordinator inviting a partner cluster's manager was offered "Organisation admin", and its
# staff "Organisation member"). The stored values stay organisation-admin and organisation-member.
CLUSTER_ROLE_LABELS = {
    RoleKind.ORGANISATION_ADMIN: gettext_lazy("Cluster manager"),
    RoleKind.ORGANISATION_MEMBER: gettext_lazy("Cluster staff member"),
}


def role_label(role_kind: str, target=None):
    """A role's name where one is offered, for the kind of organisation `target` is (see above)."""
    if isinstance(target, Organisation) and target.is_cluster and role_kind in CLUSTER_ROLE_LABELS:
        return CLUSTER_ROLE_LABELS[role_kind]
    return RoleKind(role_kind).label


def target_label(target) -> str:
    return str(target)


# Checks shared by one invitation and a file (each takes many addresses: one query for a whole file) ----


def holders(role_kind: str, target, emails: Iterable[str]) -> set[str]:
    """The addresses (lower case) among `emails` whose account already has the role on `target`
    (organisation member: any membership; admin: a manager membership; participant: a live registration)."""
    emails = {email.lower() for email in emails}
    if not emails:
        return set()
    if role_kind == RoleKind.COORDINATOR:
        found = target.roles.filter(user__email__in=emails).values_list("user__email", flat=True)
    elif role_kind in {RoleKind.ORGANISATION_ADMIN, RoleKind.ORGANISATION_MEMBER}:
        memberships = target.user_memberships.filter(user__email__in=emails)
        if role_kind == RoleKind.ORGANISATION_ADMIN:
            memberships = memberships.filter(role=Membership.Role.MANAGER)
        found = memberships.values_list("user__email", flat=True)
    else:
        found = (
            target.registrations.filter(user__email__in=emails)
            .exclude(status="cancelled")
            .values_list("user__email", flat=True)
        )
    return {email.lower() for email in found}


def open_invitations(role_kind: str, target, emails: Iterable[str]) -> dict[str, Invitation]:
    """The invitations to `target` not accepted nor revoked (expired ones too: a resend renews them)
    for the addresses among `emails`."""
    emails = {email.lower() for email in emails}
    if not emails:
        return {}
    found = Invitation.objects.filter(
        email__in=emails,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        **{target_type(role_kind): target},
    )
    return {invitation.email: invitation for invitation in found}


def sent_in_the_last_hour(actor) -> int:
    """Single invitations and resends by `actor` in the last hour (from the audit trail)."""
    since = timezone.now() - timedelta(hours=1)
    return AuditEntry.objects.filter(actor=actor, action__in=[INVITE, RESEND], created_at__gte=since).count()


def created_in_the_last_day(actor) -> int:
    return Invitation.objects.filter(
        invited_by=actor, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()


def check_rate(actor, count: int = 1, *, single: bool = True) -> None:
    """Refuse when sending `count` more invitations would pass the inviter's limits."""
    if single and sent_in_the_last_hour(actor) + count > settings.INVITATIONS_PER_HOUR:
        raise Refused(
            _(
                "You have sent %(limit)d invitations in the last hour, the most allowed. "
                "Please wait a while before sending more."
            )
            % {"limit": settings.INVITATIONS_PER_HOUR}
        )
    done = created_in_the_last_day(actor)
    if done + count > settings.INVITATIONS_PER_DAY:
        raise Refused(
            _(
                "You may create at most %(limit)d invitations in 24 hours; %(left)d are left now. "
                "Send fewer at once or wait until tomorrow."
            )
            % {"limit": settings.INVITATIONS_PER_DAY, "left": max(0, settings.INVITATIONS_PER_DAY - done)}
        )


def _already_has_role(email: str, role_kind: str, target) -> str:
    if role_kind in {RoleKind.ORGANISATION_ADMIN, RoleKind.ORGANISATION_MEMBER}:
        return sentence(_("%(email)s is already a member of %(target)s."), email=email, target=target)
    if role_kind == RoleKind.EVENT_PARTICIPANT:
        return sentence(_("%(email)s is already registered for %(target)s."), email=email, target=target)
    return sentence(_("%(email)s already has this role in %(target)s."), email=email, target=target)


def _already_invited(email: str, target) -> str:
    return _(
        "%(email)s has already been invited to %(target)s; resend that invitation instead of inviting again."
    ) % {"email": email, "target": target}


def clean_email(value: str, field: str = "email") -> str:
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({field: _("Enter a valid email address.")}) from error
    return email


def _check_kind(role_kind: str, target) -> None:
    if role_kind not in TARGET_FIELD:
        raise ValidationError({"role_kind": _("Unknown role.")})
    expected = Invitation._meta.get_field(TARGET_FIELD[role_kind]).related_model
    if not isinstance(target, expected):
        raise ValidationError({"role_kind": _("This role does not fit here.")})


# Sending ---------------------------------------------------------------------------------------


def inviter_name(invitation: Invitation) -> str:
    inviter = invitation.invited_by
    return (inviter.get_full_name() or inviter.email) if inviter else settings.SITE_NAME


def _programme_id(invitation: Invitation) -> int | None:
    """The programme an invitation is for: its own, or its event's (an organisation's is for none)."""
    return invitation.programme_id or (invitation.event.programme_id if invitation.event_id else None)


def _render(invitation: Invitation, token: str):
    """The email of one invitation, rendered in the language active when called (the invitee's)."""

    name = inviter_name(invitation)
    programme_id = _programme_id(invitation)
    subject, invites = INVITATION.parts(
        programme_id,
        inviter=name,
        site=settings.SITE_NAME,
        role=role_in_sentence(invitation.role_kind, invitation.target),
        target=invitation.target,
    )

    inviter_email = invitation.invited_by.email if invitation.invited_by else settings.DEFAULT_FROM_EMAIL

    def render() -> tuple[str, str]:
        link = site_link(reverse("invitations:accept", kwargs={"token": token}))
        until = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        greeting = (
            later(
                gettext_lazy("Hello %(name)s,"),
                name=f"{invitation.first_name} {invitation.last_name}".strip(),
            )
            if invitation.first_name or invitation.last_name
            else gettext_lazy("Hello,")
        )
        parts = [greeting, "", invites]
        if invitation.message:
            parts += ["", later(gettext_lazy("Their message: %(text)s"), text=invitation.message)]
        parts += [
            "",
            gettext_lazy("Accept the invitation here:"),
            link,
            "",
            later(
                gettext_lazy(
                    "The link works once, until %(date)s. If it has expired, ask %(inviter)s (%(email)s) "
                    "to send it again."
                ),
                date=until,
                inviter=name,
                email=inviter_email,
            )
            if name != inviter_email
            # An inviter without a name is named by their address: once is enough.
            else later(
                gettext_lazy(
                    "The link works once, until %(date)s. If it has expired, ask %(inviter)s to send it again."
                ),
                date=until,
                inviter=name,
            ),
        ]
        return str(subject), "\n".join(str(part) for part in parts)

    return render


def _send(invitations: list[Invitation]) -> int:
    """Give each invitation a new link (the old one dies), renew its expiry and queue its email; the
    caller is in a transaction (the emails leave after the commit)."""
    now = timezone.now()
    emails = defaultdict(list)  # per programme the invitation is for
    for invitation in invitations:
        token = invitation.new_token()
        invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
        invitation.sent_count += 1
        invitation.last_sent_at = now
        emails[_programme_id(invitation)].append(
            (invitation.email, invitation.language, _render(invitation, token))
        )
    Invitation.objects.bulk_update(invitations, ["digest", "expires_at", "sent_count", "last_sent_at"])
    return sum(
        send_personal_in_languages(group, programme_id=programme_id) for programme_id, group in emails.items()
    )


# Actions -----------------------------------------------------------------------------------------


def _refuse_if_closed(invitation: Invitation) -> None:
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        raise Refused(_("This invitation has already been accepted."))
    if state == Invitation.State.REVOKED:
        raise Refused(_("This invitation was revoked."))


def default_language_of(target) -> str:
    """The language an invitation to `target` is written in unless the inviter chooses another: the
    default language of its programme (an event's programme; for an organisation, the newest programme
    it or one of its clusters is a partner of), else the site's."""
    programme = getattr(target, "programme", None) if not isinstance(target, Programme) else target
    if programme is None and isinstance(target, Organisation):
        programme = (
            Programme.objects.filter(
                Q(partners__cluster=target) | Q(partners__cluster__in=target.clusters.all())
            )
            .order_by("-start_date", "-pk")
            .first()
        )
    language = getattr(programme, "default_language", "")
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


@transaction.atomic
def invite(
    actor,
    *,
    email: str,
    role_kind: str,
    target,
    first_name: str = "",
    last_name: str = "",
    message: str = "",
    language: str = "",
) -> Invitation:
    """Invite `email` to take `role_kind` on `target` and send the link."""
    _check_kind(role_kind, target)
    require(actor, "accounts.grant_role", (role_kind, target))
    email = clean_email(email)
    check_rate(actor)
    if holders(role_kind, target, [email]):
        raise Refused(_already_has_role(email, role_kind, target))
    if open_invitations(role_kind, target, [email]):
        raise Refused(_already_invited(email, target))
    invitation = Invitation(
        email=email,
        role_kind=role_kind,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        message=message.strip(),
        language=language if language in LANGUAGE_CODES else default_language_of(target),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        **{TARGET_FIELD[role_kind]: target},
    )
    invitation.full_clean(exclude=["digest", "invited_by", "batch"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:  # the same address invited at the same moment by someone else
        raise Refused(_already_invited(email, target)) from error
    _send([invitation])
    audit.record(actor, INVITE, invitation, to_state=invitation.role_kind, comment=target_label(target))
    return invitation


@transaction.atomic
def resend(actor, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link (the previous link stops working) and a new expiry."""
    require(actor, "accounts.resend_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _refuse_if_closed(invitation)
    check_rate(actor)
    if holders(invitation.role_kind, invitation.target, [invitation.email]):
        raise Refused(_already_has_role(invitation.email, invitation.role_kind, invitation.target))
    _send([invitation])
    audit.record(actor, RESEND, invitation, comment=f"sent {invitation.sent_count} times")
    return invitation


@transaction.atomic
def revoke(actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link then says it was revoked."""
    require(actor, "accounts.revoke_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _refuse_if_closed(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, REVOKE, invitation, from_state="pending", to_state="revoked")
    return invitation


def link_refusal(invitation: Invitation) -> str:
    """Why the link cannot be used any more (empty when it can)."""
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        return _("This invitation has already been accepted; a link works only once.")
    if state == Invitation.State.REVOKED:
        return _("This invitation was withdrawn by the person who sent it.")
    if state == Invitation.State.EXPIRED:
        return _("This invitation expired on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        }
    return ""


@transaction.atomic
def accept(user, invitation: Invitation):
    """`user` (logged in with an account the invited address belongs to: its login address, or another
    address it verified) accepts: they get the role, the address counts as verified (the link reached
    it), the person record with that address is linked, and the link is used up. Returns what
    `assign_role` returned."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    reason = link_refusal(invitation)
    if reason:
        raise Refused(reason)
    if not is_for(user, invitation):
        raise Refused(
            sentence(
                _("This invitation was sent to %(invited)s; you are logged in as %(current)s."),
                invited=invitation.email,
                current=getattr(user, "email", ""),
            )
        )
    role = None
    if invitation.role_kind != RoleKind.EVENT_PARTICIPANT:  # a participant registers on the event's page
        role = assign_role(
            user,
            invitation.role_kind,
            invitation.target,
            by=invitation.invited_by,
            reason=f"invitation #{invitation.pk}",
        )
    _mark_verified(user, invitation.email)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(user, ACCEPT, invitation, from_state="pending", to_state="accepted")
    return role


def _mark_verified(user, email: str) -> None:
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=email, verified=True, primary=not EmailAddress.objects.filter(user=user).exists()
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def is_for(user, invitation: Invitation) -> bool:
    """Whether the invited address is `user`'s: their login address or another they verified."""
    return user.is_authenticated and invitation.email in user.own_addresses()


def account_exists(invitation: Invitation) -> bool:
    """Whether the invited address is an account's already (its login address or a verified other
    one): that person logs in to accept instead of creating a second account."""
    return User.objects.with_address(invitation.email).exists()


@transaction.atomic
def create_account_and_accept(
    invitation: Invitation, *, first_name: str, last_name: str, password: str
) -> User:
    """A person without an account accepts: the account is created for the invited address (verified:
    the link reached it), in the invitation's language, and the role given."""
    reason = link_refusal(invitation)
    if reason:
        raise Refused(reason)
    if account_exists(invitation):
        raise Refused(_("An account with this address exists already: log in to accept the invitation."))
    user = User(
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        language=invitation.language,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    accept(user, invitation)
    return user


# Invitations from a file -----------------------------------------------------------------------


@dataclass
class Row:
    row: int
    email: str
    first_name: str
    last_name: str
    role_kind: str
    language: str


def _role_lookup() -> dict[str, str]:
    lookup = choice_lookup(RoleKind.choices)
    lookup.update(
        {
            "admin": RoleKind.ORGANISATION_ADMIN,
            "member": RoleKind.ORGANISATION_MEMBER,
            "participant": RoleKind.EVENT_PARTICIPANT,
        }
    )
    return lookup


def _column(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def check_file(
    actor, table: Table, target, *, role_kind: str, language: str = "", batched: bool = True
) -> tuple[ImportReport, list[Row]]:
    """Check every row of an invitation file for `target` (a row without a role gets `role_kind`, one
    without a language `language`): the report lists each row's problems. `batched=False` asks the
    database once per row instead of once per file (the benchmark's baseline)."""
    report = ImportReport(kind="invitations", total_rows=len(table.rows))
    headers = {_column(header): header for header in table.headers}
    if "email" not in headers:
        report.errors.append(RowError(1, "email", _("The required column is missing.")))
    for column in headers:
        if column not in COLUMNS:
            report.errors.append(RowError(1, column, _("Unknown column.")))
    if report.errors:
        return report, []
    roles, languages = _role_lookup(), choice_lookup(settings.LANGUAGES)
    allowed = KINDS_FOR[TARGET_FIELD[role_kind]]
    grantable = {kind: may_grant(actor, kind, target) for kind in allowed}
    default_language = language if language in LANGUAGE_CODES else default_language_of(target)
    rows: list[Row] = []
    first_row: dict[str, int] = {}
    for number, raw in table.numbered():
        values = {_column(header): value for header, value in raw.items()}
        errors: list[RowError] = []
        email = values.get("email", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                RowError(number, "email", _("“%(value)s” is not a valid email address.") % {"value": email})
            )
        role_text = values.get("role", "").strip().lower()
        kind = roles.get(role_text) if role_text else role_kind
        if kind is None:
            errors.append(RowError(number, "role", _("Unknown role “%(value)s”.") % {"value": role_text}))
        elif kind not in allowed:
            errors.append(
                RowError(number, "role", sentence(_("This role does not fit %(target)s."), target=target))
            )
        elif not grantable[kind]:
            errors.append(
                RowError(
                    number, "role", sentence(_("You may not give this role in %(target)s."), target=target)
                )
            )
        language_text = values.get("language", "").strip().lower()
        row_language = languages.get(language_text) if language_text else default_language
        if row_language is None:
            errors.append(
                RowError(number, "language", _("Unknown language “%(value)s”.") % {"value": language_text})
            )
        for column in ("first_name", "last_name"):
            if len(values.get(column, "")) > 150:
                errors.append(RowError(number, column, _("At most 150 characters.")))
        if email and email in first_row:
            errors.append(
                RowError(
                    number, "email", _("The same address as in row %(row)d.") % {"row": first_row[email]}
                )
            )
        elif email:
            first_row[email] = number
        report.errors.extend(errors)
        if not errors:
            rows.append(
                Row(
                    number,
                    email,
                    values.get("first_name", ""),
                    values.get("last_name", ""),
                    kind,
                    row_language,
                )
            )
    _check_existing(rows, target, report, batched)
    report.errors.sort(key=lambda error: error.row)
    return report, rows


def _check_existing(rows: list[Row], target, report: ImportReport, batched: bool) -> None:
    """The rows whose address already has the role or an open invitation to `target`."""
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row.role_kind, []).append(row)
    for kind, kind_rows in by_kind.items():
        if batched:
            having = holders(kind, target, [row.email for row in kind_rows])
            invited = open_invitations(kind, target, [row.email for row in kind_rows])
        else:
            having, invited = set(), {}
            for row in kind_rows:
                having |= holders(kind, target, [row.email])
                invited |= open_invitations(kind, target, [row.email])
        for row in kind_rows:
            if row.email in having:
                report.errors.append(RowError(row.row, "email", _already_has_role(row.email, kind, target)))
            elif row.email in invited:
                report.errors.append(RowError(row.row, "email", _already_invited(row.email, target)))


@transaction.atomic
def invite_file(
    actor, table: Table, target, *, role_kind: str, language: str = "", message: str = ""
) -> InvitationBatch:
    """Create the invitations of a checked file, all or none, and queue the task that sends them."""
    _check_kind(role_kind, target)
    if not any(may_grant(actor, kind, target) for kind in KINDS_FOR[TARGET_FIELD[role_kind]]):
        require(actor, "accounts.grant_role", (role_kind, target))
    report, rows = check_file(actor, table, target, role_kind=role_kind, language=language)
    if not report.ok:
        raise Refused(
            _("The file has %(count)d problems; nothing was sent. Check it again.")
            % {"count": len(report.errors)}
        )
    if not rows:
        raise Refused(_("The file has no invitations."))
    check_rate(actor, len(rows), single=False)
    batch = InvitationBatch.objects.create(created_by=actor, total=len(rows))
    expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    field = TARGET_FIELD[role_kind]
    try:
        with transaction.atomic():
            Invitation.objects.bulk_create(
                Invitation(
                    email=row.email,
                    role_kind=row.role_kind,
                    first_name=row.first_name.strip(),
                    last_name=row.last_name.strip(),
                    message=message.strip(),
                    language=row.language,
                    invited_by=actor,
                    batch=batch,
                    expires_at=expires,
                    **{field: target},
                )
                for row in rows
            )
    except IntegrityError as error:
        raise Refused(
            _("Someone invited some of these addresses meanwhile; check the file again.")
        ) from error
    audit.record(actor, INVITE_FILE, batch, comment=f"{len(rows)} invitations to {target_label(target)}")
    transaction.on_commit(lambda: send_invitation_batch.enqueue(batch.pk))
    return batch


def send_batch(batch_id: int, chunk: int = SEND_CHUNK) -> InvitationBatch:
    """Send the invitations of a batch not sent yet, `chunk` at a time (each chunk one transaction, its
    emails delivered over one connection after its commit), recording the progress on the batch."""
    jobs.start(InvitationBatch, batch_id)
    while True:
        with transaction.atomic():
            invitations = list(
                Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("invited_by", "programme", "organisation", "event")
                .filter(batch_id=batch_id, sent_count=0, accepted_at__isnull=True, revoked_at__isnull=True)
                .order_by("pk")[:chunk]
            )
            if not invitations:
                break
            _send(invitations)
            jobs.advance(InvitationBatch, batch_id, len(invitations))
    batch = InvitationBatch.objects.get(pk=batch_id)
    jobs.finish(batch, InvitationBatch.Status.DONE)
    return batch
