"""The page "Waiting for you" and the box on the home page (site/waiting.py): what each role is asked
to do across the apps, with links to where they do it, and nothing about records they may not see."""

from datetime import date, time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from clusterxchange.accounts.models import ApiToken
from clusterxchange.directory.models import RequestStatus
from clusterxchange.events.domain import matchmaking, registering
from clusterxchange.exchanges.models import Exchange
from clusterxchange.joining import domain as joining
from clusterxchange.waiting.gathering import waiting_for
from tests.conftest import ROLES
from tests.events.conftest import add_session, make_event

pytestmark = pytest.mark.django_db

URL = reverse("waiting")
BOX = reverse("waiting_box")


def asked(user) -> dict[str, list[str]]:
    return {group.what: [item.about for item in group.items] for group in waiting_for(user)}


@pytest.fixture
def busy_world(world):
    """An event with a meeting request to the outsider and a registration the organisers decide; an
    interest of the outsider's organisation in an opportunity of the owner's."""
    event = make_event(world, title="Robotics Day", validation="manual", start_date=date(2031, 6, 20))
    add_session(world, event, "Morning", time(9, 0), time(11, 0))
    owner_registration = registering.register(world.users["owner"], event, world.org_a1)
    other = registering.register(world.users["outsider"], event, world.org_b1)
    for registration in (owner_registration, other):
        registering.decide_registration(world.users["coordinator"], registration, validate=True)
    matchmaking.request_meeting(world.users["owner"], owner_registration, other, "Let us meet")
    registering.register(world.users["same_cluster"], event, world.org_a2)  # waits for the organisers
    joining.send_interest(world.users["outsider"], world.opportunity_a1, world.org_b1, "We build robots.")
    return world


def test_each_role_is_asked_only_its_own_steps(busy_world):
    users = busy_world.users
    assert asked(users["outsider"]) == {"Answer meeting requests": ["Robotics Day"]}
    assert asked(users["owner"]) == {
        "Answer expressions of interest": ["Gamma Robotics · " + busy_world.opportunity_a1.title]
    }
    organiser = {"Validate or reject registrations": ["Robotics Day"]}
    assert asked(users["coordinator"]) == organiser
    assert asked(users["manager"]) == organiser  # the event's host cluster
    assert asked(users["same_cluster"]) == {}


def test_the_page_links_to_where_each_step_is_taken(busy_world):
    event_slug = busy_world.programme.events.get().slug
    outsider = busy_world.client("outsider").get(URL).content.decode()
    assert reverse("events:requests", args=[event_slug]) + "#incoming-title" in outsider
    assert "Gamma Robotics" not in busy_world.client("same_cluster").get(URL).content.decode()
    owner = busy_world.client("owner").get(URL).content.decode()
    assert reverse("join:interests") + "?tab=received&amp;status=pending" in owner
    assert "We build robots." not in owner  # the message is read on the interests page
    manager = busy_world.client("manager").get(URL).content.decode()
    assert reverse("events:registrations", args=[event_slug]) in manager


def test_answered_steps_leave_the_list(busy_world):
    users = busy_world.users
    request = busy_world.programme.events.get().meeting_requests.get()
    matchmaking.respond(users["outsider"], request, True)
    interest = busy_world.opportunity_a1.interests.get()
    joining.decide_interest(users["owner"], interest, True)
    assert interest.__class__.objects.get(pk=interest.pk).status == RequestStatus.APPROVED
    assert asked(users["outsider"]) == {}
    assert asked(users["owner"]) == {}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_the_page_and_anonymous_is_sent_to_log_in(world, role):
    response = world.client(role).get(URL)
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 200
        assert "Nothing waits for you now." in response.content.decode()


def test_the_home_page_box_counts_and_speaks_the_readers_language(busy_world):
    def box(role: str) -> str:
        return busy_world.client(role).get(reverse("waiting_box")).content.decode()

    coordinator = box("coordinator")
    assert (
        'id="waiting-box-title"' in coordinator and "Validate or reject registrations</a> (1)" in coordinator
    )
    assert 'id="nothing-waits"' not in coordinator
    assert 'id="waiting-box-title"' not in box("same_cluster")
    # A member with nothing to answer is still led on: a newcomer's home page said nothing to them.
    assert 'id="nothing-waits"' in box("same_cluster") and reverse("join:welcome") in box("same_cluster")
    with translation.override("de"):
        german = box("outsider")
        assert translation.gettext("Waiting for you") in german
        assert translation.gettext("Answer meeting requests") in german
        assert translation.gettext("Waiting for you") != "Waiting for you"


def test_the_home_page_loads_the_box_after_itself_and_links_to_the_page_without_javascript(busy_world):
    """The list costs 0.2 ms per open exchange for a coordinator: the home page does not wait for it."""
    client = busy_world.client("coordinator")
    with mock.patch("clusterxchange.waiting.gathering._everything", side_effect=AssertionError("gathered")):
        home = client.get(reverse("home")).content.decode()
    assert f'hx-get="{BOX}"' in home and f'href="{URL}"' in home
    assert "Validate or reject registrations" not in home
    anonymous = busy_world.client("anonymous").get(reverse("home")).content.decode()
    assert BOX not in anonymous and 'id="nothing-waits"' not in anonymous


