from django.urls import path

from clusterxchange.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/delete/", views.organisation_delete, name="organisation_delete"),
    path(
        "organisations/<slug:slug>/suggestions/",
        views.organisation_suggestions,
        name="organisation_suggestions",
    ),
    path(
        "organisations/<slug:slug>/people/new/",
        views.owned_create,
        {"kind": views.PEOPLE},
        name="person_create",
    ),
    path(
        "organisations/<slug:slug>/opportunities/new/",
        views.owned_create,
        {"kind": views.OPPORTUNITIES},
        name="opportunity_create",
    ),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.owned_edit, {"kind": views.PEOPLE}, name="person_edit"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path(
        "opportunities/<int:pk>/edit/",
        views.owned_edit,
        {"kind": views.OPPORTUNITIES},
        name="opportunity_edit",
    ),
    path("import/", views.import_view, name="import"),
]
