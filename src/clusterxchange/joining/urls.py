from django.urls import path

from clusterxchange.joining import views

# Mounted at /welcome/ by the site's urls.py.
app_name = "join"

urlpatterns = [
    path("", views.welcome, name="welcome"),
    path("find/", views.find_organisation, name="find"),
    path("ask/<slug:slug>/", views.ask_to_join, name="ask"),
    path("register/", views.register_organisation, name="register"),
    path("requests/", views.requests_to_decide, name="requests"),
    path("requests/join/<int:pk>/decide/", views.decide_join_request, name="decide_join"),
    path("requests/join/<int:pk>/withdraw/", views.withdraw_join_request, name="withdraw_join"),
    path("requests/organisation/<int:pk>/decide/", views.decide_registration, name="decide_registration"),
    path(
        "requests/organisation/<int:pk>/withdraw/",
        views.withdraw_registration,
        name="withdraw_registration",
    ),
    path("clusters/<slug:slug>/add/", views.cluster_find, name="cluster_find"),
    path("clusters/<slug:slug>/add/<slug:organisation_slug>/", views.cluster_ask, name="cluster_ask"),
    path("requests/cluster/<int:pk>/decide/", views.decide_cluster_request, name="decide_cluster"),
    path("requests/cluster/<int:pk>/withdraw/", views.withdraw_cluster_request, name="withdraw_cluster"),
    path("interests/", views.interests, name="interests"),
    path("interests/send/<int:pk>/", views.send_interest, name="send_interest"),
    path("interests/<int:pk>/decide/", views.decide_interest, name="decide_interest"),
    path("interests/<int:pk>/withdraw/", views.withdraw_interest, name="withdraw_interest"),
]
