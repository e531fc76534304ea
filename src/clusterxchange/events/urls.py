from django.urls import path

from clusterxchange.events import views, views_day, views_setup

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("agenda-sw.js", views.agenda_service_worker, name="agenda_service_worker"),
    path("new/", views.event_create, name="create"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/programme/", views.item_add, name="item_add"),
    path("<slug:slug>/programme/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/registrations/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("<slug:slug>/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path(
        "<slug:slug>/registrations/<int:pk>/exchange/",
        views.registration_exchange,
        name="registration_exchange",
    ),
    path("<slug:slug>/marketplace/", views.marketplace, name="marketplace"),
    path("<slug:slug>/requests/", views.requests_page, name="requests"),
    path("<slug:slug>/requests/new/", views.request_create, name="request_create"),
    path("<slug:slug>/requests/<int:pk>/respond/", views.request_respond, name="request_respond"),
    path("<slug:slug>/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("<slug:slug>/availability/", views.availability, name="availability"),
    path("<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/schedule/sessions/", views.session_add, name="session_add"),
    path("<slug:slug>/schedule/sessions/<int:pk>/remove/", views.session_remove, name="session_remove"),
    path("<slug:slug>/schedule/tables/", views.tables, name="tables"),
    path("<slug:slug>/schedule/tables/assign/", views.table_assign, name="table_assign"),
    path("<slug:slug>/schedule/run/", views.run_start, name="run_start"),
    path("<slug:slug>/schedule/runs/<int:pk>/", views.run_status, name="run_status"),
    path("<slug:slug>/schedule/meetings/<int:pk>/lock/", views.meeting_lock, name="meeting_lock"),
    path("<slug:slug>/schedule/order/", views.meeting_order_add, name="meeting_order_add"),
    path(
        "<slug:slug>/schedule/order/<int:pk>/remove/", views.meeting_order_remove, name="meeting_order_remove"
    ),
    path("<slug:slug>/schedule/publish/", views.publish, name="publish"),
    path("<slug:slug>/grid/", views.grid, name="grid"),
    path("<slug:slug>/meetings/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path("<slug:slug>/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/agenda/manifest.webmanifest", views.agenda_manifest, name="agenda_manifest"),
    path("<slug:slug>/calendar/<str:token>.ics", views.calendar, name="calendar"),
    path("<slug:slug>/meetings/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<slug:slug>/meetings/<int:pk>/video/", views.meeting_video, name="meeting_video"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/learnings/", views.learnings, name="learnings"),
    # The event day (views_day): check-in, badges, absent participants, attendance.
    path("<slug:slug>/checkin/", views_day.checkin, name="checkin"),
    path("<slug:slug>/checkin/counts/", views_day.checkin_counts, name="checkin_counts"),
    path("<slug:slug>/checkin/code/", views_day.checkin_code, name="checkin_code"),
    path("<slug:slug>/checkin/<int:pk>/", views_day.checkin_person, name="checkin_person"),
    path("<slug:slug>/checkin/<int:pk>/undo/", views_day.checkin_undo, name="checkin_undo"),
    path("<slug:slug>/checkin/absent/", views_day.absent, name="absent"),
    path("<slug:slug>/checkin/staff/", views_day.staff_add, name="staff_add"),
    path("<slug:slug>/checkin/staff/<int:pk>/remove/", views_day.staff_remove, name="staff_remove"),
    path("<slug:slug>/badges.pdf", views_day.badges_pdf, name="badges"),
    path("<slug:slug>/badge.pdf", views_day.badge_pdf, name="badge"),
    path(
        "<slug:slug>/meetings/<int:pk>/attendance/", views_day.meeting_attendance, name="meeting_attendance"
    ),
    path("<slug:slug>/meetings/<int:pk>/no-show/", views_day.report_no_show, name="report_no_show"),
    path("<slug:slug>/schedule/book/", views_day.book, name="book"),
    path("<slug:slug>/registrations/add/", views_day.register_for, name="register_for"),
    # Registration questions, participant types and the import (views_setup).
    path("<slug:slug>/questions/", views_setup.setup, name="questions"),
    path("<slug:slug>/questions/<int:pk>/remove/", views_setup.question_remove, name="question_remove"),
    path("<slug:slug>/participant-types/", views_setup.type_add, name="type_add"),
    path("<slug:slug>/participant-types/<int:pk>/remove/", views_setup.type_remove, name="type_remove"),
    path("<slug:slug>/participant-types/pairs/", views_setup.type_pairs, name="type_pairs"),
    path("<slug:slug>/answers/", views_setup.answers, name="answers"),
    path("<slug:slug>/import/", views_setup.import_view, name="import"),
]
