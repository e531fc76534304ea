"""A programme (e.g. EXCITE) run by a consortium of partner clusters, with its coordinators."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusterxchange.core.links import validate_link_template
from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.money import money


def language_names(codes) -> str:
    """Language codes as the names a person reads, in the page's language ("German, French")."""
    names = dict(settings.LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes)


class ProgrammeQuerySet(models.QuerySet):
    def administered_by(self, roles):
        """The programmes administered by the holder of ``roles`` (core.roles.roles_of(user)):
        those they coordinate and those of which they manage a partner cluster."""
        if not roles.coordinator_programme_ids and not roles.managed_cluster_ids:
            return self.none()
        return self.filter(
            models.Q(pk__in=roles.coordinator_programme_ids)
            | models.Q(partners__cluster_id__in=roles.managed_cluster_ids)
        ).distinct()

    def current(self):
        """The current programme: of those running today, the one that started last (of those that
        started the same day, the newest); when none runs, the next to start, else the last to have
        started; None when there is none. The site's home and the public site open on it: a programme
        set up ahead for a later call does not replace the running one before it starts."""
        today = timezone.localdate()
        return (
            self.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date", "-pk").first()
            or self.filter(start_date__gt=today).order_by("start_date", "-pk").first()
            or self.order_by("-start_date", "-pk").first()
        )

    def contact_email(self) -> str:
        """The current programme's contact address ("" without one): the error pages show it."""
        programme = self.current()
        return programme.contact_email if programme else ""


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    slug = models.SlugField(unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    website = models.URLField(_("website"), blank=True)
    grant_budget_eur = models.DecimalField(
        _("total grant budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the version an edit was read at (core.concurrency)
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the programme's emails and public texts when a person has chosen none."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("The languages the programme works in: its public texts are written in each of them."),
    )
    booking_reminder_days = models.PositiveSmallIntegerField(
        _("booking reminders every (days)"),
        default=3,
        help_text=_(
            "While an event takes meeting requests, participants with few requests are reminded this often; "
            "0 for never."
        ),
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow-up survey after (months)"),
        default=3,
        validators=[MaxValueValidator(24)],
        help_text=_(
            "Months after an event or an exchange when participants are asked what it led to; 0 for never."
        ),
    )
    video_link_template = models.CharField(
        _("video link template"),
        max_length=300,
        blank=True,
        validators=[validate_link_template],
        help_text=_(
            "Online meetings get a room of their own on this video server, e.g. https://meet.jit.si "
            "(the room is added to the address, or replaces {room}); empty: participants give a link."
        ),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.acronym

    def save(self, *args, **kwargs):
        # A programme made without its languages (the admin, older code) works in its default language.
        if not self.languages:
            self.languages = [self.default_language]
        super().save(*args, **kwargs)

    def get_setup_url(self, step: str = "overview") -> str:
        """The set-up page of the programme, or of one of its steps (programmes/urls.py)."""
        return reverse(f"programmes:{step}", kwargs={"slug": self.slug})

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def public_texts(self, language: str | None = None) -> "PublicTexts":
        """The name and description the public site shows a reader of `language` (default: the page's):
        that language's text when written, else the default language's, else any of its languages'."""
        return public_texts(self, (language or get_language() or self.default_language).split("-")[0])

    @property
    def public(self) -> "PublicTexts":
        """The public texts in the page's language (templates: ``programme.public.name``)."""
        return self.public_texts()


class ProgrammeText(models.Model):
    """The programme's public texts in one of its languages; a language without one shows the default
    language's (``Programme.public_texts``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(
        _("public name"), max_length=200, blank=True, help_text=_("Empty: the programme's name.")
    )
    description = models.TextField(_("public description"), blank=True)

    class Meta:
        ordering = ["programme", "language"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "language"], name="unique_programme_text"),
        ]
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")

    def __str__(self) -> str:
        return str(self.get_language_display())


@dataclass(frozen=True)
class PublicTexts:
    """What the public site shows; ``name_lang``/``description_lang`` name the language of a text shown
    in another language than the reader's (for the ``lang`` attribute), "" when it is the reader's."""

    name: str
    description: str
    name_lang: str = ""
    description_lang: str = ""

    @property
    def description_lang_name(self) -> str:
        return language_names([self.description_lang]) if self.description_lang else ""


def first_written(texts: dict[str, str], languages, reader_language: str) -> tuple[str, str]:
    """The text of the first of ``languages`` written in ``texts`` (language code: text), and its language
    when it is not the reader's (for the ``lang`` attribute; "" when it is); ("", "") when none is written.
    How every text kept per language is chosen for a reader: a programme's public texts, a KPI's name."""
    for code in dict.fromkeys(languages):
        if texts.get(code):
            return texts[code], "" if code == reader_language else code
    return "", ""


def reader_language() -> str:
    """The page's language as a code of settings.LANGUAGES ("de", not "de-at")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@cached_on_object
def public_texts(programme: Programme, language: str) -> PublicTexts:
    """Programme.public_texts, asked once per page and language."""
    languages = programme.languages or [programme.default_language]
    texts = {text.language: text for text in programme.texts.all() if text.language in languages}

    def first(field: str, codes: list[str]) -> tuple[str, str]:
        return first_written({code: getattr(text, field) for code, text in texts.items()}, codes, language)

    preferred = [language, programme.default_language]
    # Without a name in either, the programme's own (in whatever language it is written).
    name, name_lang = first("name", preferred)
    description, description_lang = first("description", [*preferred, *languages])
    return PublicTexts(name or programme.name, description, name_lang, description_lang)


class PartnerClusterQuerySet(models.QuerySet):
    def responsible_for(self, programme, organisation) -> "PartnerCluster | None":
        """The programme partnership responsible for an organisation: its own (a partner cluster),
        or that of a partner cluster it is a member of (the coordinating partner first)."""
        return (
            self.filter(programme=programme)
            .filter(Q(cluster=organisation) | Q(cluster__memberships_as_cluster__member=organisation))
            .select_related("cluster")
            .order_by("-is_coordinator", "pk")
            .first()
        )


class PartnerCluster(models.Model):
    """A cluster organisation that is a partner of the programme; one partner coordinates."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    cluster = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="programme_partnerships"
    )
    is_coordinator = models.BooleanField(_("coordinating partner"), default=False)
    grant_budget_eur = models.DecimalField(
        _("grant budget (EUR)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    objects = PartnerClusterQuerySet.as_manager()

    class Meta:
        ordering = ["-is_coordinator", "cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "cluster"], name="unique_programme_partner"),
        ]
        verbose_name = _("partner cluster")
        verbose_name_plural = _("partner clusters")

    def __str__(self) -> str:
        return f"{self.cluster} ({self.programme})"


class EligibleCountry(models.Model):
    """Countries taking part in the programme: kept as data per programme, never in code."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="eligible_countries")
    country = CountryField(_("country"))

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "country"], name="unique_programme_country"),
        ]
        verbose_name = _("eligible country")
        verbose_name_plural = _("eligible countries")

    def __str__(self) -> str:
        return f"{self.country.name} ({self.programme})"


