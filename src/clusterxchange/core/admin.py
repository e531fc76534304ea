from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from clusterxchange.core import workers
from clusterxchange.core.models import (
    AuditEntry,
    Ecosystem,
    Language,
    NaceCode,
    OpportunityType,
    OutgoingEmail,
    WorkerHeartbeat,
)


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


# The task queue (django-tasks-db): a failed task can be started again from the list.


@admin.action(description="Start the selected failed tasks again")
def restart_tasks(modeladmin, request, queryset):
    restarted = 0
    for result in queryset.filter(status="FAILED"):
        try:
            workers.restart(request.user, result.pk)
        except PermissionDenied:
            modeladmin.message_user(request, "You may not restart tasks.", messages.ERROR)
            return
        restarted += 1
    modeladmin.message_user(request, f"{restarted} task(s) queued again.", messages.SUCCESS)


class TaskResultAdmin(DBTaskResultAdmin):
    actions = [restart_tasks]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = [
        "worker_id",
        "hostname",
        "pid",
        "queues",
        "started_at",
        "last_seen",
        "task_id",
        "stopped_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Delivery state of every email; read-only (the periodic job retries, nobody edits)."""

    list_display = [
        "created_at",
        "programme",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "programme"]
    list_select_related = ["programme"]
    search_fields = ["recipient", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
