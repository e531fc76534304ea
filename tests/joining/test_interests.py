"""Expressions of interest in a cooperation opportunity: a member of another organisation sends one with a
message; the owning organisation's admins are emailed (in their language); its admins, and whoever may
edit the opportunity, accept (then each side sees the other's contact email) or decline with an optional
reason; the sender's organisation withdraws it. Each user sees only their own organisations' interests."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import Opportunity, OpportunityInterest, Person, RequestStatus
from clusterxchange.joining import domain as joining
from clusterxchange.privacy import domain as privacy
from clusterxchange.privacy.export import build as export_person
from tests.conftest import make_org, make_user
from tests.joining.test_joining import api

pytestmark = pytest.mark.django_db

MESSAGE = "We print <b>sensors</b> too & would like to talk."


@pytest.fixture
def admin(world):
    """Alpha Sensors' admin (the opportunity's organisation), who reads German."""
    user = make_user("admin-a1@test.example", world.org_a1, "manager")
    user.language = "de"
    user.save()
    return user


@pytest.fixture
def gamma(world):
    world.org_b1.email = "contact@gamma.example"
    world.org_b1.save()
    return world.org_b1


def send(world, user=None, message=MESSAGE):
    return joining.send_interest(user or world.users["outsider"], world.opportunity_a1, world.org_b1, message)


def test_send_emails_the_admins_in_their_language_and_audits(
    world, admin, gamma, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        interest = send(world)
    assert (interest.status, interest.user, interest.organisation) == (
        RequestStatus.PENDING,
        world.users["outsider"],
        world.org_b1,
    )
    assert [message.to for message in mail.outbox] == [["admin-a1@test.example"]]
    with translation.override("de"):
        subject = gettext("%(organisation)s is interested in “%(opportunity)s”") % {
            "organisation": "Gamma Robotics",
            "opportunity": "Printed sensors",
        }
    assert subject != "Gamma Robotics is interested in “Printed sensors”"
    assert mail.outbox[0].subject.endswith(subject)
    assert MESSAGE in mail.outbox[0].body and reverse("join:interests") in mail.outbox[0].body
    assert AuditEntry.objects.filter(
        action="directory.opportunityinterest.create", object_id=str(interest.pk)
    ).exists()


@pytest.mark.date_sensitive
def test_send_refusals_say_why(world):
    outsider = world.users["outsider"]
    with pytest.raises(PermissionDenied):
        joining.send_interest(world.users["owner"], world.opportunity_a1, world.org_a1, MESSAGE)
    with pytest.raises(PermissionDenied):
        joining.send_interest(world.users["coordinator"], world.opportunity_a1, world.org_b1, MESSAGE)
    with pytest.raises(ValidationError) as error:
        joining.send_interest(outsider, world.opportunity_a1, world.org_a2, MESSAGE)
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        send(world, message="   ")
    assert "message" in error.value.message_dict
    with pytest.raises(Refused, match="draft"):
        joining.send_interest(outsider, world.draft_a1, world.org_b1, MESSAGE)
    world.opportunity_a1.expires_on = timezone.localdate() - timedelta(days=1)
    world.opportunity_a1.save()
    with pytest.raises(Refused, match="expired"):
        send(world)
    world.opportunity_a1.expires_on = None
    world.opportunity_a1.save()
    send(world)
    with pytest.raises(Refused, match="already expressed its interest"):
        send(world)
    assert OpportunityInterest.objects.count() == 1


def test_accept_shares_the_contact_emails_and_tells_the_sender(
    world, admin, gamma, django_capture_on_commit_callbacks
):
    interest = send(world)
    with pytest.raises(PermissionDenied):
        joining.decide_interest(world.users["same_cluster"], interest, True)
    with pytest.raises(PermissionDenied):
        joining.decide_interest(world.users["outsider"], interest, True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joining.decide_interest(admin, interest, True)
    interest.refresh_from_db()
    assert (interest.status, interest.decided_by) == (RequestStatus.APPROVED, admin)
    assert [message.to for message in mail.outbox] == [["outsider@test.example"]]
    assert "hello@alpha.example" in mail.outbox[0].body
    with pytest.raises(Refused, match="no longer pending"):
        joining.decide_interest(admin, interest, False)
    with pytest.raises(Refused):
        joining.withdraw_interest(world.users["outsider"], interest)

    # each side sees the other's address once accepted, on the list and the opportunity's page
    owner_page = login(world.users["owner"]).get(reverse("join:interests") + "?tab=received")
    assert "contact@gamma.example" in owner_page.content.decode()
    sender = login(world.users["outsider"])
    assert (
        "hello@alpha.example"
        in sender.get(reverse("join:interests") + "?tab=sent", follow=True).content.decode()
    )
    assert (
        "hello@alpha.example"
        in sender.get(world.opportunity_a1.get_absolute_url(), follow=True).content.decode()
    )


def test_decline_with_reason_in_the_senders_language(world, django_capture_on_commit_callbacks):
    world.users["outsider"].language = "de"
    world.users["outsider"].save()
    interest = send(world)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        joining.decide_interest(world.users["manager"], interest, False, "Not our market")
    with translation.override("de"):
        subject = gettext("%(owner)s declined your interest in “%(opportunity)s”") % {
            "owner": "Alpha Sensors",
            "opportunity": "Printed sensors",
        }
    assert mail.outbox[0].subject.endswith(subject)
    assert "Not our market" in mail.outbox[0].body
    interest.refresh_from_db()
    assert (interest.status, interest.reason) == (RequestStatus.REFUSED, "Not our market")


def test_withdraw_by_the_senders_organisation_then_send_again(world):
    interest = send(world)
    with pytest.raises(PermissionDenied):
        joining.withdraw_interest(world.users["owner"], interest)
    colleague = make_user("colleague-b1@test.example", world.org_b1)
    joining.withdraw_interest(colleague, interest)
    interest.refresh_from_db()
    assert interest.status == RequestStatus.WITHDRAWN and interest.decided_by is None
    assert send(world).pk != interest.pk  # a withdrawn interest no longer blocks a new one


def login(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_pages_by_role(world, admin, gamma):
    interest = send(world)
    cloud = Opportunity.objects.create(
        organisation=world.org_a2,
        type=world.opportunity_a1.type,
        title="Cloud",
        description="x",
        status="published",
    )
    joining.send_interest(world.users["owner"], cloud, world.org_a1, "Alpha's own words")
    url = reverse("join:interests")
    assert login(None).get(url).status_code == 302
    seen = {}
    for role, user in {
        "outsider": world.users["outsider"],
        "owner": world.users["owner"],
        "admin": admin,
        "same_cluster": world.users["same_cluster"],
        "coordinator": world.users["coordinator"],
        "manager": world.users["manager"],
    }.items():
        client = login(user)
        seen[role] = (
            "We print &lt;b&gt;sensors&lt;/b&gt; too &amp; would"
            in client.get(url + "?tab=received", follow=True).content.decode(),
            "We print &lt;b&gt;sensors&lt;/b&gt;"
            in client.get(url + "?tab=sent", follow=True).content.decode(),
            "Alpha&#x27;s own words" in client.get(url + "?tab=received", follow=True).content.decode(),
        )
    assert seen == {
        "outsider": (False, True, False),
        "owner": (True, False, False),
        "admin": (True, False, False),
        "same_cluster": (False, False, True),
        "coordinator": (False, False, False),
        "manager": (False, False, False),
    }
    page = login(admin).get(url + "?tab=received", follow=True).content.decode()
    assert "<b>sensors</b>" not in page  # the message is escaped
    assert "contact@gamma.example" not in page  # not before acceptance
    assert f"/interests/{interest.pk}/decide/" in page
    assert f"/interests/{interest.pk}/withdraw/" not in page
    assert (
        "Gamma Robotics"
        not in login(admin).get(url + "?tab=received&status=approved", follow=True).content.decode()
    )
    assert f"/interests/{interest.pk}/withdraw/" in (
        login(world.users["outsider"]).get(url + "?tab=sent", follow=True).content.decode()
    )


def test_opportunity_page_offers_the_form_to_those_who_may_send(world):
    opportunity_url = world.opportunity_a1.get_absolute_url()
    send_url = reverse("join:send_interest", args=[world.opportunity_a1.pk])
    assert send_url in login(world.users["outsider"]).get(opportunity_url, follow=True).content.decode()
    for user in (None, world.users["owner"], world.users["coordinator"]):
        assert send_url not in login(user).get(opportunity_url, follow=True).content.decode()

    response = login(world.users["outsider"]).post(send_url, {"message": "Hello from Bilbao"})
    assert response.status_code == 302
    assert OpportunityInterest.objects.get().message == "Hello from Bilbao"
    page = login(world.users["outsider"]).get(opportunity_url, follow=True).content.decode()
    assert send_url not in page and "Gamma Robotics expressed its interest" in page  # it waits
    assert login(world.users["outsider"]).post(send_url, {"message": ""}).status_code == 302
    assert OpportunityInterest.objects.count() == 1
    assert login(None).post(send_url, {"message": "x"}).status_code == 302  # to the login page
    assert login(world.users["owner"]).post(send_url, {"message": "x"}).status_code == 403


def test_api_by_role_and_fields(world, admin, gamma):
    outsider, owner = world.users["outsider"], world.users["owner"]
    body = {"opportunity": world.opportunity_a1.pk, "message": MESSAGE}
    assert api(None, "post", "/api/opportunity-interests", body).status_code == 401
    assert api(owner, "post", "/api/opportunity-interests", body).status_code == 403
    assert api(outsider, "post", "/api/opportunity-interests", {**body, "message": ""}).status_code == 422
    assert (
        api(
            outsider, "post", "/api/opportunity-interests", {**body, "opportunity": world.draft_a1.pk}
        ).status_code
        == 403
    )
    created = api(outsider, "post", "/api/opportunity-interests", body)
    assert created.status_code == 201, created.content
    sent = created.json()
    assert (sent["organisation"], sent["owner"], sent["status"], sent["contact_email"]) == (
        world.org_b1.slug,
        world.org_a1.slug,
        "pending",
        None,
    )
    assert api(outsider, "post", "/api/opportunity-interests", body).status_code == 409

    def listed(user, scope):
        return [
            item["id"]
            for item in api(user, "get", f"/api/opportunity-interests?scope={scope}").json()["results"]
        ]

    assert listed(admin, "received") == [sent["id"]] and listed(admin, "sent") == []
    assert listed(outsider, "sent") == [sent["id"]] and listed(outsider, "received") == []
    for role in ("same_cluster", "coordinator", "manager"):
        assert listed(world.users[role], "received") == listed(world.users[role], "sent") == []
    decision = f"/api/opportunity-interests/{sent['id']}/decision"
    assert api(world.users["same_cluster"], "post", decision, {"decision": "accept"}).status_code == 403
    assert api(outsider, "post", decision, {"decision": "accept"}).status_code == 403
    accepted = api(admin, "post", decision, {"decision": "accept"})
    assert accepted.status_code == 200 and accepted.json()["contact_email"] == "contact@gamma.example"
    assert api(admin, "post", decision, {"decision": "decline"}).status_code == 409
    mine = api(outsider, "get", "/api/opportunity-interests?scope=sent&status=approved").json()["results"]
    assert [(item["message"], item["contact_email"]) for item in mine] == [(MESSAGE, "hello@alpha.example")]
    withdraw = f"/api/opportunity-interests/{sent['id']}/withdraw"
    assert api(outsider, "post", withdraw).status_code == 409
    assert api(world.users["same_cluster"], "post", withdraw).status_code == 403


def test_privacy_export_and_erasure(world):
    interest = send(world)
    person = Person.objects.create(
        first_name="Olga", last_name="Outsider", organisation=world.org_b1, user=world.users["outsider"]
    )
    exported = export_person(person)
    assert [(item["opportunity"], item["message"]) for item in exported["opportunity_interests_sent"]] == [
        ("Printed sensors", MESSAGE)
    ]
    privacy.erase_person(world.users["coordinator"], person)
    interest.refresh_from_db()
    assert interest.message == privacy.ERASED_TEXT and interest.status == RequestStatus.PENDING


@pytest.fixture
def overseen(world, gamma):
    """Three interests, one in each kind of organisation: Gamma Robotics' in Alpha Sensors' opportunity
    (cluster A), Alpha Sensors' in Gamma Robotics' (cluster B), Beta Software's in that of an organisation in
    no cluster; and cluster B's manager."""
    in_a = send(world)
    robots = Opportunity.objects.create(
        organisation=world.org_b1,
        type=world.opportunity_a1.type,
        title="Robots",
        description="x",
        status="published",
    )
    in_b = joining.send_interest(world.users["owner"], robots, world.org_a1, "Alpha about robots")
    loner = make_org("Lone Lasers", "DE", email="hello@lone.example")
    make_user("member@lone.example", loner)
    lasers = Opportunity.objects.create(
        organisation=loner,
        type=world.opportunity_a1.type,
        title="Lasers",
        description="x",
        status="published",
    )
    nowhere = joining.send_interest(world.users["same_cluster"], lasers, world.org_a2, "Beta about lasers")
    manager_b = make_user("manager-b@test.example", world.cluster_b, "manager")
    return {"in_a": in_a, "in_b": in_b, "nowhere": nowhere, "manager_b": manager_b}


