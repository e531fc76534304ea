"""The shared world of the authorization sweep: two partners and objects of each.

Built on the other worlds (`world`, `xworld`, `ew`, `tw`) so that the sweep sees what the app tests see.
Every object an entry points at belongs to the **owner** (a participant of Alpha Sensors, org A1, a member
of partner cluster A) or to cluster A; the roles look at it from every side:

- coordinator: programme coordinator (staff);
- manager: manager of partner cluster A (the owner's partner);
- other_manager: manager of partner cluster B (another partner: must not manage A's objects);
- owner: the participant who owns the object (member of org A1);
- outsider: a participant of another cluster (member of Delta Drones, cluster B), unrelated to the object;
- anonymous.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clusterxchange.accounts import invitations
from clusterxchange.accounts.models import ApiToken, InvitationBatch
from clusterxchange.directory.models import (
    ClusterMembershipRequest,
    JoinRequest,
    OpportunityInterest,
    OrganisationRegistration,
)
from clusterxchange.events import questions as event_questions
from clusterxchange.events.domain import matchmaking
from clusterxchange.events.models import EventImport, Meeting, ProgrammeItem, SchedulingRun
from clusterxchange.exchanges.models import Evidence, HostProfile, HostRequest
from clusterxchange.followup.domain import survey_token
from clusterxchange.followup.models import Survey
from clusterxchange.messaging.domain import unsubscribe_token
from clusterxchange.messaging.models import GroupMessage
from tests.events.conftest import ew  # noqa: F401 - the events world
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world
from tests.news.conftest import nw  # noqa: F401 - the news world
from tests.tandems.conftest import tw  # noqa: F401 - the tandems and training world

ROLES = ["coordinator", "manager", "other_manager", "owner", "outsider", "anonymous"]
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class SecurityWorld:
    """`w` directory world, `x` exchanges, `ev` events, `t` tandems/training, `nw` news; plus `objects`."""

    w: object
    x: object
    ev: object
    t: object
    nw: object
    users: dict
    tokens: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def api_headers(self, role: str) -> dict:
        token = self.tokens.get(role)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def _evidence(exchange) -> Evidence:
    evidence = Evidence(
        exchange=exchange,
        kind="travel",
        original_name="boarding-pass.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=len(PDF_BYTES),
    )
    evidence.file.save("boarding-pass.pdf", SimpleUploadedFile("boarding-pass.pdf", PDF_BYTES), save=False)
    evidence.save()
    return evidence


@pytest.fixture
def sworld(world, xworld, ew, tw, nw) -> SecurityWorld:  # noqa: F811 - fixtures imported above
    users = {
        "coordinator": world.users["coordinator"],
        "manager": world.users["manager"],
        "other_manager": xworld.users["host_partnership"],
        "owner": world.users["owner"],
        "outsider": xworld.users["outsider"],
        "anonymous": None,
    }
    s = SecurityWorld(w=world, x=xworld, ev=ew, t=tw, nw=nw, users=users)
    for role, user in users.items():
        if user is not None:
            s.tokens[role] = ApiToken.issue(user, "sweep")[1]
    o = s.objects
    o["token"] = ApiToken.issue(users["owner"], "owner's second token")[0]
    # An invitation to the owner's organisation by its partner's manager, and a file they sent.
    o["invitation"] = invitations.invite(
        users["manager"], email="invited@example.org", role_kind="organisation-member", target=world.org_a1
    )
    o["invitation_batch"] = InvitationBatch.objects.create(created_by=users["manager"], total=1)
    # Exchanges of the owner (visitor Alpha Sensors, cluster A; host Gamma Robotics, cluster B).
    o["draft"] = xworld.new_exchange()
    o["validated"] = xworld.new_exchange(state="validated")
    o["host_request"] = HostRequest.objects.create(
        exchange=o["validated"], host_organisation=world.org_b1, message="Hello"
    )
    o["matched"] = xworld.new_exchange(state="matched")
    o["in_progress"] = xworld.new_exchange(
        state="in_progress",
        start_date=timezone.localdate() - timedelta(days=10),
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
    )
    o["evidence"] = _evidence(o["in_progress"])
    o["report_validated"] = xworld.new_exchange(
        state="report_validated",
        start_date=timezone.localdate() - timedelta(days=30),
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
    )
    o["certified"] = xworld.new_exchange(
        state="certified",
        grant_amount_eur=Decimal("1000"),
        grant_working_days=5,
        grant_approved_at=timezone.now(),
        paid_amount_eur=Decimal("1000"),
        paid_on=timezone.localdate(),
        certificate_code="0123456789ABCDEF",
        certified_at=timezone.now(),
    )
    o["host_profile"] = HostProfile.objects.create(
        programme=world.programme, organisation=world.org_a1, offer="Our printing line"
    )
    # Events: the owner's registration, an accepted meeting, a scheduling run, a programme item.
    matchmaking.respond(world.users["outsider"], ew.pending, True)
    o["meeting"] = Meeting.objects.get(request=ew.pending)
    o["run"] = SchedulingRun.objects.create(event=ew.event, status="done", progress=100)
    o["event_import"] = EventImport.objects.create(
        event=ew.event,
        kind="participants",
        created_by=users["manager"],
        total=1,
        status="failed",
        errors=[{"row": 2, "field": "organisation", "message": "No organisation “Nowhere Ltd”"}],
    )
    o["item"] = ProgrammeItem.objects.create(
        event=ew.event,
        title="Welcome",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=1),
    )
    o["table"] = ew.event.tables.first()
    # The event's registration question (answered by the owner) and a participant type.
    o["question"] = event_questions.add_question(
        users["manager"], ew.event, {"text": "Your sector?", "kind": "single", "options": "Energy\nHealth"}
    )
    event_questions.set_answers(users["owner"], ew.participant, {o["question"].pk: "Health"})
    o["participant_type"] = event_questions.add_participant_type(users["manager"], ew.event, "Buyer")
    # Messages to groups: the manager's message to the event's participants, the owner's unsubscribe link.
    o["group_message"] = GroupMessage.objects.create(
        programme=world.programme,
        sender=users["manager"],
        audience=f"event_participants:{ew.event.pk}",
        audience_label="Participants",
        subject="Welcome",
        body="Hello",
    )
    o["unsubscribe_token"] = unsubscribe_token(users["owner"].pk)
    # Follow-up: the owner's survey about the matched exchange (answered by its link, no login).
    o["survey_token"] = survey_token(
        Survey.objects.create(
            programme=world.programme,
            user=users["owner"],
            exchange=o["matched"],
            expires_at=timezone.now() + timedelta(days=30),
        )
    )
    # Joining: the outsider asks to join Alpha Sensors (no admin: cluster A's managers and the
    # coordinators decide) and registers a new organisation under cluster A.
    o["join_request"] = JoinRequest.objects.create(user=users["outsider"], organisation=world.org_a1)
    o["registration"] = OrganisationRegistration.objects.create(
        user=users["outsider"], name="Delta Labs", org_type="research", country="FR", cluster=world.cluster_a
    )
    # Cluster A's manager asks Gamma Robotics (cluster B, no admin: cluster B's managers and the
    # coordinators decide) to join cluster A.
    o["cluster_request"] = ClusterMembershipRequest.objects.create(
        user=users["manager"], cluster=world.cluster_a, organisation=world.org_b1
    )
    # The outsider's organisation is interested in Alpha Sensors' opportunity (its members, cluster A's
    # managers and the coordinators decide).
    o["interest"] = OpportunityInterest.objects.create(
        user=users["outsider"],
        organisation=users["outsider"].memberships.get().organisation,
        opportunity=world.opportunity_a1,
        message="We print too.",
    )
    return s
