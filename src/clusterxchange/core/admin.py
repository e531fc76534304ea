from django.contrib import admin

from clusterxchange.core.models import AuditEntry, Ecosystem, Language, NaceCode, OpportunityType


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "comment", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Ecosystem, NaceCode, OpportunityType, Language):
    admin.site.register(model, search_fields=["code", "name"], list_display=["code", "name"])
