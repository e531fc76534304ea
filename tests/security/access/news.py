"""News and the public programme site: partner A's draft article, the owner's testimonials (tests/news)."""

from tests.security.access import E, Op, Url, action, form


def draft(s):
    return {"slug": s.nw.draft.slug}


def programme(s):
    return {"slug": s.w.programme.slug}


URLS = {
    "news:list": Url(get=E(rest="ok")),
    "news:feed": Url(get=E(rest="ok")),
    "news:programme_feed": Url(get=E(rest="ok"), kwargs=programme),
    "news:manage": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "news:create": form(E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "news:testimonials": Url(get=E(rest="ok")),
    "news:testimonial_create": form(E(forbidden="coordinator", login="anonymous", rest="ok")),
    "news:my_testimonials": Url(get=E(login="anonymous", rest="ok")),
    "news:moderation": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "news:testimonial_withdraw": action(
        E(not_found="other_manager outsider", redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"pk": s.nw.pending.pk},
    ),
    "news:testimonial_moderate": action(
        E(not_found="other_manager outsider", forbidden="owner", login="anonymous", rest="redirect"),
        kwargs=lambda s: {"pk": s.nw.pending.pk},
        data=lambda s: {"action": "approve"},
    ),
    "news:detail": Url(get=E(ok="coordinator manager", rest="not_found"), kwargs=draft),
    "news:image": Url(get=E(rest="not_found"), kwargs=draft),
    "news:edit": form(E(ok="coordinator manager", login="anonymous", rest="not_found"), kwargs=draft),
    "news:publish": action(
        E(redirect="coordinator manager", login="anonymous", rest="not_found"), kwargs=draft
    ),
    "news:unpublish": action(
        E(redirect="coordinator", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"slug": s.nw.published.slug},
    ),
    "news:delete": action(
        E(redirect="coordinator", forbidden="manager", login="anonymous", rest="not_found"), kwargs=draft
    ),
    "site:index": Url(get=E(rest="redirect")),
    "site:about": Url(get=E(rest="ok"), kwargs=programme),
    "site:partners": Url(get=E(rest="ok"), kwargs=programme),
    "site:events": Url(get=E(rest="ok"), kwargs=programme),
    "site:take_part": Url(get=E(rest="ok"), kwargs=programme),
}


API = {
    ("GET", "/api/news/articles"): Op(expect=E(rest="ok")),
    ("POST", "/api/news/articles"): Op(
        expect=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        body=lambda s: {"programme": s.w.programme.slug, "title": "T", "body_markdown": "B"},
    ),
    ("GET", "/api/news/articles/{slug}"): Op(
        expect=E(ok="coordinator manager", rest="not_found"), params=draft
    ),
    ("PATCH", "/api/news/articles/{slug}"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="not_found"),
        params=draft,
        body=lambda s: {"title": "Changed"},
    ),
    ("POST", "/api/news/articles/{slug}/publish"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="not_found"),
        params=draft,
        body=lambda s: {},
    ),
    ("POST", "/api/news/articles/{slug}/unpublish"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.nw.published.slug},
    ),
    ("GET", "/api/news/testimonials"): Op(expect=E(rest="ok")),
    ("GET", "/api/news/testimonials/mine"): Op(expect=E(login="anonymous", rest="ok")),
    ("POST", "/api/news/testimonials"): Op(
        expect=E(forbidden="coordinator", login="anonymous", rest="ok"),
        body=lambda s: {"programme": s.w.programme.slug, "text": "T", "author_name": "Sam", "consent": True},
    ),
    ("POST", "/api/news/testimonials/{testimonial_id}/withdraw"): Op(
        expect=E(not_found="other_manager outsider", ok="owner", login="anonymous", rest="forbidden"),
        params=lambda s: {"testimonial_id": s.nw.pending.pk},
    ),
    ("POST", "/api/news/testimonials/{testimonial_id}/moderate"): Op(
        expect=E(not_found="other_manager outsider", forbidden="owner", login="anonymous", rest="ok"),
        params=lambda s: {"testimonial_id": s.nw.pending.pk},
        body=lambda s: {"action": "approve"},
    ),
}
