"""Admin for coordinators: the same object permissions as the pages (rules' admin mixin)."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from clusterxchange.tandems.models import (
    CapabilityAssessment,
    StrategyReview,
    Tandem,
    TandemOutcome,
    TandemParticipant,
    TandemSession,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_excite_topic", "position"]
    search_fields = ["name", "code"]


class ParticipantInline(admin.TabularInline):
    model = TandemParticipant
    extra = 0


class SessionInline(admin.TabularInline):
    model = TandemSession
    extra = 0
    fields = ["date", "title", "mode", "location", "status"]


class OutcomeInline(admin.StackedInline):
    model = TandemOutcome
    extra = 0


@admin.register(Tandem)
class TandemAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "topic", "start_date", "end_date", "status"]
    list_filter = ["topic", "status", "programme"]
    search_fields = ["title", "goals"]
    inlines = [ParticipantInline, SessionInline, OutcomeInline]


@admin.register(CapabilityAssessment)
class CapabilityAssessmentAdmin(ObjectPermissionsModelAdmin):
    list_display = ["partner", "topic", "period", "level", "wants_to_learn", "can_teach"]
    list_filter = ["topic", "period", "level"]


@admin.register(StrategyReview)
class StrategyReviewAdmin(ObjectPermissionsModelAdmin):
    list_display = ["strategy_title", "reviewed", "review_date", "status"]
    list_filter = ["status", "programme"]
    filter_horizontal = ["reviewer_clusters"]
