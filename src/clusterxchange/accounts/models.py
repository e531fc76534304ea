"""Users log in by email; their roles come from memberships (see `roles.py`)."""

import hashlib
import secrets
from datetime import timedelta

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.accounts.two_factor import must_set_up_two_factor
from clusterxchange.core.addresses import address_in
from clusterxchange.core.models import Job
from clusterxchange.core.roles import has_every_permission


class UserManager(BaseUserManager):
    def with_address(self, email: str):
        """The accounts an address belongs to: as login address, or as another verified address."""
        email = (email or "").strip()
        return self.filter(
            address_in("email", [email])
            | models.Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        ).distinct()

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the pages after login; empty keeps the site's default."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        # An account is found by its address whatever the case (core.addresses.address_in).
        indexes = [models.Index(Lower("email"), name="user_email_lower")]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def has_perm(self, perm, obj=None) -> bool:
        """Django says yes to an active superuser before any backend; here `has_every_permission` says
        it, so that a superuser asked by their roles (`core.roles.by_roles`) gets the rules' answer
        (not the model backend's, which gives a superuser every model permission)."""
        if self.is_superuser and self.is_active and not has_every_permission(self):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def own_addresses(self) -> set[str]:
        """The addresses that are this account's, in lower case: its login address, and the other
        addresses allauth has verified for it (an invitation to any of them is this account's)."""
        verified = self.emailaddress_set.filter(verified=True).values_list("email", flat=True)
        return {address.lower() for address in (self.email, *verified) if address}


class Membership(models.Model):
    """A user belongs to an organisation; a manager of a cluster organisation manages its members."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="user_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_user_membership"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


# What a token may reach: one area of the API each, to read (GET) or also to write.
TOKEN_AREAS = {
    "directory": _("Directory"),
    "exchanges": _("Exchanges"),
    "events": _("Events"),
    "tandems": _("Tandems"),
    "training": _("Training"),
    "news": _("News"),
    "reporting": _("Reporting"),
    "messaging": _("Group messages"),
    "programmes": _("Programme set-up"),
    "invitations": _("Invitations"),
    "waiting": _("Waiting for you"),
}
TOKEN_ACCESS = {"read": _("read"), "write": _("read and write")}
ALL_SCOPES = tuple(f"{area}:{access}" for area in TOKEN_AREAS for access in TOKEN_ACCESS)


def area_of_api_path(path: str) -> str:
    """The area of an API path: `/api/events/…` → events; the directory's routes sit at the root."""
    first = path.removeprefix("/api/").split("/", 1)[0]
    return first if first in TOKEN_AREAS else "directory"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation.

    It is named, limited to scopes (`area:read` or `area:write`, see TOKEN_AREAS), expires
    (API_TOKEN_DAYS after creation unless chosen otherwise) and records when it was last used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls, user: User, name: str, scopes=ALL_SCOPES, days: int | None = None
    ) -> tuple["ApiToken", str]:
        token = "cx_" + secrets.token_urlsafe(32)
        lifetime = timedelta(days=days if days is not None else settings.API_TOKEN_DAYS)
        instance = cls.objects.create(
            user=user,
            name=name,
            prefix=token[3:11],
            digest=cls.hash(token),
            scopes=sorted(set(scopes)),
            expires_at=timezone.now() + lifetime,
        )
        return instance, token

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def allows(self, method: str, path: str) -> bool:
        """Whether the token's scopes cover this request: reading needs `area:read` or `area:write`,
        anything else `area:write`."""
        area = area_of_api_path(path)
        if method in {"GET", "HEAD", "OPTIONS"}:
            return f"{area}:read" in self.scopes or f"{area}:write" in self.scopes
        return f"{area}:write" in self.scopes

    def scope_labels(self) -> list[str]:
        labels = []
        for area, area_label in TOKEN_AREAS.items():
            for access in ("write", "read"):
                if f"{area}:{access}" in self.scopes:
                    labels.append(f"{area_label} ({TOKEN_ACCESS[access]})")
                    break
        return labels

    @classmethod
    def find(cls, token: str) -> "ApiToken | None":
        """The valid token with this secret (not expired, of an active user who may use the API), and
        its last use recorded (at most once a minute)."""
        instance = cls.objects.select_related("user").filter(digest=cls.hash(token)).first()
        if instance is None or instance.expired or not instance.user.is_active:
            return None
        if must_set_up_two_factor(instance.user):
            return None
        now = timezone.now()
        if instance.last_used_at is None or (now - instance.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=instance.pk).update(last_used_at=now)
        return instance

    @classmethod
    def authenticate(cls, token: str) -> User | None:
        instance = cls.find(token)
        return instance.user if instance else None


