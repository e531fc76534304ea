from django.urls import path

from clusterxchange.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="me"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/programme/", views.programme_tokens, name="programme_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
