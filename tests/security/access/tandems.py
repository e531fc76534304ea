"""Tandems between partner A (learner) and partner C (mentor); the strategy review of partner A."""

from tests.security.access import E, Op, Url, form, kw

PARTNERS = E(forbidden="owner outsider", login="anonymous", rest="ok")  # any partner manager
MANAGERS = E(ok="coordinator manager", login="anonymous", rest="forbidden")  # partner A's manager
COORDINATOR = E(ok="coordinator", login="anonymous", rest="forbidden")
tandem, session, review = kw(pk="t.tandem.pk"), kw(pk="t.session.pk"), kw(pk="t.review.pk")

URLS = {
    "tandems:list": Url(get=PARTNERS),
    "tandems:create": form(PARTNERS),
    "tandems:detail": Url(get=MANAGERS, kwargs=tandem),
    "tandems:edit": form(MANAGERS, kwargs=tandem),
    "tandems:session_create": form(MANAGERS, kwargs=tandem),
    "tandems:session_edit": form(MANAGERS, kwargs=session),
    "tandems:session_log": form(MANAGERS, kwargs=session),
    "tandems:outcome_create": form(MANAGERS, kwargs=tandem),
    "tandems:capabilities": Url(get=PARTNERS),
    "tandems:assess": form(MANAGERS, kwargs=kw(partner_pk="t.partner_a.pk")),
    "tandems:reviews": Url(get=PARTNERS),
    "tandems:review_create": form(PARTNERS),
    "tandems:review": Url(get=MANAGERS, kwargs=review),
    "tandems:review_edit": form(COORDINATOR, kwargs=review),
}

API = {
    ("GET", "/api/tandems/topics"): Op(expect=E(rest="ok")),
    ("GET", "/api/tandems/"): Op(expect=PARTNERS),
    ("POST", "/api/tandems/"): Op(
        expect=MANAGERS,
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
    ("GET", "/api/tandems/{tandem_id}"): Op(expect=MANAGERS, params=kw(tandem_id="t.tandem.pk")),
    ("PATCH", "/api/tandems/{tandem_id}"): Op(
        expect=MANAGERS, params=kw(tandem_id="t.tandem.pk"), body=lambda s: {"title": "Changed"}
    ),
    ("POST", "/api/tandems/{tandem_id}/sessions"): Op(
        expect=MANAGERS,
        params=kw(tandem_id="t.tandem.pk"),
        body=lambda s: {"title": "Second", "mode": "virtual", "date": "2023-03-01"},
    ),
    ("POST", "/api/tandems/{tandem_id}/outcomes"): Op(
        expect=MANAGERS,
        params=kw(tandem_id="t.tandem.pk"),
        body=lambda s: {
            "partner_id": s.t.partner_a.pk,
            "kind": "new",
            "service": "SOC",
            "description": "D",
        },
    ),
    ("POST", "/api/tandems/sessions/{session_id}/log"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        params=kw(session_id="t.session.pk"),
        body=lambda s: {"held": True},
    ),
    ("GET", "/api/tandems/assessments"): Op(expect=PARTNERS),
    ("POST", "/api/tandems/assessments"): Op(
        expect=MANAGERS,
        body=lambda s: {
            "partner_id": s.t.partner_a.pk,
            "period_id": s.t.period_1.pk,
            "ratings": [{"topic": "cybersecurity", "level": 3}],
        },
    ),
    ("GET", "/api/tandems/suggestions"): Op(expect=PARTNERS),
    ("GET", "/api/tandems/strategy-reviews"): Op(expect=PARTNERS),
    ("POST", "/api/tandems/strategy-reviews"): Op(
        expect=COORDINATOR,
        body=lambda s: {
            "reviewed_id": s.t.partner_a.pk,
            "reviewer_cluster_ids": [s.t.partner_c.pk],
            "reviewers": "R",
            "strategy_title": "S",
            "review_date": "2023-06-01",
        },
    ),
    ("GET", "/api/tandems/strategy-reviews/{review_id}"): Op(
        expect=MANAGERS, params=kw(review_id="t.review.pk")
    ),
    ("PATCH", "/api/tandems/strategy-reviews/{review_id}"): Op(
        expect=COORDINATOR, params=kw(review_id="t.review.pk"), body=lambda s: {"findings": "Changed"}
    ),
}
