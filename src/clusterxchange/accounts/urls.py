from django.urls import path

from clusterxchange.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="me"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/programme/", views.programme_tokens, name="programme_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("members/", views.members, name="members"),
    path("members/programmes/<slug:slug>/", views.programme_members, name="programme_members"),
    path("members/programmes/<slug:slug>/appoint/", views.coordinator_appoint, name="coordinator_appoint"),
    path("members/coordinators/<int:pk>/remove/", views.coordinator_remove, name="coordinator_remove"),
    path("members/organisations/<slug:slug>/", views.organisation_members, name="organisation_members"),
    path("members/organisations/<slug:slug>/add/", views.membership_add, name="membership_add"),
    path("members/organisations/<slug:slug>/leave/", views.organisation_leave, name="organisation_leave"),
    path("members/<int:pk>/role/", views.membership_change, name="membership_change"),
    path("members/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("members/people/<int:pk>/link/", views.person_link, name="person_link"),
    path("members/people/<int:pk>/unlink/", views.person_unlink, name="person_unlink"),
]
