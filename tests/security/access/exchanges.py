"""Exchanges of the owner (visitor Alpha Sensors, cluster A → host Gamma Robotics, cluster B)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.exchanges.conftest import signing
from tests.security.access import E, Op, Url, action, form
from tests.security.conftest import PDF_BYTES


def ref(name):
    return lambda s: {"reference": getattr(s, name).reference}


URLS = {
    "exchanges:list": Url(get=E(login="anonymous", rest="ok")),
    "exchanges:create": form(E(forbidden="coordinator", login="anonymous", rest="ok")),
    "exchanges:bulk": action(
        E(login="anonymous", rest="redirect"),
        changes="coordinator manager",
        data=lambda s: {"action": "cancel", "comment": "Sweep", "references": [s.matched.reference]},
        note="every role is redirected (a refused exchange is a message): only the partnership cancels",
    ),
    "exchanges:budget": Url(get=E(forbidden="owner outsider", login="anonymous", rest="ok")),
    "exchanges:verify": Url(get=E(rest="ok")),
    "exchanges:verify_code": Url(get=E(rest="ok"), kwargs=lambda s: {"code": s.certified.certificate_code}),
    "exchanges:host_profiles": Url(get=E(login="anonymous", rest="ok")),
    "exchanges:host_profile_register": form(E(forbidden="coordinator", login="anonymous", rest="ok")),
    "exchanges:host_profile_decide": action(
        E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"pk": s.host_profile.pk},
        data=lambda s: {"decision": "validate"},
    ),
    "exchanges:detail": Url(get=E(not_found="outsider", login="anonymous", rest="ok"), kwargs=ref("matched")),
    "exchanges:edit": form(
        E(not_found="other_manager outsider", ok="owner", login="anonymous", rest="forbidden"),
        kwargs=ref("draft"),
    ),
    "exchanges:transition": action(
        E(not_found="other_manager outsider", redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"reference": s.draft.reference, "action": "submit"},
    ),
    "exchanges:hosts": Url(
        get=E(not_found="other_manager outsider", ok="owner", login="anonymous", rest="forbidden"),
        kwargs=ref("validated"),
    ),
    "exchanges:request_host": action(
        E(not_found="other_manager outsider", login="anonymous", rest="redirect"),
        kwargs=ref("validated"),
        data=lambda s: {"host_organisation": s.w.org_a2.pk, "message": "Hi"},
    ),
    "exchanges:withdraw_request": action(
        E(not_found="other_manager outsider", redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"reference": s.validated.reference, "pk": s.host_request.pk},
    ),
    "exchanges:respond_request": action(
        E(not_found="other_manager outsider", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"reference": s.validated.reference, "pk": s.host_request.pk},
        data=lambda s: {"decision": "accept"},
    ),
    "exchanges:approve_grant": action(
        E(forbidden="other_manager owner", not_found="outsider", login="anonymous", rest="redirect"),
        kwargs=ref("matched"),
    ),
    "exchanges:agreement": action(
        E(not_found="outsider", login="anonymous", rest="ok"), kwargs=ref("matched")
    ),
    "exchanges:sign": action(
        E(not_found="outsider", login="anonymous", rest="ok"),
        kwargs=ref("matched"),
        data=lambda s: {"party": "visitor"},
    ),
    "exchanges:agreement_pdf": Url(
        get=E(not_found="outsider", login="anonymous", rest="ok"), kwargs=ref("matched")
    ),
    "exchanges:report": action(
        E(redirect="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        kwargs=ref("in_progress"),
    ),
    "exchanges:evidence_upload": action(
        E(not_found="outsider", login="anonymous", rest="invalid"), kwargs=ref("in_progress")
    ),
    "exchanges:evidence": Url(
        get=E(forbidden="other_manager", not_found="outsider", login="anonymous", rest="ok"),
        kwargs=lambda s: {"reference": s.in_progress.reference, "pk": s.evidence.pk},
    ),
    "exchanges:evidence_remove": action(
        E(redirect="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"reference": s.in_progress.reference, "pk": s.evidence.pk},
    ),
    "exchanges:confirm": action(
        E(not_found="outsider", login="anonymous", rest="forbidden"), kwargs=ref("in_progress")
    ),
    "exchanges:payment": [
        action(
            E(not_found="outsider", login="anonymous", rest="ok"),
            kwargs=ref("in_progress"),
        ),
        action(
            E(forbidden="other_manager owner", not_found="outsider", login="anonymous", rest="redirect"),
            changes="coordinator manager",
            kwargs=ref("report_validated"),
            data=lambda s: {"amount": "1000.00", "paid_on": timezone.localdate().isoformat()},
            note="valid data on a payable exchange: only the visitor's partnership and the coordinator pay",
        ),
    ],
    "exchanges:certificate_pdf": Url(
        get=E(not_found="outsider", login="anonymous", rest="ok"), kwargs=ref("certified")
    ),
}


API = {
    ("GET", "/api/exchanges"): Op(expect=E(login="anonymous", rest="ok")),
    ("POST", "/api/exchanges"): Op(
        expect=E(ok="owner", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "programme": s.w.programme.slug,
            "visitor_organisation": s.w.org_a1.slug,
            "motivation": "Learn",
            "start_date": s.draft.start_date + timedelta(days=14),
            "end_date": s.draft.end_date + timedelta(days=14),
        },
    ),
    ("GET", "/api/exchanges/{reference}"): Op(
        expect=E(not_found="outsider", login="anonymous", rest="ok"), params=ref("matched")
    ),
    ("PATCH", "/api/exchanges/{reference}"): Op(
        expect=E(not_found="other_manager outsider", ok="owner", login="anonymous", rest="forbidden"),
        params=ref("draft"),
        body=lambda s: {"motivation": "Changed"},
    ),
    ("POST", "/api/exchanges/{reference}/actions/{action}"): Op(
        expect=E(not_found="other_manager outsider", invalid="owner", login="anonymous", rest="forbidden"),
        params=lambda s: {"reference": s.draft.reference, "action": "submit"},
        body=lambda s: {},
    ),
    ("GET", "/api/exchanges/{reference}/timeline"): Op(
        expect=E(not_found="outsider", login="anonymous", rest="ok"), params=ref("matched")
    ),
    ("POST", "/api/exchanges/{reference}/host-requests"): Op(
        expect=E(not_found="other_manager outsider", invalid="owner", login="anonymous", rest="forbidden"),
        params=ref("validated"),
        body=lambda s: {"host": s.w.org_a2.slug, "message": "Hello"},
    ),
    ("POST", "/api/exchanges/{reference}/host-requests/{request_id}/answer"): Op(
        expect=E(not_found="other_manager outsider", login="anonymous", rest="forbidden"),
        params=lambda s: {"reference": s.validated.reference, "request_id": s.host_request.pk},
        body=lambda s: {"accept": True},
    ),
    ("POST", "/api/exchanges/{reference}/host-requests/{request_id}/withdraw"): Op(
        expect=E(not_found="other_manager outsider", ok="owner", login="anonymous", rest="forbidden"),
        params=lambda s: {"reference": s.validated.reference, "request_id": s.host_request.pk},
    ),
    ("GET", "/api/exchanges/{reference}/grant-assessment"): Op(
        expect=E(not_found="outsider", login="anonymous", rest="ok"), params=ref("matched")
    ),
    ("POST", "/api/exchanges/{reference}/grant/approve"): Op(
        expect=E(forbidden="other_manager owner", not_found="outsider", login="anonymous", rest="invalid"),
        params=ref("matched"),
    ),
    ("PATCH", "/api/exchanges/{reference}/agreement"): Op(
        expect=E(ok="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        params=ref("matched"),
        body=lambda s: {"goals": "Changed"},
    ),
    ("POST", "/api/exchanges/{reference}/agreement/signatures"): Op(
        expect=E(invalid="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        params=ref("matched"),
        body=lambda s: signing(s.matched, "visitor"),
    ),
    ("PATCH", "/api/exchanges/{reference}/report"): Op(
        expect=E(ok="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        params=ref("in_progress"),
        body=lambda s: {"activities": "Changed"},
    ),
    ("POST", "/api/exchanges/{reference}/evidence"): Op(
        expect=E(ok="owner", not_found="outsider", login="anonymous", rest="forbidden"),
        params=ref("in_progress"),
        body=lambda s: {
            "file": SimpleUploadedFile("ticket.pdf", PDF_BYTES, "application/pdf"),
            "kind": "travel",
        },
        multipart=True,
    ),
    ("POST", "/api/exchanges/{reference}/host-confirmation"): Op(
        expect=E(not_found="outsider", login="anonymous", rest="forbidden"), params=ref("in_progress")
    ),
}
