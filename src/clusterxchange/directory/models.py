"""The directory: organisations (clusters among them), people and cooperation opportunities."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusterxchange.core.models import Ecosystem, Language, NaceCode, OpportunityType
from clusterxchange.directory.sme import is_sme, size_class


def website_domain(url: str) -> str:
    """The host of a website address, lower-cased, without "www." nor a port: "https://www.Alpha.eu/en"
    → "alpha.eu" (what the duplicate check and the search by website compare)."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.").rstrip(".")[:253]


class OrganisationType(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    SME = "sme", _("SME")
    SCALING_UP = "scaling_up", _("Scaling-up support organisation")
    LARGE_COMPANY = "large_company", _("Large company")
    RESEARCH = "research", _("Research organisation")
    PUBLIC_AUTHORITY = "public_authority", _("Public authority")
    TRAINING_PROVIDER = "training_provider", _("Training provider")


class EscaLabel(models.TextChoices):
    NONE = "", _("None")
    BRONZE = "bronze", _("ESCA Bronze")
    SILVER = "silver", _("ESCA Silver")
    GOLD = "gold", _("ESCA Gold")


class SmeFigures(models.Model):
    """The figures of the EU's SME definition, as an organisation declares them (one declaration for
    the directory's organisations and for those registered and waiting for approval)."""

    staff_count = models.PositiveIntegerField(_("staff (headcount)"), null=True, blank=True)
    turnover_eur = models.DecimalField(
        _("annual turnover (EUR)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    balance_sheet_eur = models.DecimalField(
        _("balance sheet total (EUR)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        abstract = True


class Organisation(SmeFigures):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    org_type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices, db_index=True)
    country = CountryField(_("country"), db_index=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    # Set by `directory.locating.fill_coordinates`: the coordinates are the city's centre, not typed.
    coordinates_from_city = models.BooleanField(_("coordinates from the city"), default=False, editable=False)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    show_vat_number = models.BooleanField(
        _("show the VAT number to everyone"),
        default=False,
        help_text=_(
            "Otherwise only your people, your partner cluster's managers and the coordinators see it."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=400, blank=True, help_text=_("Separated by commas.")
    )
    ecosystems = models.ManyToManyField(Ecosystem, blank=True, verbose_name=_("industrial ecosystems"))
    sectors = models.ManyToManyField(NaceCode, blank=True, verbose_name=_("sectors (NACE)"))
    is_sme = models.BooleanField(_("SME"), null=True, editable=False, db_index=True)
    # Cluster organisations only.
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    esca_label = models.CharField(_("ESCA label"), max_length=10, choices=EscaLabel.choices, blank=True)
    contact_person = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    clusters = models.ManyToManyField(
        "self",
        through="ClusterMembership",
        symmetrical=False,
        related_name="cluster_members",
        through_fields=("member", "cluster"),
        blank=True,
    )
    search_document = models.TextField(editable=False, blank=True)
    # The website's host (see `website_domain`): indexed, for the search by website and the duplicate check.
    website_domain = models.CharField(max_length=253, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["org_type", "country"])]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="unique_organisation_name_country",
                violation_error_message=_("An organisation with this name already exists in this country."),
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=~models.Q(vat_number=""),
                name="unique_organisation_vat",
                violation_error_message=_("An organisation with this VAT number already exists."),
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.is_sme = is_sme(self.staff_count, self.turnover_eur, self.balance_sheet_eur)
        self.website_domain = website_domain(self.website)
        self.search_document = " ".join(
            part for part in (self.name, self.city, self.region, self.keywords, self.description) if part
        ).lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.slug])

    @property
    def is_cluster(self) -> bool:
        return self.org_type == OrganisationType.CLUSTER

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def size_class(self) -> str:
        return size_class(self.staff_count, self.turnover_eur, self.balance_sheet_eur)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))


class ClusterMembership(models.Model):
    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships_as_cluster",
        limit_choices_to={"org_type": OrganisationType.CLUSTER},
    )
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships_as_member")
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "member"], name="unique_cluster_membership"),
            models.CheckConstraint(
                condition=~models.Q(cluster=models.F("member")), name="cluster_not_own_member"
            ),
        ]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.cluster}"