@pytest.mark.parametrize("language", ["en", "fr"])
def test_answers_come_before_paperwork_in_every_language(busy_world, language):
    partners = busy_world.programme.partners
    Exchange.objects.create(  # paid: the coordinator issues its certificate
        programme=busy_world.programme,
        visitor_organisation=busy_world.org_a1,
        visitor_partner=partners.get(cluster=busy_world.cluster_a),
        host_organisation=busy_world.org_b1,
        host_partner=partners.get(cluster=busy_world.cluster_b),
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 8),
        state="paid",
    )
    with translation.override(language):
        order = [group.what for group in waiting_for(busy_world.users["coordinator"])]
        assert order == [
            translation.gettext("Validate or reject registrations"),
            translation.gettext("Issue the certificate"),
        ]


def test_a_superuser_coordinator_is_asked_what_their_roles_ask(busy_world):
    """The first account of a fresh install (`clusterxchange setup`) is a superuser and the programme's
    coordinator: every permission said yes, so it was asked to submit other people's drafts and ask hosts
    for their exchanges; the coordinator's steps are what waits for it."""
    coordinator = busy_world.users["coordinator"]
    for state in ("draft", "validated"):  # the visitor's turn: submit it, ask a host
        Exchange.objects.create(
            programme=busy_world.programme,
            visitor_organisation=busy_world.org_a1,
            visitor_partner=busy_world.programme.partners.get(cluster=busy_world.cluster_a),
            start_date=date(2031, 7, 7),
            end_date=date(2031, 7, 18),
            state=state,
        )
    assert set(asked(busy_world.users["owner"])) >= {"Submit the application", "Ask a host"}
    coordinator.is_superuser = True
    coordinator.save()
    assert asked(coordinator) == {"Validate or reject registrations": ["Robotics Day"]}
    assert coordinator.is_superuser and coordinator.has_perm("exchanges.request_host", None)


def test_an_event_that_has_ended_asks_nothing_more(busy_world):
    event = busy_world.programme.events.get()
    event.start_date = event.end_date = date(2026, 6, 1)  # before the tests' clock
    event.save()
    assert asked(busy_world.users["outsider"]) == {}
    assert asked(busy_world.users["coordinator"]) == {}


API = "/api/waiting"

# What each role is asked in `busy_world`, as the API gives it: what to do, how many, and the items.
ASKED_BY_API = {
    "coordinator": {"Validate or reject registrations": (1, ["Robotics Day"])},
    "manager": {"Validate or reject registrations": (1, ["Robotics Day"])},  # the event's host cluster
    "owner": {"Answer expressions of interest": (1, ["Gamma Robotics · {opportunity}"])},
    "same_cluster": {},
    "outsider": {"Answer meeting requests": (1, ["Robotics Day"])},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_gives_each_role_what_the_page_lists_and_nothing_more(busy_world, role):
    response = busy_world.client(role).get(API)
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "groups"}
    expected = {
        what: (count, [about.format(opportunity=busy_world.opportunity_a1.title) for about in items])
        for what, (count, items) in ASKED_BY_API[role].items()
    }
    assert {g["what"]: (g["count"], [i["about"] for i in g["items"]]) for g in body["groups"]} == expected
    assert body["count"] == sum(count for count, _ in expected.values())
    page = [
        {
            "what": g.what,
            "count": g.count,
            "url": g.url,
            "items": [{"about": i.about, "url": i.url, "count": i.count} for i in g.items],
        }
        for g in waiting_for(busy_world.users[role])
    ]
    assert body["groups"] == page  # the same groups, counts and links as the page
    for group in body["groups"]:
        assert set(group) == {"what", "count", "url", "items"}
        assert all(set(item) == {"about", "url", "count"} for item in group["items"])
    assert "We build robots." not in response.content.decode()  # the message is read on its page


def test_the_api_speaks_the_readers_language_and_links_to_the_pages_in_it(busy_world):
    client = busy_world.client("outsider")
    slug = busy_world.programme.events.get().slug
    for chosen, asked, language in (("", "de", "de"), ("fr", "de", "fr")):
        busy_world.users["outsider"].language = chosen
        busy_world.users["outsider"].save()
        (group,) = client.get(API, HTTP_ACCEPT_LANGUAGE=asked).json()["groups"]
        with translation.override(language):
            assert (
                group["what"] == translation.gettext("Answer meeting requests") != "Answer meeting requests"
            )
            assert group["url"] == group["items"][0]["url"]
            assert group["url"] == reverse("events:requests", args=[slug]) + "#incoming-title"
            assert group["url"].startswith(f"/{language}/")


def test_a_token_reads_the_list_with_its_own_scope(busy_world):
    outsider = busy_world.users["outsider"]
    allowed = ApiToken.issue(outsider, "dashboard", scopes=["waiting:read"])[1]
    other = ApiToken.issue(outsider, "events", scopes=["events:read"])[1]
    client = busy_world.client("anonymous")
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {allowed}").json()["count"] == 1
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
