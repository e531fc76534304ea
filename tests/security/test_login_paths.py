"""Every way to a session or an API token asks for the second factor of an account that has one.

The login paths: allauth's login page, the admin login (which only sends to allauth's), the login that
follows a password reset, and API tokens (created only from a full session; refused while a required
second factor is not set up)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from clusterxchange.accounts.models import ApiToken
from tests.accounts.test_two_factor import PASSWORD, current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_with_totp(world):
    user = world.users["coordinator"]  # staff: may use the admin
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_with_the_password_alone_gives_no_session(client, coordinator_with_totp):
    user, _secret = coordinator_with_totp
    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_logged_in(client)
    for page in (reverse("accounts:me"), reverse("accounts:api_tokens"), reverse("admin:index")):
        assert client.get(page).status_code == 302
    assert client.post(reverse("accounts:api_tokens"), {"name": "stolen"}).status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_admin_login_never_logs_in_by_itself(client, world):
    """Even without a second factor: the admin login form is gone, allauth's is the only one."""
    response = client.post(
        reverse("admin:login"), {"username": "coordinator@test.example", "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_logged_in(client)


def test_the_admin_is_reached_through_allauth_and_the_code(client, coordinator_with_totp):
    user, secret = coordinator_with_totp
    to_login = client.get(reverse("admin:index"), follow=True)
    assert to_login.redirect_chain[-1][0].startswith(reverse("account_login"))
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_login_after_a_password_reset_asks_for_the_code(
    client, coordinator_with_totp, django_capture_on_commit_callbacks
):
    user, secret = coordinator_with_totp
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link)
    assert form_page.status_code == 302
    new_password = "another-long-passphrase-77"
    response = client.post(form_page["Location"], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert is_logged_in(client)


def test_the_login_page_with_the_password_alone_gives_no_session(client, coordinator_with_totp):
    user, _secret = coordinator_with_totp
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    assert client.get(reverse("accounts:api_tokens")).status_code == 302


@override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)
@pytest.mark.parametrize(
    "name",
    ["accounts:me", "accounts:api_tokens", "directory:organisations", "account_email", "admin:index"],
)
def test_a_required_second_factor_leaves_only_its_set_up_page(world, name):
    client = world.client("coordinator")
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/de" + reverse(name)).status_code == 302


@override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)
def test_a_required_second_factor_leaves_set_up_and_logout_open(world):
    client = world.client("coordinator")
    assert client.post(reverse("accounts:api_tokens"), {"name": "before"}).status_code == 302
    assert not ApiToken.objects.filter(user=world.users["coordinator"]).exists()
    setup = client.get(reverse("mfa_activate_totp"))  # asks for the password again first
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not is_logged_in(client)


@override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)
def test_a_required_second_factor_not_set_up_stops_the_coordinators_tokens(world, client):
    _token, secret = ApiToken.issue(world.users["coordinator"], "made before the rule")
    _other, participant_secret = ApiToken.issue(world.users["owner"], "a participant's")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {participant_secret}").status_code == 200
