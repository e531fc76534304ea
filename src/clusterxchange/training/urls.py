from django.urls import path

from clusterxchange.training import views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("new/", views.entry_create, name="entry_create"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("moderation/", views.moderation, name="moderation"),
    path("check-links/", views.check_links, name="check_links"),
    path("import/", views.import_view, name="import"),
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/certificate/", views.record_certificate, name="record_certificate"),
    path("suggestions/", views.suggestions, name="suggestions"),
]
