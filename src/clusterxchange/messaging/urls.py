from django.urls import path

from clusterxchange.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("new/", views.compose, name="compose"),
    path("undelivered/", views.undelivered, name="undelivered"),
    path("texts/", views.texts, name="texts"),
    path("texts/<slug:programme>/<str:key>/<str:language>/", views.text_edit, name="text_edit"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
]
