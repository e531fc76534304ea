from django.urls import path

from clusterxchange.followup import views

app_name = "followup"

urlpatterns = [
    path("follow-up/<str:token>/", views.survey, name="survey"),
]
