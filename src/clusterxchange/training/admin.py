"""Admin for coordinators: the same object permissions as the pages (rules' admin mixin)."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from clusterxchange.core.links import ADMIN_HTTPS_URLS
from clusterxchange.training.models import TrainingEntry, TrainingRecord, TrainingSession


class SessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(TrainingEntry)
class TrainingEntryAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "provider", "format", "level", "cost_eur", "status", "link_status", "is_demo"]
    list_filter = ["status", "link_status", "format", "level", "topics", "is_demo"]
    search_fields = ["title", "provider", "description"]
    formfield_overrides = ADMIN_HTTPS_URLS
    filter_horizontal = ["topics", "languages"]
    readonly_fields = ["link_status", "link_checked_at", "link_error", "submitted_by", "moderated_by"]
    inlines = [SessionInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ObjectPermissionsModelAdmin):
    list_display = ["person", "entry", "partner", "status", "enrolled_on", "completed_on"]
    list_filter = ["status", "partner"]
    search_fields = ["person__last_name", "entry__title"]
    raw_id_fields = ["person", "entry"]
