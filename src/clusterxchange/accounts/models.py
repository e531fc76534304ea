"""Users log in by email; their roles come from memberships (see `roles.py`)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
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
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


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
        from clusterxchange.accounts.two_factor import must_set_up_two_factor  # noqa: PLC0415 — cycle: two_factor -> roles -> models

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
