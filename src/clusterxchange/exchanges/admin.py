"""Exchanges in the admin: to look up, list and filter, never to change.

An exchange changes only through the domain actions (`exchanges/domain.py`), which check the rules,
record the audit entry and notify the parties; so the admin shows exchanges read-only, to
superusers and to the coordinators of their programme.
"""

from django.contrib import admin

from clusterxchange.core.roles import roles_of
from clusterxchange.core.rules import may_view_in_admin
from clusterxchange.exchanges.models import AgreementSignature, Evidence, Exchange, HostProfile, HostRequest


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return may_view_in_admin(request.user, obj.programme_id if obj is not None else None)


class HostRequestInline(ReadOnlyInline):
    model = HostRequest
    fields = ["host_organisation", "status", "message", "response", "created_at", "responded_at"]
    readonly_fields = fields


class SignatureInline(ReadOnlyInline):
    model = AgreementSignature
    fields = ["party", "signatory_name", "signed_by", "signed_at", "document_sha256"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class ProgrammeScoped(ReadOnly):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(programme_id__in=roles_of(request.user).coordinator_programme_ids)

    def has_module_permission(self, request):
        return may_view_in_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_view_in_admin(request.user, obj.programme_id if obj is not None else None)


@admin.register(Exchange)
class ExchangeAdmin(ProgrammeScoped, admin.ModelAdmin):
    list_display = [
        "reference",
        "programme",
        "state",
        "visitor_organisation",
        "visitor_partner",
        "host_organisation",
        "start_date",
        "end_date",
        "grant_amount_eur",
        "paid_on",
    ]
    list_filter = ["programme", "state", "visitor_partner", "host_partner", "start_date"]
    list_select_related = [
        "programme",
        "visitor_organisation",
        "host_organisation",
        "visitor_partner__cluster",
    ]
    search_fields = ["reference", "visitor_organisation__name", "host_organisation__name", "certificate_code"]
    date_hierarchy = "start_date"
    inlines = [HostRequestInline, SignatureInline, EvidenceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "programme",
                    "state",
                    "closing_reason",
                    ("visitor_organisation", "visitor_person", "visitor_partner"),
                    ("host_organisation", "host_partner"),
                    ("start_date", "end_date"),
                ]
            },
        ),
        ("Application", {"fields": ["motivation", "goals", "preferences"]}),
        (
            "Grant (frozen at approval)",
            {
                "fields": [
                    "grant_amount_eur",
                    "grant_working_days",
                    "grant_distance_km",
                    "grant_rules_applied",
                    "grant_rules_snapshot",
                    ("grant_approved_at", "grant_approved_by"),
                ]
            },
        ),
        ("Agreement", {"fields": ["agreement_goals", "agreement_objectives", "agreement_agenda"]}),
        (
            "Closing",
            {
                "fields": [
                    "report_activities",
                    "report_results",
                    "report_follow_up",
                    ("testimonial", "testimonial_consent"),
                    "report_submitted_at",
                    ("host_confirmed_at", "host_confirmed_by"),
                    "report_validated_at",
                    ("paid_amount_eur", "paid_on"),
                    ("certificate_code", "certified_at"),
                ]
            },
        ),
        ("Record", {"fields": [("created_by", "created_at", "updated_at")]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Exchange._meta.fields]


@admin.register(HostProfile)
class HostProfileAdmin(ProgrammeScoped, admin.ModelAdmin):
    list_display = ["organisation", "programme", "status", "available_from", "available_until"]
    list_filter = ["programme", "status"]
    search_fields = ["organisation__name", "topics", "offer"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in HostProfile._meta.fields] + ["languages"]
