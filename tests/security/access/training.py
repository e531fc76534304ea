"""Training: the catalogue, a pending entry (submitted by a cluster A member), cluster A's training records."""

from tests.security.access import E, Op, Url, action, form

URLS = {
    "training:catalogue": Url(get=E(rest="ok")),
    "training:calendar": Url(get=E(rest="ok")),
    "training:entry_create": form(E(login="anonymous", rest="ok")),
    "training:entry": Url(
        get=E(ok="coordinator", rest="not_found"), kwargs=lambda s: {"pk": s.t.pending_entry.pk}
    ),
    "training:entry_edit": form(
        E(ok="coordinator", login="anonymous", rest="forbidden"), kwargs=lambda s: {"pk": s.t.entry.pk}
    ),
    "training:moderate": action(
        E(redirect="coordinator", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"pk": s.t.pending_entry.pk},
        data=lambda s: {"decision": "approve"},
    ),
    "training:moderation": Url(get=E(ok="coordinator", login="anonymous", rest="forbidden")),
    "training:check_links": action(E(redirect="coordinator", login="anonymous", rest="forbidden")),
    "training:import": form(E(ok="coordinator", login="anonymous", rest="forbidden")),
    "training:records": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "training:record_create": form(E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "training:record_edit": form(
        E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"pk": s.t.record.pk},
    ),
    "training:record_certificate": Url(
        get=E(not_found="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"pk": s.t.record.pk},
    ),
    "training:suggestions": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
}

API = {
    ("GET", "/api/training/entries"): Op(expect=E(rest="ok")),
    ("POST", "/api/training/entries"): Op(
        expect=E(login="anonymous", rest="ok"),
        body=lambda s: {
            "title": "T",
            "provider": "P",
            "link": "https://x.example/",
            "topics": ["cybersecurity"],
            "format": "webinar",
        },
    ),
    ("GET", "/api/training/entries/{entry_id}"): Op(
        expect=E(ok="coordinator", rest="not_found"), params=lambda s: {"entry_id": s.t.pending_entry.pk}
    ),
    ("POST", "/api/training/entries/{entry_id}/moderation"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        params=lambda s: {"entry_id": s.t.pending_entry.pk},
        body=lambda s: {"publish": True},
    ),
    ("GET", "/api/training/records"): Op(expect=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    ("POST", "/api/training/records"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "partner_id": s.t.partner_a.pk,
            "person_id": s.t.person_a.pk,
            "entry_id": s.t.entry.pk,
            "enrolled_on": "2023-03-01",
        },
    ),
    ("PATCH", "/api/training/records/{record_id}"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"record_id": s.t.record.pk},
        body=lambda s: {"notes": "Changed"},
    ),
}
