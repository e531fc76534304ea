from django.urls import path

from clusterxchange.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/", views.my_data, name="me"),
    path("people/<int:pk>/", views.person_privacy, name="person"),
    path("people/<int:pk>/export/", views.export, name="export"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
    path("people/<int:pk>/erasure-request/", views.request_erasure, name="request_erasure"),
    path("people/<int:pk>/erase/", views.erase, name="erase"),
    path("erasure-requests/", views.erasure_requests, name="requests"),
    path("erasure-requests/<int:pk>/refuse/", views.refuse, name="refuse"),
]
