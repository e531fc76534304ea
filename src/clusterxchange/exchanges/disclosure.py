"""Who reads which field of an exchange's host requests (see directory/audiences.py).

A host request and its answer (the message, the host's reply, its reason for declining) are read by
the visitor's side (the visiting organisation's people and its partnership's managers), by *that*
host (its people and the managers of its partner cluster) and by the programme's coordinators. A
host asked later reads neither an earlier host's request nor its answer: to it, the request does not
exist, on the exchange's page, in the API and in the timeline.
"""

from clusterxchange.directory.audiences import OWN_SIDE, Audience, Declaration, Viewer

HOST_REQUEST = Declaration(
    model="exchanges.HostRequest",
    fields=dict.fromkeys(
        ("id", "host", "message", "status", "response", "created_at", "responded_at"), OWN_SIDE
    ),
)
# Timeline entries that carry a host request or its answer (their comment is the message or reason).
HOST_REQUEST_ACTIONS = {"request_host", "withdraw_host_request", "host_declined", "match"}


def host_request_audiences(viewer: Viewer, exchange, host_organisation_id: int) -> frozenset[Audience]:
    roles = viewer.roles
    audiences = {Audience.PUBLIC}
    if roles.is_programme_member:
        audiences.add(Audience.PROGRAMME_MEMBER)
    if exchange.programme_id in roles.coordinator_programme_ids:
        audiences.add(Audience.COORDINATOR)
    if {exchange.visitor_organisation_id, host_organisation_id} & roles.organisation_ids:
        audiences.add(Audience.ORGANISATION_MEMBER)
    if (
        exchange.visitor_partner.cluster_id in roles.managed_cluster_ids
        or host_organisation_id in viewer.partner_organisation_ids
    ):
        audiences.add(Audience.PARTNER_MANAGER)
    return frozenset(audiences)


def readable_host_requests(user, exchange, host_requests) -> list:
    """The host requests `user` may read (a request whose fields they may not read is left out)."""
    viewer = Viewer.of(user)
    return [
        host_request
        for host_request in host_requests
        if HOST_REQUEST.may_read(
            "message", host_request_audiences(viewer, exchange, host_request.host_organisation_id)
        )
    ]


def readable_timeline(user, exchange, entries) -> list:
    """Audit entries of the exchange without those about host requests `user` may not read."""
    hidden = {
        (host_request.host_organisation_id, str(host_request.host_organisation))
        for host_request in exchange.host_requests.select_related("host_organisation")
    } - {
        (host_request.host_organisation_id, str(host_request.host_organisation))
        for host_request in readable_host_requests(
            user, exchange, exchange.host_requests.select_related("host_organisation")
        )
    }
    hidden_ids = {str(host_id) for host_id, _ in hidden}
    hidden_names = {name for _, name in hidden}
    return [
        entry
        for entry in entries
        if entry.action.removeprefix("exchanges.") not in HOST_REQUEST_ACTIONS
        or not (
            entry.changes.get("host_id") in hidden_ids
            or ("host_id" not in entry.changes and entry.changes.get("host") in hidden_names)
        )
    ]
