"""Joining the programme: sign-up, the next-steps page, find and ask to join, register an organisation
(duplicates, impossible SME figures), decisions by role with a required reason, emails in the
requester's language, and the API with the same permissions."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clusterxchange.accounts.models import Membership, User
from clusterxchange.accounts.tokens import ApiToken
from clusterxchange.core.domain import Refused
from clusterxchange.directory.models import (
    ClusterMembership,
    JoinRequest,
    Organisation,
    OrganisationRegistration,
    Person,
)
from clusterxchange.directory.sme import sme_declaration_problems
from clusterxchange.joining import domain as joining
from clusterxchange.joining.rules import join_requests_to_decide
from clusterxchange.site.navigation import Menu
from tests.conftest import ROLES, make_user

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


@pytest.fixture
def newcomer(world):
    user = make_user("new@test.example")
    user.first_name, user.last_name = "Nora", "Neu"
    user.save()
    return user


def client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def register(user, cluster, confirm=False, **fields):
    data = {"name": "Delta Labs", "org_type": "research", "country": "FR", "city": "Lyon"} | fields
    return joining.register_organisation(user, data, cluster, confirm_different=confirm)


# Sign-up --------------------------------------------------------------------------------------------------


def test_the_header_and_home_page_offer_sign_up_when_logged_out(world):
    page = world.client("anonymous").get(reverse("home")).content.decode()
    assert reverse("account_signup") in page
    assert "Join the programme" in page
    assert "Sign up" in page


def test_sign_up_asks_for_the_name_and_leads_to_the_next_steps(db):
    response = Client_post_signup()
    assert response.status_code == 302
    assert response["Location"] == reverse("join:welcome")
    user = User.objects.get(email="signup@test.example")
    assert (user.first_name, user.last_name) == ("Sam", "Signup")


def Client_post_signup():
    from django.test import Client

    return Client().post(
        reverse("account_signup"),
        {
            "first_name": "Sam",
            "last_name": "Signup",
            "email": "signup@test.example",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )


def test_sign_up_without_a_name_is_refused(db):
    from django.test import Client

    response = Client().post(
        reverse("account_signup"),
        {
            "email": "x@test.example",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@test.example").exists()


# The next-steps page in every state ---------------------------------------------------------------------------


def welcome_text(user) -> str:
    response = client_of(user).get(reverse("join:welcome"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_welcome_page_in_every_state_of_a_fresh_account(world, newcomer):
    manager, coordinator = world.users["manager"], world.users["coordinator"]
    page = welcome_text(newcomer)
    assert "Find your organisation" in page and reverse("join:register") in page
    assert "Your requests" not in page

    pending = joining.ask_to_join(newcomer, world.org_a1, "I am the new CTO")
    page = welcome_text(newcomer)
    assert "Pending" in page and "Alpha Sensors has no admin yet" in page and "Cluster A" in page
    assert reverse("join:withdraw_join", args=[pending.pk]) in page

    joining.decide_join_request(manager, pending, False, "We do not know you")
    page = welcome_text(newcomer)
    assert "Refused" in page and "We do not know you" in page and "Find your organisation" in page

    registration = register(newcomer, world.cluster_a)
    page = welcome_text(newcomer)
    assert "Register Delta Labs" in page and "The managers of Cluster A" in page

    joining.decide_registration(coordinator, registration, True)
    page = welcome_text(newcomer)
    assert "Your organisations" in page and "Delta Labs" in page and "you are its admin" in page
    assert reverse("exchanges:create") in page
    assert "Find your organisation" not in page  # a member is offered to join another one instead


def test_the_home_page_points_a_member_less_account_to_the_next_steps(world, newcomer):
    page = client_of(newcomer).get(reverse("home")).content.decode()
    assert reverse("join:welcome") in page
    owner_page = world.client("owner").get(reverse("home")).content.decode()
    assert "You do not belong to an organisation yet" not in owner_page


def test_pages_that_need_a_membership_lead_to_the_next_steps(world, newcomer):
    client = client_of(newcomer)
    for url in (reverse("exchanges:create"), reverse("exchanges:host_profile_register")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("join:welcome")), url
    assert reverse("join:welcome") in client.get(reverse("exchanges:list")).content.decode()
    # A coordinator (a role without an organisation) is refused as before.
    assert world.client("coordinator").get(reverse("exchanges:create")).status_code == 403


# Find and ask ------------------------------------------------------------------------------------------------


def test_find_by_name_vat_number_and_website(world, newcomer):
    world.org_a1.vat_number = "FR12345678901"
    world.org_a1.website = "https://www.alpha-sensors.eu/en/"
    world.org_a1.save()
    assert world.org_a1.website_domain == "alpha-sensors.eu"
    for query in (
        "alpha sens",
        "FR 123 456 789 01",
        "fr12345678901",
        "alpha-sensors.eu",
        "http://alpha-sensors.eu",
    ):
        assert list(joining.find_organisations(query)) == [world.org_a1], query
    page = client_of(newcomer).get(reverse("join:find"), {"q": "alpha"}).content.decode()
    assert reverse("join:ask", args=[world.org_a1.slug]) in page


def test_asking_twice_or_as_a_member_is_refused(world, newcomer):
    joining.ask_to_join(newcomer, world.org_a1)
    with pytest.raises(Refused, match="already asked"):
        joining.ask_to_join(newcomer, world.org_a1)
    with pytest.raises(Refused, match="already a member"):
        joining.ask_to_join(world.users["owner"], world.org_a1)
    assert JoinRequest.objects.count() == 1


# Who decides ------------------------------------------------------------------------------------------------------

# A request to join Alpha Sensors, which has no admin: cluster A's managers and the coordinators decide.
NO_ADMIN = {
    "coordinator": 302,
    "manager": 302,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}
# Once the owner is Alpha Sensors' admin, only they decide.
WITH_ADMIN = {
    "coordinator": 403,
    "manager": 403,
    "owner": 302,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_a_join_request_of_an_organisation_without_admin(world, newcomer, role):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    response = world.client(role).post(
        reverse("join:decide_join", args=[join_request.pk]), {"decision": "approve"}
    )
    assert response.status_code == NO_ADMIN[role]
    join_request.refresh_from_db()
    approved = NO_ADMIN[role] == 302 and role != "anonymous"
    assert join_request.status == ("approved" if approved else "pending")
    assert Membership.objects.filter(user=newcomer, organisation=world.org_a1).exists() is approved


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_a_join_request_of_an_organisation_with_an_admin(world, newcomer, role):
    Membership.objects.filter(user=world.users["owner"]).update(role="manager")
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    response = world.client(role).post(
        reverse("join:decide_join", args=[join_request.pk]), {"decision": "refuse", "reason": "Unknown"}
    )
    assert response.status_code == WITH_ADMIN[role]
    join_request.refresh_from_db()
    refused = WITH_ADMIN[role] == 302 and role != "anonymous"
    assert join_request.status == ("refused" if refused else "pending")


REQUESTS_PAGE = {
    "coordinator": 200,
    "manager": 200,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}
USERS_ONLY = {**dict.fromkeys(ROLES, 200), "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_page_permissions(world, role):
    client = world.client(role)
    assert client.get(reverse("join:requests")).status_code == REQUESTS_PAGE[role]
    for name, args in (
        ("join:welcome", []),
        ("join:find", []),
        ("join:register", []),
        ("join:ask", [world.org_b1.slug]),
    ):
        assert client.get(reverse(name, args=args)).status_code == USERS_ONLY[role], name


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_the_deciders_see_the_requesters_email_others_do_not(world, newcomer, role):
    joining.ask_to_join(newcomer, world.org_a1, "Hello")
    register(newcomer, world.cluster_a)
    page = world.client(role).get(reverse("join:requests")).content.decode()
    assert page.count("new@test.example") == 2
    assert "Delta Labs" in page


def test_a_cluster_b_manager_does_not_see_cluster_a_requests(world, newcomer):
    other = make_user("manager.b@test.example", world.cluster_b, "manager")
    joining.ask_to_join(newcomer, world.org_a1)
    register(newcomer, world.cluster_a)
    page = client_of(other).get(reverse("join:requests")).content.decode()
    assert "new@test.example" not in page
    with pytest.raises(PermissionDenied):
        joining.decide_registration(other, OrganisationRegistration.objects.get(), True)


def test_the_menu_counts_the_requests_to_decide_cheaply(world, newcomer, django_assert_max_num_queries):
    joining.ask_to_join(newcomer, world.org_a1)
    register(newcomer, world.cluster_a)
    manager = User.objects.get(pk=world.users["manager"].pk)
    request = type("R", (), {"user": manager, "resolver_match": None})()
    with django_assert_max_num_queries(4):  # the roles (3) + one count of the three kinds of request
        labels = [str(item.label) for group in Menu(request).groups for item in group.items]
    assert "Requests to decide (2)" in labels
    owner_request = type("R", (), {"user": world.users["owner"], "resolver_match": None})()
    assert not any("Requests to decide" in str(i.label) for g in Menu(owner_request).groups for i in g.items)


# Decisions --------------------------------------------------------------------------------------------------------


def test_refusing_needs_a_reason_and_changes_nothing_without_one(world, newcomer):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    with pytest.raises(ValidationError) as error:
        joining.decide_join_request(world.users["manager"], join_request, False, "   ")
    assert "reason" in error.value.message_dict
    join_request.refresh_from_db()
    assert join_request.status == "pending" and join_request.decided_by is None
    response = world.client("manager").post(
        reverse("join:decide_join", args=[join_request.pk]), {"decision": "refuse"}, follow=True
    )
    assert "Say why the request is refused" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_a_decided_request_cannot_be_decided_or_withdrawn_again(world, newcomer):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    joining.decide_join_request(world.users["manager"], join_request, True)
    with pytest.raises(Refused, match="no longer pending"):
        joining.decide_join_request(world.users["coordinator"], join_request, False, "No")
    with pytest.raises(Refused, match="no longer pending"):
        joining.withdraw_join_request(newcomer, join_request)


def test_approval_makes_a_member_with_a_person_record(world, newcomer):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    joining.decide_join_request(world.users["manager"], join_request, True, "Welcome")
    membership = Membership.objects.get(user=newcomer, organisation=world.org_a1)
    assert membership.role == "member"
    person = Person.objects.get(user=newcomer)
    assert (person.first_name, person.last_name, person.organisation) == ("Nora", "Neu", world.org_a1)
    assert client_of(newcomer).get(reverse("exchanges:create")).status_code == 200


def test_only_the_requester_withdraws(world, newcomer):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    assert (
        world.client("manager").post(reverse("join:withdraw_join", args=[join_request.pk])).status_code == 403
    )
    response = client_of(newcomer).post(reverse("join:withdraw_join", args=[join_request.pk]))
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == "withdrawn"


# Registering an organisation -------------------------------------------------------------------------------------


def test_a_registered_organisation_is_listed_only_once_approved(world, newcomer):
    registration = register(newcomer, world.cluster_a, website="https://delta-labs.fr")
    anonymous = world.client("anonymous")
    assert "Delta Labs" not in anonymous.get(reverse("directory:organisations")).content.decode()
    assert not Organisation.objects.filter(name="Delta Labs").exists()
    joining.decide_registration(world.users["manager"], registration, True, "Known to us")
    organisation = Organisation.objects.get(name="Delta Labs")
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=organisation).exists()
    assert Membership.objects.get(user=newcomer, organisation=organisation).role == "manager"
    assert "Delta Labs" in anonymous.get(reverse("directory:organisations")).content.decode()
    registration.refresh_from_db()
    assert registration.organisation == organisation and registration.decided_by == world.users["manager"]


def test_only_a_partner_cluster_is_accepted(world, newcomer):
    with pytest.raises(ValidationError) as error:
        register(newcomer, world.org_a1)
    assert "cluster" in error.value.message_dict


def test_the_same_vat_number_is_refused(world, newcomer):
    world.org_a1.vat_number = "FR12345678901"
    world.org_a1.save()
    with pytest.raises(
        Refused, match="Alpha Sensors is already registered with the VAT number FR12345678901"
    ):
        register(newcomer, world.cluster_a, vat_number="fr 123.456.789-01", confirm=True)
    register(newcomer, world.cluster_a, vat_number="DE999999999")
    with pytest.raises(Refused, match="already waiting for approval"):
        register(newcomer, world.cluster_a, name="Other", vat_number="DE 999999999")
    assert OrganisationRegistration.objects.count() == 1


def test_the_same_name_in_the_same_country_is_refused(world, newcomer):
    with pytest.raises(Refused, match="already in the directory"):
        register(newcomer, world.cluster_a, name="alpha sensors", confirm=True)
    register(newcomer, world.cluster_a, name="Alpha Sensors", country="DE")  # another country: fine


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"website": "http://www.alpha.example/contact"}, "website"),
        ({"name": "Alpha Sensors SAS"}, "name"),
        ({"name": "Alpha Sensor"}, "name"),
    ],
)
def test_a_similar_organisation_is_a_warning_the_person_confirms(world, newcomer, fields, why):
    world.org_a1.website = "https://alpha.example"
    world.org_a1.save()
    similar = joining.similar_organisations(fields.get("name", "Delta Labs"), "FR", fields.get("website", ""))
    assert [(item.organisation, item.why) for item in similar] == [(world.org_a1, why)]
    with pytest.raises(Refused, match=r"Alpha Sensors .* looks like the same organisation"):
        register(newcomer, world.cluster_a, **fields)
    assert not OrganisationRegistration.objects.exists()
    registration = register(newcomer, world.cluster_a, confirm=True, **fields)
    assert registration.confirmed_different


def test_the_registration_page_shows_the_similar_organisation_with_a_link_to_ask_to_join(world, newcomer):
    data = {
        "name": "Alpha Sensors SARL",
        "org_type": "research",
        "country": "FR",
        "cluster": world.cluster_a.pk,
    }
    page = client_of(newcomer).post(reverse("join:register"), data).content.decode()
    assert reverse("join:ask", args=[world.org_a1.slug]) in page
    assert 'name="confirm_different"' in page and 'type="checkbox"' in page
    assert not OrganisationRegistration.objects.exists()
    response = client_of(newcomer).post(reverse("join:register"), data | {"confirm_different": "on"})
    assert response.status_code == 302
    assert OrganisationRegistration.objects.get().confirmed_different


@pytest.mark.parametrize(
    ("org_type", "staff", "turnover", "balance", "field", "words"),
    [
        ("sme", -1, None, None, "staff_count", "negative"),
        ("sme", 10, -5, None, "turnover_eur", "negative"),
        ("research", 3_000_000, None, None, "staff_count", "more than any employer"),
        ("large_company", 1000, 2_000_000 * M, None, "turnover_eur", "1,000 billion"),
        ("sme", 0, 300 * M, None, "turnover_eur", "per person"),
        ("sme", 300, 10 * M, None, "staff_count", "not an SME"),
        ("sme", 200, 60 * M, 50 * M, "turnover_eur", "not an SME"),
        ("sme", None, 1 * M, None, "staff_count", "headcount"),
        ("sme", 12, None, None, "turnover_eur", "turnover or its balance sheet"),
    ],
)
def test_impossible_sme_figures_are_refused_with_a_reason_and_nothing_saved(
    world, newcomer, org_type, staff, turnover, balance, field, words
):
    assert words in sme_declaration_problems(org_type, staff, turnover, balance)[field]
    with pytest.raises(ValidationError) as error:
        register(
            newcomer,
            world.cluster_a,
            org_type=org_type,
            staff_count=staff,
            turnover_eur=turnover,
            balance_sheet_eur=balance,
        )
    assert field in error.value.message_dict
    assert not OrganisationRegistration.objects.exists()


def test_plausible_sme_figures_pass(world, newcomer):
    assert sme_declaration_problems("sme", 0, Decimal(150_000), None) == {}
    assert sme_declaration_problems("sme", 249, 50 * M, None) == {}
    assert sme_declaration_problems("large_company", 5000, 900 * M, 1200 * M) == {}
    registration = register(newcomer, world.cluster_a, org_type="sme", staff_count=12, turnover_eur=2 * M)
    assert registration.is_sme is True


# Emails in the recipient's language ----------------------------------------------------------------------------


def in_language(language, msgid, **params):
    with translation.override(language):
        return gettext(msgid) % params


def subjects_to(address):
    return [message.subject for message in mail.outbox if message.to == [address]]


@pytest.mark.parametrize("language", ["de", "fr", "es", "lt", "pl", "bg"])
def test_decisions_reach_the_requester_in_their_language(
    world, newcomer, language, django_capture_on_commit_callbacks
):
    newcomer.language = language
    newcomer.save()
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    registration = register(newcomer, world.cluster_a)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        joining.decide_join_request(world.users["manager"], join_request, False, "Unknown to us")
        joining.decide_registration(world.users["coordinator"], registration, True)
    refused = in_language(
        language, "Your request to join %(organisation)s was refused", organisation="Alpha Sensors"
    )
    approved = in_language(language, "%(organisation)s was approved", organisation="Delta Labs")
    assert refused != in_language(
        "en", "Your request to join %(organisation)s was refused", organisation="Alpha Sensors"
    )
    subjects = subjects_to("new@test.example")
    assert [subject.endswith(refused) for subject in subjects] == [True, False]
    assert subjects[1].endswith(approved)
    body = next(m.body for m in mail.outbox if m.subject.endswith(refused))
    assert "Unknown to us" in body and in_language(language, "Reason: %(reason)s", reason="") in body


def test_the_deciders_are_told_of_a_new_request(world, newcomer, django_capture_on_commit_callbacks):
    world.users["manager"].language = "fr"
    world.users["manager"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joining.ask_to_join(newcomer, world.org_a1)
    expected = in_language(
        "fr", "%(person)s asks to join %(organisation)s", person="Nora Neu", organisation="Alpha Sensors"
    )
    assert [subject.endswith(expected) for subject in subjects_to("manager@test.example")] == [True]


# API --------------------------------------------------------------------------------------------------------------


def api(user, method, path, body=None):
    from django.test import Client

    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user, 'test')[1]}"
    call = getattr(Client(), method)
    return (
        call(path, body, content_type="application/json", **headers)
        if body is not None
        else call(path, **headers)
    )


def test_api_join_request_flow_and_fields_by_role(world, newcomer):
    created = api(
        newcomer, "post", "/api/join-requests", {"organisation": world.org_a1.slug, "message": "Hi"}
    )
    assert created.status_code == 201, created.content
    mine = created.json()
    assert mine["requester_email"] is None and "no admin yet" in mine["deciders"]
    assert api(newcomer, "post", "/api/join-requests", {"organisation": world.org_a1.slug}).status_code == 409

    to_decide = api(world.users["manager"], "get", "/api/join-requests?scope=to-decide").json()
    assert [(item["id"], item["requester_email"]) for item in to_decide] == [(mine["id"], "new@test.example")]
    assert api(world.users["outsider"], "get", "/api/join-requests?scope=to-decide").json() == []
    assert api(None, "get", "/api/join-requests").status_code == 401

    path = f"/api/join-requests/{mine['id']}/decision"
    assert api(world.users["outsider"], "post", path, {"decision": "approve"}).status_code == 403
    assert api(world.users["manager"], "post", path, {"decision": "refuse"}).status_code == 422
    decided = api(world.users["manager"], "post", path, {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert api(newcomer, "post", f"/api/join-requests/{mine['id']}/withdraw").status_code == 409


def test_api_registration_flow(world, newcomer):
    body = {
        "name": "Delta Labs",
        "org_type": "sme",
        "country": "fr",
        "cluster": world.cluster_a.slug,
        "staff_count": 300,
        "turnover_eur": "1000000",
    }
    refused = api(newcomer, "post", "/api/organisation-registrations", body)
    assert refused.status_code == 422 and "staff_count" in refused.content.decode()
    created = api(newcomer, "post", "/api/organisation-registrations", body | {"staff_count": 12})
    assert created.status_code == 201, created.content
    registration = created.json()
    assert registration["is_sme"] is True and registration["requester_email"] is None
    path = f"/api/organisation-registrations/{registration['id']}"
    assert (
        api(world.users["outsider"], "post", f"{path}/decision", {"decision": "approve"}).status_code == 403
    )
    assert api(world.users["manager"], "post", f"{path}/withdraw").status_code == 403
    decided = api(world.users["coordinator"], "post", f"{path}/decision", {"decision": "approve"}).json()
    assert decided["organisation"] and decided["requester_email"] == "new@test.example"
    assert Organisation.objects.filter(slug=decided["organisation"]).exists()
    mine = api(newcomer, "get", "/api/organisation-registrations").json()
    assert [item["status"] for item in mine] == ["approved"]


def test_api_similar_organisation_needs_confirmation(world, newcomer):
    body = {
        "name": "Alpha Sensors GmbH",
        "org_type": "research",
        "country": "FR",
        "cluster": world.cluster_a.slug,
    }
    first = api(newcomer, "post", "/api/organisation-registrations", body)
    assert first.status_code == 409 and "Alpha Sensors" in first.json()["detail"]
    again = api(newcomer, "post", "/api/organisation-registrations", body | {"confirm_different": True})
    assert again.status_code == 201


# More matrices: registrations by role, fields by role in the API, events ---------------------------------------

REGISTRATION_DECIDERS = {
    "coordinator": 302,
    "manager": 302,
    "owner": 403,
    "same_cluster": 403,
    "outsider": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_a_registration_under_cluster_a(world, newcomer, role):
    registration = register(newcomer, world.cluster_a)
    response = world.client(role).post(
        reverse("join:decide_registration", args=[registration.pk]), {"decision": "refuse", "reason": "No"}
    )
    assert response.status_code == REGISTRATION_DECIDERS[role]
    registration.refresh_from_db()
    decided = REGISTRATION_DECIDERS[role] == 302 and role != "anonymous"
    assert registration.status == ("refused" if decided else "pending")
    withdraw = world.client(role).post(reverse("join:withdraw_registration", args=[registration.pk]))
    assert withdraw.status_code == (302 if role == "anonymous" else 403)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_api_fields_by_role_the_requesters_email_only_for_deciders(world, newcomer, role):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    registration = register(newcomer, world.cluster_a)
    deciders = {"coordinator", "manager"}
    to_decide = api(world.users[role], "get", "/api/join-requests?scope=to-decide").json()
    registrations = api(world.users[role], "get", "/api/organisation-registrations?scope=to-decide").json()
    if role in deciders:
        assert [(item["id"], item["requester_email"]) for item in to_decide] == [
            (join_request.pk, "new@test.example")
        ]
        assert [(item["id"], item["requester_email"]) for item in registrations] == [
            (registration.pk, "new@test.example")
        ]
        assert registrations[0]["staff_count"] is None and registrations[0]["requester_name"] == "Nora Neu"
    else:
        assert to_decide == [] and registrations == []
    # Nobody but the requester and the deciders acts on a request; the requester never sees their own email
    # echoed as a decider would.
    decision = api(
        world.users[role],
        "post",
        f"/api/join-requests/{join_request.pk}/decision",
        {"decision": "refuse", "reason": "x"},
    )
    assert decision.status_code == (200 if role in deciders else 403)
    mine = api(newcomer, "get", "/api/join-requests").json()
    assert mine[0]["requester_email"] is None


def test_the_welcome_page_shows_a_withdrawn_request(world, newcomer):
    join_request = joining.ask_to_join(newcomer, world.org_a1)
    client_of(newcomer).post(reverse("join:withdraw_join", args=[join_request.pk]))
    page = welcome_text(newcomer)
    assert "Withdrawn" in page and reverse("join:withdraw_join", args=[join_request.pk]) not in page
    assert "Find your organisation" in page


def test_an_event_points_a_member_less_account_to_the_next_steps(world, newcomer):
    from tests.events.conftest import make_event

    event = make_event(world)
    client = client_of(newcomer)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("join:welcome") in page
    response = client.get(reverse("events:register", args=[event.slug]))
    assert (response.status_code, response["Location"]) == (302, reverse("join:welcome"))
    assert world.client("owner").get(reverse("events:register", args=[event.slug])).status_code == 200


def test_an_organisation_in_no_cluster_without_admin_is_decided_by_the_coordinators(world, newcomer):
    from tests.conftest import make_org

    lonely = make_org("Lonely Labs", "FR")
    join_request = joining.ask_to_join(newcomer, lonely)
    assert "the programme's coordinators decide" in joining.deciders_of_join_request(join_request)
    coordinator, manager = world.users["coordinator"], world.users["manager"]
    assert list(join_requests_to_decide(coordinator)) == [join_request]
    assert list(join_requests_to_decide(manager)) == []
    assert not manager.has_perm("directory.decide_joinrequest", join_request)
    joining.decide_join_request(coordinator, join_request, True)
    assert Membership.objects.filter(user=newcomer, organisation=lonely).exists()


def test_a_login_without_next_leads_a_member_less_account_to_the_next_steps(world, newcomer):
    from django.test import Client

    def login(email):
        return Client().post(reverse("account_login"), {"login": email, "password": "correct-horse-battery"})

    assert login("new@test.example")["Location"] == reverse("join:welcome")
    assert login("owner@test.example")["Location"] == "/"
    assert login("coordinator@test.example")["Location"] == "/"


def test_the_requests_to_decide_are_paged_not_cut(world):
    """Thirty people ask to join: the coordinator sees 25, then the rest on the next page (the list was
    cut at 200 without saying so)."""
    for n in range(30):
        joining.ask_to_join(make_user(f"asker{n:02d}@test.example"), world.org_a1)
    client = world.client("coordinator")
    first = client.get(reverse("join:requests")).content.decode()
    second = client.get(reverse("join:requests"), {"joins": "2"}).content.decode()
    assert first.count("@test.example&gt;") == 25 and "?joins=2" in first
    assert second.count("@test.example&gt;") == 5
