"""Login throttling with django-axes: an account is locked out from one address after
AXES_FAILURE_LIMIT failed logins, with a page that says why; a successful login resets the count;
other addresses and other accounts are not affected."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from clusterxchange.accounts.models import User

PASSWORD = "correct-horse-battery"


@pytest.fixture
def user(db):
    return User.objects.create_user(email="ada@example.org", password=PASSWORD)


def login(client: Client, password: str, email: str = "ada@example.org", address: str = "10.0.0.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_the_attempt_after_the_limit_is_refused_with_a_clear_message(client, user):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = login(client, "wrong")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    # The 5th failure reaches the limit: from now on even the right password is refused.
    assert login(client, "wrong").status_code == 429
    response = login(client, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins" in text
    assert "Try again in 15 minutes" in text
    assert reverse("account_reset_password") in text
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_and_address(client, user):
    User.objects.create_user(email="bob@example.org", password=PASSWORD)
    for _ in range(5):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 429
    # The same account from another address, and another account from the same address, still work.
    assert login(Client(), PASSWORD, address="10.0.0.2").status_code == 302
    assert login(Client(), PASSWORD, email="BOB@example.org").status_code == 302


def test_a_successful_login_resets_the_count(client, user):
    for _ in range(4):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.post(reverse("account_logout"))
    for _ in range(4):
        assert login(client, "wrong").status_code == 200
    assert login(client, PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_the_proxy_saw_counts(client, user):
    """A client cannot escape the lockout by sending its own X-Forwarded-For entries."""
    for index in range(5):
        client.post(
            reverse("account_login"),
            {"login": "ada@example.org", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{index}, 203.0.113.7",
        )
    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.7",
    )
    assert response.status_code == 429


def test_the_admin_login_goes_through_the_throttled_login(client, user):
    """The admin has no password form of its own: it sends to allauth's login, throttled as above."""
    user.is_staff = True
    user.save()
    for _ in range(5):
        login(client, "wrong")
    response = client.post(
        reverse("admin:login"), {"username": "ada@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert login(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_leaves_no_address_log(client, user):
    from axes.models import AccessAttempt, AccessLog

    login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    assert AccessLog.objects.count() == 0  # nothing kept of the login's address and browser
    assert AccessAttempt.objects.count() == 0  # the failure was reset by the success
    user.refresh_from_db()
    assert user.last_login is not None