def overseers(world, overseen):
    return {
        "coordinator": world.users["coordinator"],
        "manager": world.users["manager"],
        "manager_b": overseen["manager_b"],
        "owner": world.users["owner"],
        "same_cluster": world.users["same_cluster"],
        "outsider": world.users["outsider"],
    }


OVERSEEN = {
    "coordinator": {"in_a", "in_b", "nowhere"},  # the programme's partner clusters, and no cluster
    "manager": {"in_a"},  # cluster A's members
    "manager_b": {"in_b"},
    "owner": set(),
    "same_cluster": set(),
    "outsider": set(),
}


def test_overseen_tab_by_role(world, overseen):
    """Cluster managers and coordinators have a third tab, with the interests in the organisations they
    administer (and may decide for); nobody else has it, and asking for it shows one's received ones."""
    url = reverse("join:interests") + "?tab=overseen"
    assert login(None).get(url).status_code == 302
    markers = {
        "in_a": "We print &lt;b&gt;sensors",
        "in_b": "Alpha about robots",
        "nowhere": "Beta about lasers",
    }
    labels = {"coordinator": "In the programme", "manager": "In my clusters", "manager_b": "In my clusters"}
    received = {"owner": {"in_a"}, "same_cluster": set(), "outsider": {"in_b"}}
    for role, user in overseers(world, overseen).items():
        page = login(user).get(url).content.decode()
        shown = {key for key, marker in markers.items() if marker in page}
        if role in labels:
            assert f'<a href="?tab=overseen" aria-current="page">{labels[role]}</a>' in page, role
            assert shown == OVERSEEN[role], role
        else:
            assert 'href="?tab=overseen"' not in page, role
            assert '<a href="?tab=received" aria-current="page">Received</a>' in page, role
            assert shown == received[role], role
    menu = login(world.users["coordinator"]).get(reverse("join:interests")).content.decode()
    assert (
        f'href="{reverse("join:interests")}"' in menu
    )  # in the menu though the coordinator has no organisation


