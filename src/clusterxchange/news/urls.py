from django.urls import path

from clusterxchange.news import views
from clusterxchange.news.feeds import NewsFeed

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", NewsFeed(), name="feed"),
    path("feed/<slug:slug>/", NewsFeed(), name="programme_feed"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.article_create, name="create"),
    path("testimonials/", views.testimonial_list, name="testimonials"),
    path("testimonials/new/", views.testimonial_create, name="testimonial_create"),
    path("testimonials/mine/", views.my_testimonials, name="my_testimonials"),
    path("testimonials/moderation/", views.moderation, name="moderation"),
    path("testimonials/<int:pk>/withdraw/", views.testimonial_withdraw, name="testimonial_withdraw"),
    path("testimonials/<int:pk>/moderate/", views.testimonial_moderate, name="testimonial_moderate"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/image/", views.article_image, name="image"),
    path("<slug:slug>/edit/", views.article_edit, name="edit"),
    path("<slug:slug>/publish/", views.article_publish, name="publish"),
    path("<slug:slug>/unpublish/", views.article_unpublish, name="unpublish"),
    path("<slug:slug>/delete/", views.article_delete, name="delete"),
]
