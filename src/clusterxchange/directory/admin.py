"""Admin for coordinators: the same object permissions as the pages (rules' admin mixin)."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from clusterxchange.core.links import ADMIN_HTTPS_URLS
from clusterxchange.directory.models import ClusterMembership, Opportunity, Organisation, Person


class ClusterMembershipInline(admin.TabularInline):
    model = ClusterMembership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Organisation)
class OrganisationAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "org_type", "country", "city", "is_sme", "updated_at"]
    list_filter = ["org_type", "country", "is_sme", "ecosystems"]
    search_fields = ["name", "city", "vat_number"]
    readonly_fields = ["slug", "is_sme", "created_at", "updated_at"]
    filter_horizontal = ["ecosystems", "sectors"]
    inlines = [ClusterMembershipInline]
    autocomplete_fields = ["contact_person"]
    formfield_overrides = ADMIN_HTTPS_URLS


@admin.register(Person)
class PersonAdmin(ObjectPermissionsModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "position"]
    search_fields = ["last_name", "first_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Opportunity)
class OpportunityAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "type", "organisation", "status", "expires_on"]
    list_filter = ["type", "status"]
    search_fields = ["title", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
