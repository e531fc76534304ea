"""Directory: organisations, people, opportunities of the owner's organisation (Alpha Sensors, cluster A)."""

from tests.security.access import E, Op, Url


def org(s):
    return {"slug": s.w.org_a1.slug}


def person(s):
    return {"pk": s.w.person_a1.pk}


def hidden(s):
    return {"pk": s.w.hidden_person_a1.pk}


def opportunity(s):
    return {"pk": s.w.opportunity_a1.pk}


def draft(s):
    return {"pk": s.w.draft_a1.pk}


URLS = {
    "directory:organisations": Url(get=E(rest="ok")),
    "directory:clusters": Url(get=E(rest="ok")),
    "directory:organisation_create": Url(
        get=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        post=E(forbidden="owner outsider", login="anonymous", rest="ok"),
    ),
    "directory:organisation": Url(get=E(rest="ok"), kwargs=org),
    "directory:organisation_edit": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        kwargs=org,
    ),
    "directory:organisation_delete": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=org,
        note="refused with a message while exchanges refer to it (was a 500)",
    ),
    "directory:organisation_suggestions": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"), kwargs=org
    ),
    "directory:person_create": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        kwargs=org,
    ),
    "directory:opportunity_create": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        kwargs=org,
    ),
    "directory:people": Url(get=E(rest="ok")),
    "directory:person": Url(get=E(forbidden="anonymous", rest="ok"), kwargs=hidden),
    "directory:person_edit": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        kwargs=person,
    ),
    "directory:opportunities": Url(get=E(rest="ok")),
    "directory:opportunity": Url(
        get=E(forbidden="other_manager outsider anonymous", rest="ok"), kwargs=draft
    ),
    "directory:opportunity_edit": Url(
        get=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        post=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        kwargs=opportunity,
    ),
    "directory:import": Url(
        get=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        post=E(forbidden="owner outsider", login="anonymous", rest="ok"),
    ),
}


def org_slug(s):
    return {"slug": s.w.org_a1.slug}


API = {
    ("GET", "/api/reference/countries"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/ecosystems"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/languages"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/nace"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/opportunity-types"): Op(expect=E(rest="ok")),
    ("GET", "/api/me"): Op(expect=E(login="anonymous", rest="ok")),
    ("GET", "/api/organisations"): Op(expect=E(rest="ok")),
    ("POST", "/api/organisations"): Op(
        expect=E(forbidden="owner outsider", login="anonymous", rest="ok"),
        body=lambda s: {"name": "Sweep Org", "org_type": "sme", "country": "FR"},
    ),
    ("GET", "/api/organisations/{slug}"): Op(expect=E(rest="ok"), params=org_slug),
    ("PATCH", "/api/organisations/{slug}"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=org_slug,
        body=lambda s: {"description": "Changed"},
    ),
    ("DELETE", "/api/organisations/{slug}"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        params=org_slug,
        note="422 while exchanges refer to it (was a 500)",
    ),
    ("GET", "/api/organisations/{slug}/people"): Op(expect=E(rest="ok"), params=org_slug),
    ("POST", "/api/organisations/{slug}/people"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=org_slug,
        body=lambda s: {"first_name": "Sam", "last_name": "Sweep"},
    ),
    ("POST", "/api/organisations/{slug}/opportunities"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=org_slug,
        body=lambda s: {"type": "technology-offer", "title": "T", "description": "D"},
    ),
    ("GET", "/api/organisations/{slug}/suggestions"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"), params=org_slug
    ),
    ("GET", "/api/people/{person_id}"): Op(
        expect=E(forbidden="anonymous", rest="ok"), params=lambda s: {"person_id": s.w.hidden_person_a1.pk}
    ),
    ("PATCH", "/api/people/{person_id}"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"person_id": s.w.person_a1.pk},
        body=lambda s: {"position": "CTO"},
    ),
    ("DELETE", "/api/people/{person_id}"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"person_id": s.w.person_a1.pk},
    ),
    ("GET", "/api/opportunities"): Op(expect=E(rest="ok")),
    ("GET", "/api/opportunities/{opportunity_id}"): Op(
        expect=E(forbidden="other_manager outsider anonymous", rest="ok"),
        params=lambda s: {"opportunity_id": s.w.draft_a1.pk},
    ),
    ("PATCH", "/api/opportunities/{opportunity_id}"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"opportunity_id": s.w.opportunity_a1.pk},
        body=lambda s: {"title": "Changed"},
    ),
    ("DELETE", "/api/opportunities/{opportunity_id}"): Op(
        expect=E(forbidden="other_manager outsider", login="anonymous", rest="ok"),
        params=lambda s: {"opportunity_id": s.w.opportunity_a1.pk},
    ),
}
