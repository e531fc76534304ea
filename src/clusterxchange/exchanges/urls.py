from django.urls import path

from clusterxchange.exchanges.views import applications, budget, hosts, verification

app_name = "exchanges"

urlpatterns = [
    path("", applications.exchange_list, name="list"),
    path("new/", applications.exchange_create, name="create"),
    path("bulk/", applications.bulk_action, name="bulk"),
    path("budget/", budget.budget, name="budget"),
    path("verify/", verification.verify, name="verify"),
    path("verify/<str:code>/", verification.verify_code, name="verify_code"),
    path("host-profiles/", hosts.host_profile_list, name="host_profiles"),
    path("host-profiles/new/", hosts.host_profile_register, name="host_profile_register"),
    path("host-profiles/<int:pk>/decide/", hosts.host_profile_decide, name="host_profile_decide"),
    path("<str:reference>/", applications.exchange_detail, name="detail"),
    path("<str:reference>/edit/", applications.exchange_edit, name="edit"),
    path("<str:reference>/do/<slug:action>/", applications.exchange_transition, name="transition"),
    path("<str:reference>/hosts/", hosts.host_search, name="hosts"),
    path("<str:reference>/hosts/request/", hosts.host_request_create, name="request_host"),
    path("<str:reference>/requests/<int:pk>/withdraw/", hosts.host_request_withdraw, name="withdraw_request"),
    path("<str:reference>/requests/<int:pk>/respond/", hosts.host_request_respond, name="respond_request"),
    path("<str:reference>/grant/approve/", applications.grant_approve, name="approve_grant"),
    path("<str:reference>/agreement/", applications.agreement_edit, name="agreement"),
    path("<str:reference>/agreement/sign/", applications.agreement_sign, name="sign"),
    path("<str:reference>/agreement.pdf", applications.agreement_pdf, name="agreement_pdf"),
    path("<str:reference>/report/", applications.report_save, name="report"),
    path("<str:reference>/evidence/", applications.evidence_upload, name="evidence_upload"),
    path("<str:reference>/evidence/<int:pk>/", applications.evidence_download, name="evidence"),
    path("<str:reference>/evidence/<int:pk>/remove/", applications.evidence_remove, name="evidence_remove"),
    path("<str:reference>/confirm/", applications.host_confirm, name="confirm"),
    path("<str:reference>/payment/", applications.payment_record, name="payment"),
    path("<str:reference>/certificate.pdf", applications.certificate_pdf, name="certificate_pdf"),
]
