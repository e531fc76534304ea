"""Programme set-up (TEST): its coordinators change it; the managers of its partner clusters A and B
read it; creating a programme is for coordinators (of any programme) and superusers."""

from tests.security.access import STAFF, USERS, E, Op, Url, action, form

READERS = E(ok="coordinator manager other_manager", login="anonymous", rest="forbidden")
EDITORS_DONE = E(redirect="coordinator", login="anonymous", rest="forbidden")
API_INVALID = E(invalid="coordinator", login="anonymous", rest="forbidden")


def slug(s):
    return {"slug": s.w.programme.slug}


def kpi(s):
    from clusterxchange.programmes.models import KpiTarget

    target, _ = KpiTarget.objects.get_or_create(
        programme=s.w.programme, code="exchanges", defaults={"name": "Exchanges", "target": 40}
    )
    return target


def with_pk(get):
    return lambda s: {"slug": s.w.programme.slug, "pk": get(s).pk}


URLS = {
    "programmes:list": Url(get=USERS),
    "programmes:create": form(STAFF),
    "programmes:overview": Url(get=READERS, kwargs=slug),
    "programmes:edit": form(STAFF, kwargs=slug),
    "programmes:copy": form(STAFF, kwargs=slug),
    "programmes:texts": form(STAFF, kwargs=slug),
    "programmes:periods": form(STAFF, kwargs=slug),
    "programmes:period_edit": form(STAFF, kwargs=with_pk(lambda s: s.t.period_2)),
    "programmes:period_remove": action(
        EDITORS_DONE, kwargs=with_pk(lambda s: s.t.period_2), changes="coordinator"
    ),
    "programmes:countries": form(STAFF, kwargs=slug),
    "programmes:partners": form(STAFF, kwargs=slug),
    "programmes:cluster_search": Url(get=STAFF, kwargs=slug, query="?q=clu"),
    "programmes:partner_edit": form(STAFF, kwargs=with_pk(lambda s: s.t.partner_c)),
    "programmes:partner_remove": action(
        EDITORS_DONE, kwargs=with_pk(lambda s: s.t.partner_c), changes="coordinator"
    ),
    "programmes:rules": form(STAFF, kwargs=slug),
    "programmes:rules_preview": action(STAFF, kwargs=slug),
    "programmes:kpis": form(STAFF, kwargs=slug),
    "programmes:kpi_edit": form(STAFF, kwargs=with_pk(kpi)),
    "programmes:kpi_remove": action(EDITORS_DONE, kwargs=with_pk(kpi), changes="coordinator"),
}

RULES = {
    "min_working_days": 3,
    "max_stay_months": 1,
    "full_rate_min_working_days": 5,
    "full_rate_min_distance_km": "200",
    "halving_factor": "0.5",
    "caps": {"FR": "1100", "ES": "1000", "DE": "1100", "PL": "800"},
}

API = {
    ("GET", "/api/programmes"): Op(expect=USERS),
    ("POST", "/api/programmes"): Op(
        expect=STAFF,
        body=lambda s: {
            "name": "Sweep call",
            "acronym": "SWEEP",
            "start_date": "2031-01-01",
            "end_date": "2032-12-31",
        },
    ),
    ("GET", "/api/programmes/{slug}"): Op(expect=READERS, params=slug),
    ("PATCH", "/api/programmes/{slug}"): Op(expect=STAFF, params=slug, body=lambda s: {"name": "Renamed"}),
    ("POST", "/api/programmes/{slug}/copy"): Op(
        expect=STAFF,
        params=slug,
        body=lambda s: {
            "name": "Next",
            "acronym": "NEXT",
            "start_date": "2031-01-01",
            "end_date": "2032-01-01",
        },
    ),
    ("GET", "/api/programmes/{slug}/texts"): Op(expect=READERS, params=slug),
    ("PUT", "/api/programmes/{slug}/texts/{language}"): Op(
        expect=STAFF,
        params=lambda s: {"slug": s.w.programme.slug, "language": "en"},
        body=lambda s: {"name": "", "description": "Open to every cluster of the partners' countries."},
    ),
    ("GET", "/api/programmes/{slug}/partners"): Op(expect=READERS, params=slug),
    ("POST", "/api/programmes/{slug}/partners"): Op(
        expect=API_INVALID, params=slug, body=lambda s: {"cluster": s.w.org_a1.slug}, note="not a cluster"
    ),
    ("PATCH", "/api/programmes/{slug}/partners/{partner_id}"): Op(
        expect=STAFF,
        params=lambda s: {"slug": s.w.programme.slug, "partner_id": s.t.partner_c.pk},
        body=lambda s: {"grant_budget_eur": "1234"},
    ),
    ("GET", "/api/programmes/{slug}/grant-rules"): Op(expect=READERS, params=slug),
    ("PUT", "/api/programmes/{slug}/grant-rules"): Op(expect=STAFF, params=slug, body=lambda s: RULES),
    ("GET", "/api/programmes/{slug}/periods"): Op(expect=READERS, params=slug),
    ("POST", "/api/programmes/{slug}/periods"): Op(
        expect=STAFF,
        params=slug,
        body=lambda s: {"name": "Sweep period", "start_date": "2026-01-01", "end_date": "2026-06-30"},
    ),
    ("PATCH", "/api/programmes/{slug}/periods/{period_id}"): Op(
        expect=STAFF,
        params=lambda s: {"slug": s.w.programme.slug, "period_id": s.t.period_2.pk},
        body=lambda s: {"name": "Second period"},
    ),
    ("GET", "/api/programmes/{slug}/eligible-countries"): Op(expect=READERS, params=slug),
    ("PUT", "/api/programmes/{slug}/eligible-countries"): Op(
        expect=STAFF, params=slug, body=lambda s: {"countries": ["FR", "ES", "DE", "PL", "IT"]}
    ),
    ("GET", "/api/programmes/{slug}/kpi-targets"): Op(expect=READERS, params=slug),
    ("POST", "/api/programmes/{slug}/kpi-targets"): Op(
        expect=STAFF,
        params=slug,
        body=lambda s: {"code": "sweep", "name": "Sweep", "measure": "missions", "target": 5},
    ),
    ("PATCH", "/api/programmes/{slug}/kpi-targets/{kpi_id}"): Op(
        expect=STAFF,
        params=lambda s: {"slug": s.w.programme.slug, "kpi_id": kpi(s).pk},
        body=lambda s: {"published": True},
    ),
    # Partner C has records in the sweep's world: its coordinator is told why it stays (removal: tests/programmes).
    ("DELETE", "/api/programmes/{slug}/partners/{partner_id}"): Op(
        expect=E(conflict="coordinator", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.w.programme.slug, "partner_id": s.t.partner_c.pk},
    ),
    ("DELETE", "/api/programmes/{slug}/periods/{period_id}"): Op(
        expect=STAFF, params=lambda s: {"slug": s.w.programme.slug, "period_id": s.t.period_2.pk}
    ),
    ("DELETE", "/api/programmes/{slug}/kpi-targets/{kpi_id}"): Op(
        expect=STAFF, params=lambda s: {"slug": s.w.programme.slug, "kpi_id": kpi(s).pk}
    ),
    ("POST", "/api/programmes/{slug}/grant-rules/preview"): Op(
        expect=STAFF,
        params=slug,
        body=lambda s: {
            "stay": {
                "visitor_country": "FR",
                "host_country": "ES",
                "start": "2026-09-07",
                "end": "2026-09-18",
                "distance_km": 800,
            }
        },
    ),
    ("GET", "/api/programmes/{slug}/history"): Op(expect=READERS, params=slug),
}
