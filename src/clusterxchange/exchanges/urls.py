from django.urls import path

from clusterxchange.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("new/", views.exchange_create, name="create"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("budget/", views.budget, name="budget"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("host-profiles/", views.host_profile_list, name="host_profiles"),
    path("host-profiles/new/", views.host_profile_register, name="host_profile_register"),
    path("host-profiles/<int:pk>/decide/", views.host_profile_decide, name="host_profile_decide"),
    path("<str:reference>/", views.exchange_detail, name="detail"),
    path("<str:reference>/edit/", views.exchange_edit, name="edit"),
    path("<str:reference>/do/<slug:action>/", views.exchange_transition, name="transition"),
    path("<str:reference>/hosts/", views.host_search, name="hosts"),
    path("<str:reference>/hosts/request/", views.host_request_create, name="request_host"),
    path("<str:reference>/requests/<int:pk>/withdraw/", views.host_request_withdraw, name="withdraw_request"),
    path("<str:reference>/requests/<int:pk>/respond/", views.host_request_respond, name="respond_request"),
    path("<str:reference>/grant/approve/", views.grant_approve, name="approve_grant"),
    path("<str:reference>/agreement/", views.agreement_edit, name="agreement"),
    path("<str:reference>/agreement/sign/", views.agreement_sign, name="sign"),
    path("<str:reference>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<str:reference>/report/", views.report_save, name="report"),
    path("<str:reference>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<str:reference>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("<str:reference>/evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("<str:reference>/confirm/", views.host_confirm, name="confirm"),
    path("<str:reference>/payment/", views.payment_record, name="payment"),
    path("<str:reference>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
]
