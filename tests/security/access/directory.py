"""Directory: organisations, people, opportunities of the owner's organisation (Alpha Sensors, cluster A)."""

from tests.security.access import E, Op, Url, form, kw

PARTNERS = E(forbidden="owner outsider", login="anonymous", rest="ok")  # partner managers, coordinator
ORG_A1 = E(forbidden="other_manager outsider", login="anonymous", rest="ok")  # who may edit Alpha Sensors
org, person, hidden = kw(slug="w.org_a1.slug"), kw(pk="w.person_a1.pk"), kw(pk="w.hidden_person_a1.pk")
opportunity, draft = kw(pk="w.opportunity_a1.pk"), kw(pk="w.draft_a1.pk")

URLS = {
    "directory:organisations": Url(get=E(rest="ok")),
    "directory:clusters": Url(get=E(rest="ok")),
    "directory:organisation_create": form(PARTNERS),
    "directory:organisation": Url(get=E(rest="ok"), kwargs=org),
    "directory:organisation_edit": form(ORG_A1, kwargs=org),
    "directory:organisation_delete": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=org,
        note="refused with a message while exchanges refer to it (was a 500)",
    ),
    "directory:organisation_suggestions": Url(get=ORG_A1, kwargs=org),
    "directory:person_create": form(ORG_A1, kwargs=org),
    "directory:opportunity_create": form(ORG_A1, kwargs=org),
    "directory:people": Url(get=E(rest="ok")),
    "directory:person": Url(get=E(forbidden="anonymous", rest="ok"), kwargs=hidden),
    "directory:person_edit": form(ORG_A1, kwargs=person),
    "directory:opportunities": Url(get=E(rest="ok")),
    "directory:opportunity": Url(
        get=E(forbidden="other_manager outsider anonymous", rest="ok"), kwargs=draft
    ),
    "directory:opportunity_edit": form(ORG_A1, kwargs=opportunity),
    "directory:import": form(PARTNERS),
}


API = {
    ("GET", "/api/reference/countries"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/ecosystems"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/languages"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/nace"): Op(expect=E(rest="ok")),
    ("GET", "/api/reference/opportunity-types"): Op(expect=E(rest="ok")),
    ("GET", "/api/me"): Op(expect=E(login="anonymous", rest="ok")),
    ("GET", "/api/organisations"): Op(expect=E(rest="ok")),
    ("POST", "/api/organisations"): Op(
        expect=PARTNERS,
        body=lambda s: {"name": "Sweep Org", "org_type": "sme", "country": "FR"},
    ),
    ("GET", "/api/organisations/{slug}"): Op(expect=E(rest="ok"), params=org),
    ("PATCH", "/api/organisations/{slug}"): Op(
        expect=ORG_A1,
        params=org,
        body=lambda s: {"description": "Changed"},
    ),
    ("DELETE", "/api/organisations/{slug}"): Op(
        expect=E(invalid="coordinator manager", login="anonymous", rest="forbidden"),
        params=org,
        note="422 while exchanges refer to it (was a 500)",
    ),
    ("GET", "/api/organisations/{slug}/people"): Op(expect=E(rest="ok"), params=org),
    ("POST", "/api/organisations/{slug}/people"): Op(
        expect=ORG_A1,
        params=org,
        body=lambda s: {"first_name": "Sam", "last_name": "Sweep"},
    ),
    ("POST", "/api/organisations/{slug}/opportunities"): Op(
        expect=ORG_A1,
        params=org,
        body=lambda s: {"type": "technology-offer", "title": "T", "description": "D"},
    ),
    ("GET", "/api/organisations/{slug}/suggestions"): Op(expect=ORG_A1, params=org),
    ("GET", "/api/people/{person_id}"): Op(
        expect=E(forbidden="anonymous", rest="ok"), params=kw(person_id="w.hidden_person_a1.pk")
    ),
    ("PATCH", "/api/people/{person_id}"): Op(
        expect=ORG_A1,
        params=kw(person_id="w.person_a1.pk"),
        body=lambda s: {"position": "CTO"},
    ),
    ("DELETE", "/api/people/{person_id}"): Op(
        expect=ORG_A1,
        params=kw(person_id="w.person_a1.pk"),
    ),
    ("GET", "/api/opportunities"): Op(expect=E(rest="ok")),
    ("GET", "/api/opportunities/{opportunity_id}"): Op(
        expect=E(forbidden="other_manager outsider anonymous", rest="ok"),
        params=kw(opportunity_id="w.draft_a1.pk"),
    ),
    ("PATCH", "/api/opportunities/{opportunity_id}"): Op(
        expect=ORG_A1,
        params=kw(opportunity_id="w.opportunity_a1.pk"),
        body=lambda s: {"title": "Changed"},
    ),
    ("DELETE", "/api/opportunities/{opportunity_id}"): Op(
        expect=ORG_A1,
        params=kw(opportunity_id="w.opportunity_a1.pk"),
    ),
}
