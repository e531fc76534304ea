"""Events in the admin: to look up, list and filter, never to change.

Events, registrations, requests and agendas change only through the domain actions
(`events/domain/`), which check the rules, record the audit entry and notify the people
concerned; so the admin is read-only, for superusers and the coordinators of the event's programme.
"""

from django.contrib import admin

from clusterxchange.core.links import ADMIN_HTTPS_URLS
from clusterxchange.core.roles import roles_of
from clusterxchange.core.rules import may_view_in_admin
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return may_view_in_admin(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return may_view_in_admin(request.user)
        event = obj if isinstance(obj, Event) else obj.event
        return may_view_in_admin(request.user, event.programme_id)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = roles_of(request.user).coordinator_programme_ids
        field = "programme_id__in" if self.model is Event else "event__programme_id__in"
        return queryset.filter(**{field: ids})


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "city", "start_date", "end_date", "host_cluster", "published", "agenda"]
    list_filter = ["kind", "published", "agenda"]
    search_fields = ["title", "city"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "event", "role", "status", "partner"]
    list_filter = ["status", "role"]
    search_fields = ["organisation__name", "event__title"]
    list_select_related = ["organisation", "event", "partner__cluster"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "recipient", "event", "status", "must_meet", "created_at"]
    list_filter = ["status", "must_meet"]
    list_select_related = ["requester__organisation", "recipient__organisation", "event"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "event", "slot", "table", "locked", "status"]
    list_filter = ["status", "locked"]
    list_select_related = ["first__organisation", "second__organisation", "event", "slot", "table"]
    formfield_overrides = ADMIN_HTTPS_URLS
