"""Reporting: the programme's KPI dashboard, records, exports and progress report."""

from tests.security.access import E, Op, Url, action


def programme(s):
    return {"slug": s.w.programme.slug}


URLS = {
    "reporting:index": Url(get=E(forbidden="owner outsider", login="anonymous", rest="redirect")),
    "reporting:dashboard": Url(
        get=E(not_found="owner outsider", login="anonymous", rest="ok"), kwargs=programme
    ),
    "reporting:partner": Url(
        get=E(ok="coordinator manager", not_found="owner outsider", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {
            "slug": s.w.programme.slug,
            "pk": s.w.programme.partners.get(cluster=s.w.cluster_a).pk,
        },
    ),
    "reporting:export_table": Url(
        get=E(not_found="owner outsider", login="anonymous", rest="ok"),
        kwargs=lambda s: {"slug": s.w.programme.slug, "key": "kpis", "fmt": "csv"},
    ),
    "reporting:records": Url(
        get=E(ok="coordinator", not_found="owner outsider", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"slug": s.w.programme.slug, "measure": "exchanges"},
    ),
    "reporting:export_programme": Url(
        get=E(ok="coordinator", not_found="owner outsider", login="anonymous", rest="forbidden"),
        kwargs=programme,
    ),
    "reporting:report": Url(
        get=E(not_found="owner outsider", login="anonymous", rest="ok"), kwargs=programme
    ),
    "reporting:report_pdf": Url(
        get=E(not_found="owner outsider", login="anonymous", rest="ok"), kwargs=programme
    ),
    "reporting:event_follow_up": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"slug": s.ev.event.programme.slug, "event": s.ev.event.slug},
    ),
    "reporting:report_to_news": action(
        E(redirect="coordinator", not_found="owner outsider", login="anonymous", rest="forbidden"),
        kwargs=programme,
    ),
}

API = {
    ("GET", "/api/reporting/{slug}/kpis"): Op(
        expect=E(not_found="owner outsider", login="anonymous", rest="ok"), params=programme
    ),
    ("GET", "/api/reporting/{slug}/kpis/periods"): Op(
        expect=E(not_found="owner outsider", login="anonymous", rest="ok"), params=programme
    ),
    ("GET", "/api/reporting/{slug}/kpis/published"): Op(expect=E(rest="ok"), params=programme),
}
