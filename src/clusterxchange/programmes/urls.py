from django.urls import path

from clusterxchange.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/copy/", views.copy, name="copy"),
    path("<slug:slug>/texts/", views.texts, name="texts"),
    path("<slug:slug>/periods/", views.rows_page, {"rows": views.PERIODS}, name="periods"),
    path("<slug:slug>/periods/<int:pk>/", views.row_edit, {"rows": views.PERIODS}, name="period_edit"),
    path(
        "<slug:slug>/periods/<int:pk>/remove/",
        views.row_remove,
        {"rows": views.PERIODS},
        name="period_remove",
    ),
    path("<slug:slug>/countries/", views.countries, name="countries"),
    path("<slug:slug>/partners/", views.partners, name="partners"),
    path("<slug:slug>/partners/search/", views.cluster_search, name="cluster_search"),
    path("<slug:slug>/partners/<int:pk>/", views.partner_edit, name="partner_edit"),
    path("<slug:slug>/partners/<int:pk>/remove/", views.partner_remove, name="partner_remove"),
    path("<slug:slug>/rules/", views.rules, name="rules"),
    path("<slug:slug>/rules/preview/", views.rules_preview, name="rules_preview"),
    path("<slug:slug>/kpis/", views.rows_page, {"rows": views.KPIS}, name="kpis"),
    path("<slug:slug>/kpis/<int:pk>/", views.row_edit, {"rows": views.KPIS}, name="kpi_edit"),
    path("<slug:slug>/kpis/<int:pk>/remove/", views.row_remove, {"rows": views.KPIS}, name="kpi_remove"),
]
