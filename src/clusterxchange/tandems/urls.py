from django.urls import path

from clusterxchange.tandems import views

app_name = "tandems"

urlpatterns = [
    path("", views.tandem_list, name="list"),
    path("new/", views.tandem_create, name="create"),
    path("<int:pk>/", views.tandem_detail, name="detail"),
    path("<int:pk>/edit/", views.tandem_edit, name="edit"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/log/", views.session_log, name="session_log"),
    path("<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("capabilities/", views.capabilities, name="capabilities"),
    path("capabilities/<int:partner_pk>/assess/", views.assess, name="assess"),
    path("strategy-reviews/", views.review_list, name="reviews"),
    path("strategy-reviews/new/", views.review_create, name="review_create"),
    path("strategy-reviews/<int:pk>/", views.review_detail, name="review"),
    path("strategy-reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
]