def test_overseen_tab_fields_and_decision(world, overseen, django_capture_on_commit_callbacks):
    """The manager sees the sender and the opportunity's organisation, decides from the tab and comes back
    to it; the sender's contact email shows only once the interest is accepted."""
    manager = login(world.users["manager"])
    url = reverse("join:interests") + "?tab=overseen"
    page = manager.get(url).content.decode()
    interest = overseen["in_a"]
    assert "Gamma Robotics</a> → " in page and "Alpha Sensors</a>" in page
    assert f"/interests/{interest.pk}/decide/" in page and "/withdraw/" not in page
    assert "contact@gamma.example" not in page and "hello@alpha.example" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("join:decide_interest", args=[interest.pk]), {"decision": "approve", "tab": "overseen"}
        )
    assert response.status_code == 302 and response["Location"].endswith(
        f"?tab=overseen#interest-{interest.pk}"
    )
    interest.refresh_from_db()
    assert (interest.status, interest.decided_by) == (RequestStatus.APPROVED, world.users["manager"])
    page = manager.get(url + "&status=approved").content.decode()
    assert "contact@gamma.example" in page and f"/interests/{interest.pk}/decide/" not in page
    response = manager.post(
        reverse("join:decide_interest", args=[interest.pk]), {"decision": "approve", "tab": "elsewhere"}
    )
    assert response["Location"].endswith(f"?tab=received#interest-{interest.pk}")


