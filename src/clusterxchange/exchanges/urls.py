from django.urls import path

app_name = "exchanges"

urlpatterns: list = [
    path("", lambda request: None, name="list"),
    path("<str:reference>/", lambda request, reference: None, name="detail"),
]
