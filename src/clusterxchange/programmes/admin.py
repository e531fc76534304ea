"""Programme set-up in the admin: the coordinator enters partners with their budgets, reporting
periods, KPI targets, eligible countries and the grant rules (with a cap per host country).

Superusers see every programme. Other staff see and edit only the programmes they coordinate
(`roles_of(user).coordinator_programme_ids`); creating or deleting a programme and appointing
coordinators is for superusers.
"""

from django import forms
from django.conf import settings
from django.contrib import admin

from clusterxchange.core.links import ADMIN_HTTPS_URLS, https_urls
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import OrganisationType
from clusterxchange.programmes.domain import PROGRAMME_FIELDS, RULE_FIELDS
from clusterxchange.programmes.models import (
    CountryCap,
    EligibleCountry,
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ProgrammeRole,
    ReportingPeriod,
)


def coordinated_ids(request) -> frozenset[int]:
    return roles_of(request.user).coordinator_programme_ids


def may_manage(request, programme_id: int | None = None) -> bool:
    """Superusers manage all programmes; staff coordinators the ones they coordinate."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    ids = coordinated_ids(request)
    return bool(ids) if programme_id is None else programme_id in ids


class ScopedByProgramme:
    """Permissions of an admin (or inline) whose objects belong to one programme.

    `programme_of(obj)` gives the programme id of an object; for inlines `obj` is the parent.
    """

    def programme_of(self, obj) -> int | None:
        return obj.pk if isinstance(obj, Programme) else obj.programme_id

    def _allowed(self, request, obj=None) -> bool:
        if obj is None:
            return may_manage(request)
        return may_manage(request, self.programme_of(obj))

    def has_module_permission(self, request):
        return may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


class PartnerInline(ScopedByProgramme, admin.TabularInline):
    model = PartnerCluster
    extra = 0
    autocomplete_fields = ["cluster"]
    fields = ["cluster", "is_coordinator", "grant_budget_eur"]


class EligibleCountryInline(ScopedByProgramme, admin.TabularInline):
    model = EligibleCountry
    extra = 0


class ReportingPeriodInline(ScopedByProgramme, admin.TabularInline):
    model = ReportingPeriod
    extra = 0
    fields = ["name", "start_date", "end_date"]


class KpiTargetInline(ScopedByProgramme, admin.TabularInline):
    model = KpiTarget
    extra = 0
    fields = ["position", "code", "name", "measure", "target", "published"]


class RoleInline(admin.TabularInline):
    """Coordinators are appointed by a superuser; coordinators see who else coordinates."""

    model = ProgrammeRole
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return may_manage(request, obj.pk if obj else None)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ProgrammeAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None chosen: the default language. Public texts per language: the programme's set-up pages.",
    )

    class Meta:
        model = Programme
        fields = ["slug", *PROGRAMME_FIELDS]
        # The form's fields are made with the class, before the admin's formfield_overrides could apply.
        formfield_callback = https_urls

    def clean(self):
        cleaned = super().clean()
        languages, default = cleaned.get("languages"), cleaned.get("default_language")
        if languages and default not in languages:
            self.add_error("languages", "The default language must be one of the programme's languages.")
        return cleaned


@admin.register(Programme)
class ProgrammeAdmin(ScopedByProgramme, admin.ModelAdmin):
    form = ProgrammeAdminForm
    list_display = ["acronym", "name", "start_date", "end_date", "grant_budget_eur"]
    prepopulated_fields = {"slug": ["acronym"]}
    search_fields = ["acronym", "name"]
    formfield_overrides = ADMIN_HTTPS_URLS
    inlines = [PartnerInline, ReportingPeriodInline, KpiTargetInline, EligibleCountryInline, RoleInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=coordinated_ids(request))

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and request.user.is_superuser


TYPE_CHOICES = OrganisationType.choices


class GrantRuleSetForm(forms.ModelForm):
    visitor_types = forms.MultipleChoiceField(
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Large companies, public authorities and training providers host only in ClusterXchange.",
    )
    host_types = forms.MultipleChoiceField(choices=TYPE_CHOICES, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = GrantRuleSet
        fields = ["programme", *RULE_FIELDS]


class CountryCapInline(ScopedByProgramme, admin.TabularInline):
    model = CountryCap
    extra = 0

    def programme_of(self, obj) -> int | None:
        return obj.programme_id


@admin.register(GrantRuleSet)
class GrantRuleSetAdmin(ScopedByProgramme, admin.ModelAdmin):
    """The grant rules as data. Approved grants keep their own snapshot: editing never rewrites them."""

    form = GrantRuleSetForm
    list_display = ["programme", "min_working_days", "full_rate_min_working_days", "visit_once", "updated_at"]
    inlines = [CountryCapInline]
    fieldsets = [
        (None, {"fields": ["programme"]}),
        ("Duration", {"fields": ["min_working_days", "max_stay_months"]}),
        (
            "Amount",
            {
                "fields": [
                    "daily_rate_eur",
                    "full_rate_min_working_days",
                    "full_rate_min_distance_km",
                    "halving_factor",
                ],
                "description": "The cap per host country is below. A stay shorter than the full-rate working "
                "days and/or closer than the full-rate distance is reduced once by the factor.",
            },
        ),
        ("Who may take part", {"fields": ["visit_once", "visitor_types", "host_types"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("programme")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(programme_id__in=coordinated_ids(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme" and not request.user.is_superuser:
            kwargs["queryset"] = Programme.objects.filter(pk__in=coordinated_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["programme"] if obj is not None else []
