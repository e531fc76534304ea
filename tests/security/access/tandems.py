"""Tandems between partner A (learner) and partner C (mentor); the strategy review of partner A."""

from tests.security.access import E, Op, Url


def tandem(s):
    return {"pk": s.t.tandem.pk}


def session(s):
    return {"pk": s.t.session.pk}


def review(s):
    return {"pk": s.t.review.pk}


URLS = {
    "tandems:list": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "tandems:create": Url(
        get=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        post=E(forbidden="owner outsider", login="anonymous", rest="ok"),
    ),
    "tandems:detail": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"), kwargs=tandem
    ),
    "tandems:edit": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=tandem,
    ),
    "tandems:session_create": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=tandem,
    ),
    "tandems:session_edit": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=session,
    ),
    "tandems:session_log": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=session,
    ),
    "tandems:outcome_create": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=tandem,
    ),
    "tandems:capabilities": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "tandems:assess": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"partner_pk": s.t.partner_a.pk},
    ),
    "tandems:reviews": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "tandems:review_create": Url(
        get=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        post=E(forbidden="owner outsider", login="anonymous", rest="ok"),
    ),
    "tandems:review": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"), kwargs=review
    ),
    "tandems:review_edit": Url(
        get=E(ok="coordinator", login="anonymous", rest="forbidden"),
        post=E(ok="coordinator", login="anonymous", rest="forbidden"),
        kwargs=review,
    ),
}

API = {
    ("GET", "/api/tandems/topics"): Op(expect=E(rest="ok")),
    ("GET", "/api/tandems/"): Op(expect=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    ("POST", "/api/tandems/"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "programme": s.w.programme.slug,
            "topic": "cybersecurity",
            "title": "T",
            "goals": "G",
            "start_date": "2024-01-01",
            "end_date": "2024-12-31",
            "participants": [
                {"partner_id": s.t.partner_a.pk, "role": "learner"},
                {"partner_id": s.t.partner_c.pk, "role": "mentor"},
            ],
        },
    ),
    ("GET", "/api/tandems/{tandem_id}"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"tandem_id": s.t.tandem.pk},
    ),
    ("PATCH", "/api/tandems/{tandem_id}"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"tandem_id": s.t.tandem.pk},
        body=lambda s: {"title": "Changed"},
    ),
    ("POST", "/api/tandems/{tandem_id}/sessions"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"tandem_id": s.t.tandem.pk},
        body=lambda s: {"title": "Second", "mode": "virtual", "date": "2023-03-01"},
    ),
    ("POST", "/api/tandems/{tandem_id}/outcomes"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"tandem_id": s.t.tandem.pk},
        body=lambda s: {
            "partner_id": s.t.partner_a.pk,
            "kind": "new",
            "service": "SOC",
            "description": "D",
        },
    ),
    ("POST", "/api/tandems/sessions/{session_id}/log"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"session_id": s.t.session.pk},
        body=lambda s: {"held": True},
    ),
    ("GET", "/api/tandems/assessments"): Op(
        expect=E(forbidden="owner outsider", login="anonymous", rest="ok")
    ),
    ("POST", "/api/tandems/assessments"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "partner_id": s.t.partner_a.pk,
            "period_id": s.t.period_1.pk,
            "ratings": [{"topic": "cybersecurity", "level": 3}],
        },
    ),
    ("GET", "/api/tandems/suggestions"): Op(
        expect=E(forbidden="owner outsider", login="anonymous", rest="ok")
    ),
    ("GET", "/api/tandems/strategy-reviews"): Op(
        expect=E(forbidden="owner outsider", login="anonymous", rest="ok")
    ),
    ("POST", "/api/tandems/strategy-reviews"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "reviewed_id": s.t.partner_a.pk,
            "reviewer_cluster_ids": [s.t.partner_c.pk],
            "reviewers": "R",
            "strategy_title": "S",
            "review_date": "2023-06-01",
        },
    ),
    ("GET", "/api/tandems/strategy-reviews/{review_id}"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"review_id": s.t.review.pk},
    ),
    ("PATCH", "/api/tandems/strategy-reviews/{review_id}"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        params=lambda s: {"review_id": s.t.review.pk},
        body=lambda s: {"findings": "Changed"},
    ),
}