class ProgrammeRole(models.Model):
    """A programme-wide role: the coordinator sets up, approves and reports for the programme."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COORDINATOR)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="unique_programme_role"),
        ]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.programme}"


class ReportingPeriod(models.Model):
    """A named reporting period of the programme (e.g. "3rd period"), for KPIs and reports."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("name"), max_length=80)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["programme", "start_date"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_period_name")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class KpiMeasure(models.TextChoices):
    """How a KPI is counted from the records (`reporting/measures.py` has one function per measure)."""

    EXCHANGES = "exchanges", _("Exchanges")
    SME_EXCHANGES = "sme-exchanges", _("Exchanges of SMEs")
    EXCHANGE_PARTICIPANTS = "exchange-participants", _("Exchange participants")
    MISSIONS = "missions", _("Company missions")
    STUDY_VISITS = "study-visits", _("Study visits")
    TANDEMS = "tandems", _("Learning tandems")
    STAFF_TRAINED = "staff-trained", _("Cluster management staff trained")
    STRATEGIES_REVIEWED = "strategies-reviewed", _("Cluster strategies reviewed")
    B2B_MEETINGS = "b2b-meetings", _("B2B meetings held")
    COUNTRIES_REACHED = "countries-reached", _("Countries reached")
    AGREEMENTS_REACHED = "agreements-reached", _("Agreements reached")
    FOLLOW_UPS_ANSWERED = "follow-ups-answered", _("Follow-ups answered")


