from django.contrib import admin

from clusterxchange.programmes.models import EligibleCountry, PartnerCluster, Programme, ProgrammeRole


class PartnerInline(admin.TabularInline):
    model = PartnerCluster
    extra = 0
    autocomplete_fields = ["cluster"]


class EligibleCountryInline(admin.TabularInline):
    model = EligibleCountry
    extra = 0


class RoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "start_date", "end_date"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [PartnerInline, EligibleCountryInline, RoleInline]
