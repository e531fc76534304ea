"""Events: a B2B event hosted by cluster A; the owner's registration, a meeting with a cluster B company."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.access import E, Op, Url, action, form

# The event's organisers: the coordinator and the host cluster's manager (a page; an action's redirect).
ORGANISERS = E(ok="coordinator manager", login="anonymous", rest="forbidden")
ORGANISERS_DONE = E(redirect="coordinator manager", login="anonymous", rest="forbidden")


def ev(s):
    return {"slug": s.ev.event.slug}


def ev_pk(attr):
    return lambda s: {"slug": s.ev.event.slug, "pk": attr(s).pk}


URLS = {
    "events:list": Url(get=E(rest="ok")),
    "events:create": form(E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "events:detail": Url(get=E(rest="ok"), kwargs=ev),
    "events:edit": form(ORGANISERS, kwargs=ev),
    "events:item_add": action(ORGANISERS_DONE, kwargs=ev),
    "events:item_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.item)),
    "events:register": form(
        E(forbidden="coordinator", redirect="owner", login="anonymous", rest="ok"), kwargs=ev
    ),
    "events:registrations": Url(get=ORGANISERS, kwargs=ev),
    "events:registration_decide": action(
        ORGANISERS_DONE,
        kwargs=ev_pk(lambda s: s.ev.participant),
        data=lambda s: {"answer": "decline"},
    ),
    "events:registration_cancel": action(
        E(forbidden="other_manager outsider", login="anonymous", rest="redirect"),
        kwargs=ev_pk(lambda s: s.ev.participant),
    ),
    "events:registration_exchange": action(
        ORGANISERS_DONE,
        kwargs=ev_pk(lambda s: s.ev.participant),
        data=lambda s: {"reference": s.matched.reference},
    ),
    "events:marketplace": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"), kwargs=ev
    ),
    "events:requests": Url(get=E(ok="owner", login="anonymous", rest="forbidden"), kwargs=ev),
    "events:request_create": action(
        E(redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=ev,
        data=lambda s: {"recipient": s.ev.other.pk},
    ),
    "events:request_respond": action(
        ORGANISERS_DONE,
        kwargs=ev_pk(lambda s: s.ev.pending),
        data=lambda s: {"answer": "decline"},
    ),
    "events:request_cancel": action(
        E(forbidden="other_manager outsider", login="anonymous", rest="redirect"),
        kwargs=ev_pk(lambda s: s.ev.pending),
    ),
    "events:availability": form(E(ok="owner", login="anonymous", rest="forbidden"), kwargs=ev),
    "events:schedule": Url(get=ORGANISERS, kwargs=ev),
    "events:session_add": action(ORGANISERS_DONE, kwargs=ev),
    "events:session_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.ev.session_pm)),
    "events:tables": action(
        ORGANISERS_DONE,
        kwargs=ev,
        data=lambda s: {"count": 5},
    ),
    "events:table_assign": action(ORGANISERS_DONE, kwargs=ev),
    "events:run_start": action(ORGANISERS_DONE, kwargs=ev),
    "events:run_status": Url(get=ORGANISERS, kwargs=ev_pk(lambda s: s.run)),
    "events:meeting_lock": action(
        ORGANISERS_DONE,
        kwargs=ev_pk(lambda s: s.meeting),
        data=lambda s: {"locked": "1"},
    ),
    "events:meeting_order_add": action(ORGANISERS_DONE, kwargs=ev),
    "events:meeting_order_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.meeting)),
    "events:publish": action(ORGANISERS_DONE, kwargs=ev),
    "events:grid": [
        Url(get=ORGANISERS, kwargs=ev),
        Url(get=ORGANISERS, kwargs=ev, query=lambda s: f"?move={s.meeting.pk}&page=2&day=2031-06-20"),
    ],
    "events:meeting_move": action(
        ORGANISERS_DONE,
        kwargs=ev_pk(lambda s: s.meeting),
        data=lambda s: {
            "slot": s.ev.event.sessions.order_by("date", "start_time").first().slots.last().pk,
            "table": s.ev.event.tables.order_by("number").last().pk,
        },
    ),
    "events:meeting_cancel": action(
        ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.meeting), data=lambda s: {"reason": "sweep"}
    ),
    "events:agenda": [
        Url(get=E(ok="owner", login="anonymous", rest="forbidden"), kwargs=ev),
        Url(
            get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
            kwargs=ev,
            query=lambda s: f"?registration={s.ev.participant.pk}",
        ),
    ],
    "events:agenda_pdf": Url(get=E(ok="owner", login="anonymous", rest="forbidden"), kwargs=ev),
    "events:calendar": Url(
        get=E(rest="ok"), kwargs=lambda s: {"slug": s.ev.event.slug, "token": s.ev.participant.calendar_token}
    ),
    "events:feedback": action(
        E(redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=ev_pk(lambda s: s.meeting),
        data=lambda s: {"took_place": "on", "usefulness": 4},
    ),
    # Hybrid meetings: the meeting's parties (the owner here) and the organisers.
    "events:meeting_video": action(
        E(forbidden="other_manager outsider", login="anonymous", rest="redirect"),
        kwargs=ev_pk(lambda s: s.meeting),
        data=lambda s: {"online": "on", "video_link": "https://meet.example.org/room"},
    ),
    # The installable agenda: its manifest is as public as the event; the worker is a static script.
    "events:agenda_manifest": Url(get=E(rest="ok"), kwargs=ev),
    "events:agenda_service_worker": Url(get=E(rest="ok")),
    "events:statistics": Url(get=ORGANISERS, kwargs=ev),
    # The event day (views_day.py): the organisers (and the event staff they name, whom this world
    # has none of: tests/events/test_staff.py checks them).
    "events:checkin": Url(get=ORGANISERS, kwargs=ev, query="?q=alpha"),
    "events:staff_add": action(
        ORGANISERS_DONE, kwargs=ev, data=lambda s: {"email": s.users["outsider"].email}
    ),
    "events:staff_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.users["outsider"])),
    "events:checkin_counts": Url(get=ORGANISERS, kwargs=ev),
    "events:checkin_code": action(ORGANISERS_DONE, kwargs=ev, data=lambda s: {"code": "forged"}),
    "events:checkin_person": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.ev.participant)),
    "events:checkin_undo": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.ev.participant)),
    "events:absent": Url(
        get=ORGANISERS, post=ORGANISERS_DONE, kwargs=ev, data=lambda s: {"registrations": [s.ev.other.pk]}
    ),
    "events:badges": Url(get=ORGANISERS, kwargs=ev),
    "events:book": Url(
        get=ORGANISERS,
        post=ORGANISERS_DONE,
        kwargs=ev,
        data=lambda s: {"participants": [s.ev.participant.pk, s.ev.other.pk]},
    ),
    "events:register_for": Url(
        get=ORGANISERS,
        post=ORGANISERS_DONE,
        kwargs=ev,
        query="?q=beta",
        data=lambda s: {"organisation": s.w.org_a2.pk, "role": "local"},
    ),
    "events:badge": [
        Url(get=E(ok="owner", login="anonymous", rest="forbidden"), kwargs=ev),
        Url(
            get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
            kwargs=ev,
            query=lambda s: f"?registration={s.ev.participant.pk}",
        ),
    ],
    "events:meeting_attendance": action(
        ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.meeting), data=lambda s: {"attendance": "held"}
    ),
    "events:report_no_show": action(
        E(redirect="owner", login="anonymous", rest="forbidden"), kwargs=ev_pk(lambda s: s.meeting)
    ),
    # Registration questions, participant types and the import (views_setup.py).
    "events:questions": form(ORGANISERS, kwargs=ev),
    "events:question_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.question)),
    "events:type_add": action(ORGANISERS_DONE, kwargs=ev, data=lambda s: {"name": "Supplier"}),
    "events:type_remove": action(ORGANISERS_DONE, kwargs=ev_pk(lambda s: s.participant_type)),
    "events:type_pairs": action(ORGANISERS_DONE, kwargs=ev, data=lambda s: {}),
    "events:answers": Url(
        get=E(ok="owner", login="anonymous", rest="forbidden"),
        post=E(redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=ev,
        data=lambda s: {f"question_{s.question.pk}": "Energy", "participant_type": s.participant_type.pk},
    ),
    "events:import": form(ORGANISERS, kwargs=ev),
    "events:import_job": Url(get=ORGANISERS, kwargs=ev_pk(lambda s: s.event_import)),
    "events:learnings": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=ev,
        data=lambda s: {"learnings": "x", "actions": "y"},
    ),
}


def slug(s):
    return {"slug": s.ev.event.slug}


API = {
    ("GET", "/api/events"): Op(expect=E(rest="ok"), query="?when=all"),
    ("POST", "/api/events"): Op(
        expect=ORGANISERS,
        body=lambda s: {
            "kind": "b2b",
            "title": "Sweep B2B",
            "host_cluster": s.w.cluster_a.slug,
            "city": "Nice",
            "country": "FR",
            "start_date": "2031-07-01",
            "end_date": "2031-07-01",
        },
    ),
    ("GET", "/api/events/{slug}"): Op(expect=E(rest="ok"), params=slug),
    ("GET", "/api/events/{slug}/agenda"): Op(
        expect=E(ok="owner", login="anonymous", rest="forbidden"), params=slug
    ),
    ("PUT", "/api/events/{slug}/availability"): Op(
        expect=E(ok="owner", login="anonymous", rest="forbidden"), params=slug, body=lambda s: {}
    ),
    ("POST", "/api/events/{slug}/meetings/{meeting_id}/lock"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
        body=lambda s: {"locked": True},
    ),
    ("GET", "/api/events/{slug}/participants"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"), params=slug
    ),
    ("POST", "/api/events/{slug}/programme"): Op(
        expect=ORGANISERS,
        params=slug,
        body=lambda s: {
            "title": "Lunch",
            "starts_at": "2031-06-20T12:00:00+02:00",
            "ends_at": "2031-06-20T13:00:00+02:00",
        },
    ),
    ("POST", "/api/events/{slug}/publish"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"final": False},
    ),
    ("GET", "/api/events/{slug}/registrations"): Op(expect=ORGANISERS, params=slug),
    # Registration questions and participant types (api_setup.py).
    ("GET", "/api/events/{slug}/questions"): Op(expect=E(rest="ok"), params=slug),
    ("POST", "/api/events/{slug}/questions"): Op(
        expect=ORGANISERS, params=slug, body=lambda s: {"text": "Dinner?", "kind": "yes_no"}
    ),
    ("PATCH", "/api/events/{slug}/questions/{question_id}"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "question_id": s.question.pk},
        body=lambda s: {"required": True},
    ),
    ("DELETE", "/api/events/{slug}/questions/{question_id}"): Op(
        expect=ORGANISERS, params=lambda s: {"slug": s.ev.event.slug, "question_id": s.question.pk}
    ),
    ("GET", "/api/events/{slug}/participant-types"): Op(expect=E(rest="ok"), params=slug),
    ("POST", "/api/events/{slug}/participant-types"): Op(
        expect=ORGANISERS, params=slug, body=lambda s: {"name": "Supplier"}
    ),
    ("PUT", "/api/events/{slug}/participant-types/pairs"): Op(
        expect=ORGANISERS,
        params=slug,
        body=lambda s: {"pairs": [[s.participant_type.pk, s.participant_type.pk]]},
    ),
    ("GET", "/api/events/{slug}/registrations/{registration_id}/answers"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"slug": s.ev.event.slug, "registration_id": s.ev.participant.pk},
    ),
    ("PUT", "/api/events/{slug}/registrations/{registration_id}/answers"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"slug": s.ev.event.slug, "registration_id": s.ev.participant.pk},
        body=lambda s: {
            "answers": {str(s.question.pk): "Energy"},
            "participant_type": s.participant_type.pk,
        },
    ),
    ("POST", "/api/events/{slug}/registrations"): Op(
        expect=E(login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"organisation": s.w.org_b1.slug},
    ),
    ("DELETE", "/api/events/{slug}/registrations/{registration_id}"): Op(
        expect=E(not_found="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"slug": s.ev.event.slug, "registration_id": s.ev.participant.pk},
    ),
    ("POST", "/api/events/{slug}/registrations/{registration_id}/decision"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "registration_id": s.ev.participant.pk},
        body=lambda s: {"decision": "reject", "reason": "Full"},
    ),
    ("GET", "/api/events/{slug}/requests"): Op(
        expect=E(ok="owner", login="anonymous", rest="forbidden"), params=slug
    ),
    ("POST", "/api/events/{slug}/requests"): Op(
        expect=E(invalid="owner", login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"recipient": s.ev.other.pk},
    ),
    ("POST", "/api/events/{slug}/requests/{request_id}/answer"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.ev.event.slug, "request_id": s.ev.pending.pk},
        body=lambda s: {"answer": "decline"},
    ),
    ("POST", "/api/events/{slug}/schedule"): Op(expect=ORGANISERS, params=slug),
    ("GET", "/api/events/{slug}/schedule/notes"): Op(expect=ORGANISERS, params=slug),
    ("POST", "/api/events/{slug}/imports"): Op(
        expect=ORGANISERS,
        params=slug,
        multipart=True,
        body=lambda s: {
            "file": SimpleUploadedFile("participants.csv", b"organisation\nBeta Software\n", "text/csv"),
            "kind": "participants",
        },
    ),
    ("GET", "/api/events/{slug}/imports/{import_id}"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "import_id": s.event_import.pk},
    ),
    ("GET", "/api/events/{slug}/schedule/runs/{run_id}"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "run_id": s.run.pk},
    ),
    ("POST", "/api/events/{slug}/sessions"): Op(
        expect=ORGANISERS,
        params=slug,
        body=lambda s: {"name": "Evening", "date": "2031-06-20", "start_time": "17:00", "end_time": "18:00"},
    ),
    ("GET", "/api/events/{slug}/statistics"): Op(expect=ORGANISERS, params=slug),
    ("GET", "/api/events/{slug}/staff"): Op(expect=ORGANISERS, params=slug),
    ("POST", "/api/events/{slug}/staff"): Op(
        expect=ORGANISERS, params=slug, body=lambda s: {"email": s.users["outsider"].email}
    ),
    ("DELETE", "/api/events/{slug}/staff/{user_id}"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.ev.event.slug, "user_id": s.users["outsider"].pk},
    ),
    ("GET", "/api/events/{slug}/checkin/counts"): Op(expect=ORGANISERS, params=slug),
    ("GET", "/api/events/{slug}/checkin/search"): Op(expect=ORGANISERS, params=slug, query="?q=alpha"),
    ("POST", "/api/events/{slug}/checkin"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"code": "forged"},
    ),
    ("POST", "/api/events/{slug}/registrations/{registration_id}/checkin"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "registration_id": s.ev.participant.pk},
    ),
    ("POST", "/api/events/{slug}/absent/release"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"registrations": [s.ev.other.pk]},
    ),
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/attendance"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
        body=lambda s: {"attendance": "held"},
    ),
    ("POST", "/api/events/{slug}/meetings/{meeting_id}/no-show"): Op(
        expect=E(conflict="owner", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
    ),
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/video"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
        body=lambda s: {"online": True, "video_link": "https://meet.example.org/room"},
    ),
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/place"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
        body=lambda s: {
            "slot": s.ev.event.sessions.order_by("date", "start_time").first().slots.last().pk,
            "table": s.ev.event.tables.order_by("number").last().pk,
        },
    ),
    ("POST", "/api/events/{slug}/meetings/{meeting_id}/cancel"): Op(
        expect=ORGANISERS,
        params=lambda s: {"slug": s.ev.event.slug, "meeting_id": s.meeting.pk},
        body=lambda s: {"reason": "sweep"},
    ),
    ("POST", "/api/events/{slug}/on-behalf/registrations"): Op(
        expect=ORGANISERS,
        params=slug,
        body=lambda s: {"organisation": s.w.org_a2.slug},
    ),
    ("POST", "/api/events/{slug}/on-behalf/requests"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        params=slug,
        body=lambda s: {"requester": s.ev.participant.pk, "recipient": s.ev.other.pk, "book": True},
    ),
    ("GET", "/api/events/{slug}/suggestions"): Op(
        expect=E(ok="owner", login="anonymous", rest="forbidden"), params=slug
    ),
    ("PUT", "/api/events/{slug}/tables"): Op(
        expect=ORGANISERS,
        params=slug,
        body=lambda s: {"count": 4},
    ),
}