class KpiTarget(models.Model):
    """A KPI of the programme as data: what is counted (the measure) and the target promised,
    e.g. "Participants in exchanges", measure exchange participants, target 96."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="kpi_targets")
    code = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(
        _("name in each language"),
        default=dict,
        blank=True,
        help_text=_("Language code: the name in that language; a language without one shows the name."),
    )
    measure = models.CharField(
        _("counted as"),
        max_length=30,
        choices=KpiMeasure.choices,
        blank=True,
        help_text=_("How the value is counted."),
    )
    target = models.PositiveIntegerField(_("target"))
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"), default=0)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown with its programme-wide value on the public site.")
    )

    class Meta:
        ordering = ["programme", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="unique_kpi_target")]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return f"{self.name}: {self.target}"

    def save(self, *args, **kwargs):
        # A KPI created with only a code (older demo data) is counted as the measure of that code.
        if not self.measure and self.code in KpiMeasure.values:
            self.measure = self.code
        super().save(*args, **kwargs)

    def clean(self):
        if not self.measure and self.code not in KpiMeasure.values:
            raise ValidationError({"measure": _("Choose how this KPI is counted.")})
        self.names = {
            code: text.strip() for code, text in (self.names or {}).items() if text and text.strip()
        }
        languages = dict(settings.LANGUAGES)
        unknown = [str(code) for code in self.names if code not in languages]
        if unknown:
            raise ValidationError(
                {"names": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        too_long = [code for code, text in self.names.items() if len(text) > 200]
        if too_long:
            raise ValidationError(
                {"names": _("A name is at most 200 characters (%(codes)s).") % {"codes": ", ".join(too_long)}}
            )

    @property
    def display_name(self) -> str:
        """The name for the reader: the coordinator's name in the reader's language when written
        (``names``); else a KPI named as its measure (the set-up's and the demo's names) reads in the
        reader's language, as the measure's label does; else the name as typed."""
        language = reader_language()
        written, _language = first_written(self.names or {}, [language], language)
        if written:
            return written
        if self.measure in KpiMeasure.values:
            label = KpiMeasure(self.measure).label
            for language in {settings.LANGUAGE_CODE, self.programme.default_language}:
                with translation.override(language):
                    named_as_measure = self.name == str(label)
                if named_as_measure:
                    return str(label)
        return self.name


class GrantRuleSet(models.Model):
    """The programme's grant rules as data (one current set per programme).

    Approved grants keep a snapshot of the rules and the amount they were approved with, so editing
    these rules never rewrites an approved grant.
    """

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="grant_rules")
    min_working_days = models.PositiveSmallIntegerField(_("minimum working days"), default=3)
    max_stay_months = models.PositiveSmallIntegerField(_("maximum stay (months)"), default=1)
    full_rate_min_working_days = models.PositiveSmallIntegerField(
        _("full rate from (working days)"),
        default=5,
        help_text=_("Shorter stays get the reduced (halved) amount."),
    )
    full_rate_min_distance_km = models.DecimalField(
        _("full rate from (km)"),
        max_digits=7,
        decimal_places=1,
        default=200,
        help_text=_("Organisations closer than this get the reduced (halved) amount."),
    )
    halving_factor = models.DecimalField(
        _("reduction factor"), max_digits=3, decimal_places=2, default=Decimal("0.50")
    )
    daily_rate_eur = models.DecimalField(
        _("daily rate (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Empty: the country amount is the lump sum. Set: working days × rate, capped at the country amount."
        ),
    )
    visit_once = models.BooleanField(_("an organisation may visit only once"), default=True)
    visitor_types = models.JSONField(_("organisation types that may visit"), default=list)
    host_types = models.JSONField(_("organisation types that may host"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grant rules")
        verbose_name_plural = _("grant rules")

    def __str__(self) -> str:
        return f"Grant rules of {self.programme}"


class CountryCap(models.Model):
    """The maximum lump sum for a stay in a host country."""

    rules = models.ForeignKey(GrantRuleSet, on_delete=models.CASCADE, related_name="country_caps")
    country = CountryField(_("host country"))
    amount_eur = models.DecimalField(
        _("amount (EUR)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["rules", "country"], name="unique_country_cap")]
        verbose_name = _("country cap")
        verbose_name_plural = _("country caps")

    def __str__(self) -> str:
        return f"{self.country}: {money(self.amount_eur)}"
