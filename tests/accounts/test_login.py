"""Email login, password reset by email, login throttling, API tokens."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from clusterxchange.accounts.models import ApiToken, User


@pytest.fixture
def user(db):
    return User.objects.create_user(email="ada@example.org", password="correct-horse-battery")


def test_login_by_email(client, user):
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200


def test_wrong_password_shows_an_error(client, user):
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_sends_an_email(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # queued, sent after the commit (core.mail)
        response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "ada@example.org" in mail.outbox[0].to


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/5m/ip,3/5m/key"})
def test_allauth_counts_no_wrong_passwords(client, user):
    """allauth's count of wrong passwords would refuse the right one afterwards, from any address or for
    every account of an address: anyone could aim it at others. django-axes throttles the password
    step per account and address instead (test_throttling.py, tests/security/test_lockout.py)."""
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "ada@example.org", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_tokens_are_stored_hashed_and_revocable(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:api_tokens"), {"name": "laptop", "scopes": ["directory:read"], "days": "30"}
    )
    secret = response.context["new_token"]
    token = ApiToken.objects.get(user=user)
    assert secret.startswith("cx_") and secret not in token.digest
    assert ApiToken.authenticate(secret) == user
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert ApiToken.authenticate(secret) is None


def test_tokens_of_others_cannot_be_revoked(client, user):
    other = User.objects.create_user(email="eve@example.org", password="x-long-password")
    token, _secret = ApiToken.issue(other, "theirs")
    client.force_login(user)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
