"""Admin: read-only lists for coordinators; changes go through the pages (the domain actions), so
the Markdown is always sanitised and consent and moderation are always audited."""

from django.contrib import admin

from clusterxchange.core.roles import roles_of
from clusterxchange.news.models import NewsArticle, Testimonial


class ReadOnlyForCoordinators(admin.ModelAdmin):
    def has_module_permission(self, request):
        return roles_of(request.user).is_coordinator or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return (
            request.user.is_superuser or obj.programme_id in roles_of(request.user).coordinator_programme_ids
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(programme_id__in=roles_of(request.user).coordinator_programme_ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NewsArticle)
class NewsArticleAdmin(ReadOnlyForCoordinators):
    list_display = ["title", "programme", "partner", "state", "published_at", "author", "source"]
    list_filter = ["state", "programme", "source"]
    search_fields = ["title", "summary", "body_markdown"]
    list_select_related = ["programme", "partner__cluster", "author"]


@admin.register(Testimonial)
class TestimonialAdmin(ReadOnlyForCoordinators):
    list_display = [
        "author_name",
        "programme",
        "partner",
        "status",
        "featured",
        "consent_given_at",
        "consent_withdrawn_at",
    ]
    list_filter = ["status", "featured", "programme"]
    search_fields = ["author_name", "text"]
    list_select_related = ["programme", "partner__cluster"]
