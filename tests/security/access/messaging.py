"""Messages to groups: the manager of partner A writes to the event cluster A hosts (tests/messaging)."""

from tests.security.access import E, Op, Url, form

WRITERS = E(ok="coordinator manager other_manager", login="anonymous", rest="forbidden")
READERS = E(ok="coordinator manager", login="anonymous", rest="not_found")


def message(s):
    return {"pk": s.group_message.pk}


def unsubscribe(s):
    return {"token": s.unsubscribe_token}


def compose(s):
    return {
        "audience": f"event_participants:{s.ev.event.pk}",
        "subject": "Hello",
        "body": "Hi {name}",
        "preview": "1",
    }


URLS = {
    "messaging:list": Url(get=WRITERS),
    "messaging:compose": form(WRITERS, data=compose, changes=""),
    "messaging:detail": Url(get=READERS, kwargs=message),
    "messaging:status": Url(get=READERS, kwargs=message),
    "messaging:undelivered": Url(get=E(ok="coordinator", login="anonymous", rest="forbidden")),
    "messaging:texts": Url(get=E(ok="coordinator", login="anonymous", rest="forbidden")),
    "messaging:text_edit": form(
        E(ok="coordinator", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {
            "programme": s.w.programme.slug,
            "key": "events.request_reminder",
            "language": "de",
        },
        data=lambda s: {"subject": "Erinnerung: {name}", "body": "{name} wartet.", "action": "preview"},
        changes="",
    ),
    "messaging:unsubscribe": Url(get=E(rest="ok"), post=E(rest="redirect"), kwargs=unsubscribe),
}


API = {
    ("GET", "/api/messaging/messages"): Op(expect=WRITERS),
    ("GET", "/api/messaging/messages/{message_id}"): Op(
        expect=READERS, params=lambda s: {"message_id": s.group_message.pk}
    ),
    ("POST", "/api/messaging/messages"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "audience": f"event_participants:{s.ev.event.pk}",
            "subject": "Hello",
            "body": "Hi {name}",
        },
    ),
    ("POST", "/api/messaging/bounces"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        body=lambda s: {"address": "bounced@example.org", "reason": "bounce", "detail": "550"},
    ),
}
