"""Core pages: home, health, language switch, what waits for the signed-in person."""

from tests.security.access import E, Url

URLS = {
    "home": Url(get=E(rest="ok")),
    "health": Url(get=E(rest="ok")),
    "waiting": Url(get=E(login="anonymous", rest="ok")),
    "waiting_box": Url(get=E(login="anonymous", rest="ok")),
    "set_language": Url(
        get=E(rest="redirect"), post=E(rest="redirect"), data=lambda s: {"language": "fr", "next": "/"}
    ),
}
