"""Joining (/welcome/ and the API's join requests, registrations and cluster membership requests): every
logged-in person asks; cluster A's managers and the coordinators decide the outsider's request to join
Alpha Sensors (no admin) and registration under cluster A; cluster B's manager and the coordinators
decide cluster A's request to Gamma Robotics (cluster B, no admin), which cluster A's manager sent."""

from tests.security.access import USERS, E, Op, Url, action, kw

DECIDERS_A = E(ok="coordinator manager", login="anonymous", rest="forbidden")

URLS = {
    "join:welcome": Url(get=USERS),
    "join:find": Url(get=USERS, query="?q=alpha"),
    "join:ask": Url(
        get=USERS,
        post=E(login="anonymous", rest="redirect"),
        kwargs=kw(slug="w.org_a2.slug"),
        data=lambda s: {"message": "Hello"},
    ),
    "join:register": Url(
        get=USERS,
        post=E(login="anonymous", rest="redirect"),
        data=lambda s: {
            "name": "Sweep Labs",
            "org_type": "research",
            "country": "FR",
            "cluster": s.w.cluster_a.pk,
        },
    ),
    "join:requests": Url(get=E(ok="coordinator manager other_manager", login="anonymous", rest="forbidden")),
    "join:decide_join": action(
        E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=kw(pk="join_request.pk"),
        data=lambda s: {"decision": "approve"},
    ),
    "join:withdraw_join": action(
        E(redirect="outsider", login="anonymous", rest="forbidden"), kwargs=kw(pk="join_request.pk")
    ),
    "join:decide_registration": action(
        E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=kw(pk="registration.pk"),
        data=lambda s: {"decision": "refuse", "reason": "Not a member of the cluster"},
    ),
    "join:withdraw_registration": action(
        E(redirect="outsider", login="anonymous", rest="forbidden"), kwargs=kw(pk="registration.pk")
    ),
    # A cluster asks an organisation to join it: cluster A's managers and the coordinators ask; Gamma
    # Robotics (cluster B, no admin) is decided by cluster B's manager and the coordinators.
    "join:cluster_find": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.cluster_a.slug"),
        query="?q=gamma",
    ),
    "join:cluster_ask": Url(
        get=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        post=E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.cluster_a.slug", organisation_slug="w.cluster_b.slug"),
        data=lambda s: {"message": "Join us"},
    ),
    "join:decide_cluster": action(
        E(redirect="coordinator other_manager", login="anonymous", rest="forbidden"),
        kwargs=kw(pk="cluster_request.pk"),
        data=lambda s: {"decision": "approve"},
    ),
    "join:withdraw_cluster": action(
        E(redirect="manager", login="anonymous", rest="forbidden"), kwargs=kw(pk="cluster_request.pk")
    ),
    # Interests in an opportunity: any logged-in user lists their organisations' ones; members of another
    # organisation than Alpha Sensors send one (the outsider's waits: refused on the page); Alpha Sensors'
    # members, cluster A's managers and the coordinators decide the outsider's; the outsider withdraws it.
    "join:interests": [
        Url(get=USERS, query="?tab=received"),
        Url(get=USERS, query="?tab=sent&status=pending"),
        Url(get=USERS, query="?tab=overseen"),  # only managers and coordinators have it; others get received
    ],
    "join:send_interest": action(
        E(redirect="manager other_manager outsider", login="anonymous", rest="forbidden"),
        kwargs=kw(pk="w.opportunity_a1.pk"),
        data=lambda s: {"message": "We are interested."},
    ),
    "join:decide_interest": action(
        E(redirect="coordinator manager owner", login="anonymous", rest="forbidden"),
        kwargs=kw(pk="interest.pk"),
        data=lambda s: {"decision": "refuse", "reason": "Not now"},
    ),
    "join:withdraw_interest": action(
        E(redirect="outsider", login="anonymous", rest="forbidden"), kwargs=kw(pk="interest.pk")
    ),
}

API = {
    ("GET", "/api/join-requests"): Op(expect=USERS, query="?scope=to-decide"),
    ("POST", "/api/join-requests"): Op(
        expect=E(login="anonymous", rest="ok"), body=lambda s: {"organisation": s.w.org_a2.slug}
    ),
    ("POST", "/api/join-requests/{request_id}/decision"): Op(
        expect=DECIDERS_A,
        params=kw(request_id="join_request.pk"),
        body=lambda s: {"decision": "approve"},
    ),
    ("POST", "/api/join-requests/{request_id}/withdraw"): Op(
        expect=E(ok="outsider", login="anonymous", rest="forbidden"),
        params=kw(request_id="join_request.pk"),
    ),
    ("GET", "/api/organisation-registrations"): Op(expect=USERS, query="?scope=to-decide"),
    ("POST", "/api/organisation-registrations"): Op(
        expect=E(login="anonymous", rest="ok"),
        body=lambda s: {
            "name": "Sweep Labs",
            "org_type": "research",
            "country": "FR",
            "cluster": s.w.cluster_a.slug,
        },
    ),
    ("POST", "/api/organisation-registrations/{registration_id}/decision"): Op(
        expect=DECIDERS_A,
        params=kw(registration_id="registration.pk"),
        body=lambda s: {"decision": "refuse", "reason": "Not in the cluster"},
    ),
    ("POST", "/api/organisation-registrations/{registration_id}/withdraw"): Op(
        expect=E(ok="outsider", login="anonymous", rest="forbidden"),
        params=kw(registration_id="registration.pk"),
    ),
    ("GET", "/api/cluster-membership-requests"): Op(expect=USERS, query="?scope=sent"),
    ("POST", "/api/cluster-membership-requests"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {"cluster": s.w.cluster_a.slug, "organisation": s.w.cluster_b.slug},
    ),
    ("POST", "/api/cluster-membership-requests/{request_id}/decision"): Op(
        expect=E(ok="coordinator other_manager", login="anonymous", rest="forbidden"),
        params=kw(request_id="cluster_request.pk"),
        body=lambda s: {"decision": "approve"},
    ),
    ("POST", "/api/cluster-membership-requests/{request_id}/withdraw"): Op(
        expect=E(ok="manager", login="anonymous", rest="forbidden"),
        params=kw(request_id="cluster_request.pk"),
    ),
    ("GET", "/api/opportunity-interests"): Op(expect=USERS, query="?scope=overseen"),
    ("POST", "/api/opportunity-interests"): Op(
        expect=E(ok="manager other_manager", conflict="outsider", login="anonymous", rest="forbidden"),
        body=lambda s: {"opportunity": s.w.opportunity_a1.pk, "message": "We are interested."},
    ),
    ("POST", "/api/opportunity-interests/{interest_id}/decision"): Op(
        expect=E(ok="coordinator manager owner", login="anonymous", rest="forbidden"),
        params=kw(interest_id="interest.pk"),
        body=lambda s: {"decision": "accept"},
    ),
    ("POST", "/api/opportunity-interests/{interest_id}/withdraw"): Op(
        expect=E(ok="outsider", login="anonymous", rest="forbidden"), params=kw(interest_id="interest.pk")
    ),
}