def test_api_overseen_scope_by_role_and_fields(world, overseen):
    def listed(user):
        response = api(user, "get", "/api/opportunity-interests?scope=overseen")
        return response

    assert listed(None).status_code == 401
    ids = {interest.pk: key for key, interest in overseen.items() if key != "manager_b"}
    for role, user in overseers(world, overseen).items():
        response = listed(user)
        assert response.status_code == 200, role
        assert {ids[item["id"]] for item in response.json()["results"]} == OVERSEEN[role], role
    item = next(
        item for item in listed(world.users["manager"]).json()["results"] if item["id"] == overseen["in_a"].pk
    )
    assert (item["organisation"], item["owner"], item["message"], item["contact_email"]) == (
        world.org_b1.slug,
        world.org_a1.slug,
        MESSAGE,
        None,
    )
    joining.decide_interest(world.users["coordinator"], overseen["in_a"], True)
    accepted = api(world.users["manager"], "get", "/api/opportunity-interests?scope=overseen&status=approved")
    assert [(item["id"], item["contact_email"]) for item in accepted.json()["results"]] == [
        (overseen["in_a"].pk, "contact@gamma.example")
    ]
    assert (
        api(world.users["manager"], "get", "/api/opportunity-interests?scope=everything").status_code == 422
    )


