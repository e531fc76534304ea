"""A programme (e.g. EXCITE) run by a consortium of partner clusters, with its coordinators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return self.acronym

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class PartnerCluster(models.Model):
    """A cluster organisation that is a partner of the programme; one partner coordinates."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    cluster = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="programme_partnerships"
    )
    is_coordinator = models.BooleanField(_("coordinating partner"), default=False)

    class Meta:
        ordering = ["-is_coordinator", "cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "cluster"], name="unique_programme_partner"),
        ]
        verbose_name = _("partner cluster")

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="unique_programme_role"),
        ]
        verbose_name = _("programme role")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.programme}"
