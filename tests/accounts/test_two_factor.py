"""Optional two-factor login (allauth MFA, authenticator app): a user with it must give a valid code
after the password; a wrong code is refused; the account page offers it to coordinators and partner
cluster managers; MFA_REQUIRED_FOR_COORDINATORS makes coordinators set it up."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import override_settings
from django.urls import reverse

PASSWORD = "correct-horse-battery"


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wrong_code(secret: str) -> str:
    valid = {format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step)) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


@pytest.fixture
def coordinator_with_totp(world):
    user = world.users["coordinator"]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def password_step(client, email: str):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    return response


def test_a_valid_code_completes_the_login(client, coordinator_with_totp):
    user, secret = coordinator_with_totp
    password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("accounts:me")).status_code == 200


def test_a_wrong_code_is_refused(client, coordinator_with_totp):
    user, secret = coordinator_with_totp
    password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:me")).status_code == 302  # still sent to the login


def test_a_user_without_it_logs_in_with_the_password(client, world):
    response = client.post(reverse("account_login"), {"login": "owner@test.example", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("coordinator", True),
        ("manager", True),
        ("owner", False),
        ("same_cluster", False),
        ("outsider", False),
    ],
)
def test_the_account_page_offers_it_to_coordinators_and_managers(world, role, offered):
    page = world.client(role).get(reverse("accounts:me")).content.decode()
    assert ("Set up two-factor login" in page) is offered
    assert (reverse("mfa_index") in page) is offered


def test_the_account_page_shows_it_is_on(world, coordinator_with_totp):
    page = world.client("coordinator").get(reverse("accounts:me")).content.decode()
    assert "Manage two-factor login" in page


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_setting_it_up_with_the_app(client, world, role):
    from allauth.mfa.models import Authenticator

    user = world.users[role]
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    # Setting up a second factor asks for the password again first (allauth's reauthentication).
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret  # what the QR code holds
    refused = client.post(reverse("mfa_activate_totp"), {"code": wrong_code(secret)})
    assert refused.status_code == 200 and not Authenticator.objects.filter(user=user).exists()
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()


@override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)
def test_coordinators_can_be_required_to_set_it_up(world):
    response = world.client("coordinator").get(reverse("directory:organisations"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # Only the set-up pages stay open (tests/security/test_login_paths.py checks the rest).
    assert world.client("coordinator").get(reverse("accounts:me"))["Location"] == reverse("mfa_activate_totp")
    assert world.client("coordinator").get("/de" + reverse("mfa_index")).status_code == 200
    assert world.client("coordinator").get("/directory/accounts/")["Location"] == reverse("mfa_activate_totp")
    assert world.client("manager").get(reverse("directory:organisations")).status_code == 200


@override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)
def test_a_coordinator_with_it_is_not_redirected(world, coordinator_with_totp):
    assert world.client("coordinator").get(reverse("directory:organisations")).status_code == 200