def test_overseen_list_queries_do_not_grow_with_the_interests(world, overseen):
    """The scope filters in the query (no per-row permission query for a coordinator's list)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = login(world.users["coordinator"])
    url = reverse("join:interests") + "?tab=overseen"

    def queries() -> int:
        coordinator.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        organisation = make_org(f"Sender {number}", "PL")
        joining.send_interest(
            make_user(f"sender{number}@test.example", organisation), world.opportunity_a1, organisation, "Hi"
        )
    assert queries() == before


@pytest.mark.parametrize("rows", [5, 25])
def test_a_cluster_managers_overseen_tab_costs_the_same_queries_for_5_and_25_pending_interests(
    world, rows, django_assert_max_num_queries
):
    """Whether the manager may decide each pending interest is asked without a query per row (page size 25)."""
    for number in range(rows):
        organisation = make_org(f"Sender {number}", "PL")
        joining.send_interest(
            make_user(f"sender{number}@test.example", organisation), world.opportunity_a1, organisation, "Hi"
        )
    manager = login(world.users["manager"])
    url = reverse("join:interests") + "?tab=overseen"
    manager.get(url)
    with django_assert_max_num_queries(10):  # as many for 5 rows as for 25 (was 14 and 34)
        page = manager.get(url).content.decode()
    assert page.count("Sender ") >= rows
