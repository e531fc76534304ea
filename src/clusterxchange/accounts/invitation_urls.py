from django.urls import path

from clusterxchange.accounts import invitation_views as views

app_name = "invitations"

urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("new/<str:target_type>/<slug:slug>/", views.invite, name="invite"),
    path("new/<str:target_type>/<slug:slug>/file/", views.invite_file, name="invite_file"),
    path("files/<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<str:token>/", views.accept, name="accept"),
]