class RoleKind(models.TextChoices):
    """The roles a person can be invited to (see accounts/rules.py for who may grant which)."""

    COORDINATOR = "coordinator", _("Coordinator")
    ORGANISATION_ADMIN = "organisation-admin", _("Organisation admin")
    ORGANISATION_MEMBER = "organisation-member", _("Organisation member")
    EVENT_PARTICIPANT = "event-participant", _("Event participant")


# The field of an invitation that holds the target of each role kind.
TARGET_FIELD = {
    RoleKind.COORDINATOR: "programme",
    RoleKind.ORGANISATION_ADMIN: "organisation",
    RoleKind.ORGANISATION_MEMBER: "organisation",
    RoleKind.EVENT_PARTICIPANT: "event",
}


def _target_is(field_name: str, kinds) -> models.Q:
    others = {name: True for name in ("programme", "organisation", "event") if name != field_name}
    return models.Q(role_kind__in=kinds, **{f"{field_name}__isnull": False}) & models.Q(
        **{f"{name}__isnull": null for name, null in others.items()}
    )


def _pending_and(field_name: str) -> models.Q:
    return models.Q(accepted_at__isnull=True, revoked_at__isnull=True, **{f"{field_name}__isnull": False})


class InvitationBatch(Job):
    """The invitations of one uploaded file, sent by a background task (accounts/tasks.py); `done`
    counts the invitations sent."""

    class Meta(Job.Meta):
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.done}/{self.total})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Not accepted, not revoked and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def in_state(self, state: str):
        now = timezone.now()
        if state == Invitation.State.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if state == Invitation.State.REVOKED:
            return self.filter(revoked_at__isnull=False, accepted_at__isnull=True)
        if state == Invitation.State.EXPIRED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now)
        if state == Invitation.State.PENDING:
            return self.pending()
        return self


class Invitation(models.Model):
    """An invitation by email to take a role. The link carries a random token of which only the SHA-256
    is stored (like ApiToken): a resend makes a new token and kills the old one; accepting uses it up;
    it expires INVITATION_DAYS after it was (last) sent."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("email address"), db_index=True)
    role_kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    language = models.CharField(
        _("language of the email"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invited_by = models.ForeignKey(
        User,
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    batch = models.ForeignKey(
        InvitationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    # NULL until the first email (a file's invitations wait for the task): unique among the links sent.
    digest = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_count = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The privacy export and erasure find a person's invitations by address, whatever the case.
        indexes = [models.Index(Lower("email"), name="invitation_email_lower")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=_target_is("programme", [RoleKind.COORDINATOR])
                | _target_is("organisation", [RoleKind.ORGANISATION_ADMIN, RoleKind.ORGANISATION_MEMBER])
                | _target_is("event", [RoleKind.EVENT_PARTICIPANT]),
                name="invitation_target_matches_role",
            ),
            # One open invitation per address and target (an expired one is renewed by a resend).
            models.UniqueConstraint(
                fields=["email", "programme"],
                condition=_pending_and("programme"),
                name="one_open_invitation_programme",
            ),
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=_pending_and("organisation"),
                name="one_open_invitation_organisation",
            ),
            models.UniqueConstraint(
                fields=["email", "event"], condition=_pending_and("event"), name="one_open_invitation_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_kind_display()} ({self.target})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def new_token(self) -> str:
        """A new secret for the link (the previous one stops working); the caller saves."""
        token = secrets.token_urlsafe(32)
        self.digest = self.hash(token)
        return token

    @classmethod
    def find(cls, token: str) -> "Invitation | None":
        if not token or len(token) > 100:
            return None
        return (
            cls.objects.select_related("invited_by", "programme", "organisation", "event")
            .filter(digest=cls.hash(token))
            .first()
        )

    @property
    def target(self):
        return getattr(self, TARGET_FIELD[self.role_kind]) if self.role_kind in TARGET_FIELD else None

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PENDING