class Person(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    listed = models.BooleanField(
        _("listed in the public directory"),
        default=True,
        help_text=_("Name and position are shown publicly; contact details never are."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class OpportunityQuerySet(models.QuerySet):
    def visible_to_public(self):
        today = timezone.localdate()
        return self.filter(status=OpportunityStatus.PUBLISHED).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


class Opportunity(models.Model):
    """A cooperation offer or request (one of the EEN's five profile types)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="opportunities")
    type = models.ForeignKey(OpportunityType, on_delete=models.PROTECT, verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    keywords = models.CharField(
        _("keywords"), max_length=400, blank=True, help_text=_("Separated by commas.")
    )
    ecosystems = models.ManyToManyField(Ecosystem, blank=True, verbose_name=_("industrial ecosystems"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
        db_index=True,
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cooperation opportunity")
        verbose_name_plural = _("cooperation opportunities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directory:opportunity", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class MatchingOutcome(models.Model):
    """What someone did with a suggested partner: the evidence the matching weights learn from."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        MEETING_FEEDBACK = "meeting_feedback", _("Meeting feedback")

    use = models.CharField(max_length=30, db_index=True)
    asking = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(
        max_length=80, blank=True, help_text=_("What produced it, e.g. a host request.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching outcome")
        verbose_name_plural = _("matching outcomes")

    def __str__(self) -> str:
        return f"{self.use}: {self.asking} → {self.candidate} ({self.kind})"


class MatchingWeights(models.Model):
    """Component weights learned from outcomes and approved for one use (else the engine's defaults)."""

    use = models.CharField(max_length=30, unique=True)
    weights = models.JSONField()
    positives = models.PositiveIntegerField(default=0)
    negatives = models.PositiveIntegerField(default=0)
    held_out_auc_before = models.FloatField(null=True, blank=True)
    held_out_auc_after = models.FloatField(null=True, blank=True)
    learned_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return f"{self.use} ({self.learned_at:%Y-%m-%d})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.Model):
    """What a join request and an organisation registration share: who asked, the state, who decided."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requester")
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class JoinRequest(Decision):
    """A person asks to join an organisation of the directory (approved: they become its member)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("organisation")
    )

    class Meta(Decision.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
                violation_error_message=_("You have already asked to join this organisation."),
            ),
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class OrganisationRegistration(SmeFigures, Decision):
    """A new organisation registered by a person, under a partner cluster. It is not in the directory
    (not an Organisation at all) until the cluster's managers or the programme's coordinators approve
    it; then the organisation is created, joins the cluster, and the person becomes its admin."""

    name = models.CharField(_("name"), max_length=200)
    org_type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True, db_index=True)
    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="registrations_under",
        limit_choices_to={"org_type": OrganisationType.CLUSTER},
        verbose_name=_("partner cluster"),
    )
    confirmed_different = models.BooleanField(
        _("confirmed different from the similar organisations shown"), default=False
    )
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
        verbose_name=_("organisation created"),
    )

    class Meta(Decision.Meta):
        verbose_name = _("organisation registration")
        verbose_name_plural = _("organisation registrations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool | None:
        return is_sme(self.staff_count, self.turnover_eur, self.balance_sheet_eur)


class ClusterMembershipRequest(Decision):
    """A cluster's manager (or a coordinator) asks an organisation of the directory to become a member of
    the cluster. It needs the organisation's consent: the cluster's managers may edit their member
    organisations, so its admins (without an admin, the deciders of a request to join it) approve it;
    approved, the cluster membership is created. `user` is who asked."""

    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="membership_requests_sent",
        limit_choices_to={"org_type": OrganisationType.CLUSTER},
        verbose_name=_("cluster"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cluster_requests",
        verbose_name=_("organisation"),
    )

    class Meta(Decision.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_cluster_request",
                violation_error_message=_("This organisation has already been asked to join this cluster."),
            ),
        ]
        verbose_name = _("request to join a cluster")
        verbose_name_plural = _("requests to join a cluster")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.cluster}"


class OpportunityInterest(Decision):
    """An organisation's expression of interest in another's cooperation opportunity (the EEN partnering
    database's and b2match's answer inside the platform): `user` sends it for `organisation` with a
    message; the opportunity's organisation accepts it (then each side sees the other's contact email)
    or declines it (optionally saying why); the sender's organisation may withdraw it while it waits.
    The states are a decision's: pending (sent), approved (accepted), refused (declined), withdrawn."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interests", verbose_name=_("opportunity")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="interests_sent",
        verbose_name=_("interested organisation"),
    )
    message = models.TextField(_("message"), max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta(Decision.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                condition=models.Q(status="pending"),
                name="one_open_opportunity_interest",
                violation_error_message=_(
                    "Your organisation has already expressed its interest in this opportunity."
                ),
            ),
        ]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"
