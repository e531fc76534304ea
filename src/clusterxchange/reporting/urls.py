from django.urls import path

from clusterxchange.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/partners/<int:pk>/", views.partner, name="partner"),
    path("<slug:slug>/tables/<slug:key>.<str:fmt>", views.export_table, name="export_table"),
    path("<slug:slug>/records/<slug:measure>/", views.record_list, name="records"),
    path("<slug:slug>/export.xlsx", views.export_programme, name="export_programme"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/events/<slug:event>/follow-up/", views.event_follow_up, name="event_follow_up"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/report/news/", views.report_to_news, name="report_to_news"),
]
