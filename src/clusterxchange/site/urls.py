"""The public programme site under /programme/<slug>/."""

from django.urls import path

from clusterxchange.site import public as site

app_name = "site"

urlpatterns = [
    path("", site.programme_index, name="index"),
    path("<slug:slug>/", site.about, name="about"),
    path("<slug:slug>/partners/", site.partners, name="partners"),
    path("<slug:slug>/missions/", site.events, name="events"),
    path("<slug:slug>/take-part/", site.take_part, name="take_part"),
]
