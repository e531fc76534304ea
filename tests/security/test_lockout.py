"""Lockout that cannot be aimed at others (tester's report: five wrong passwords for one account locked a
*different* account's correct login from the same address for five minutes).

- failures lock one account from one address (django-axes), never another account nor another address;
- failures from one address across accounts are capped without refusing a correct password;
- the real owner of a locked-out account gets in with a one-time code by email (no captcha), and the
  code login still asks for the second factor of an account that has one.
All with the production rate limits (the test settings switch allauth's off)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse

import clusterxchange.settings as production
from clusterxchange.accounts.models import User
from tests.accounts.test_two_factor import current_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_limits")]
PASSWORD = "correct-horse-battery"
SHARED = "192.0.2.10"  # a conference's or an office's one address


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS


@pytest.fixture
def people(db):
    return [
        User.objects.create_user(email=f"person{index}@example.org", password=PASSWORD) for index in range(6)
    ]


def login(email: str, password: str, address: str = SHARED, client: Client | None = None):
    client = client or Client()
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_for_one_account_do_not_lock_another_accounts_correct_login(people):
    attacker = Client()
    for _ in range(8):
        login(people[0].email, "wrong", client=attacker)
    _client, response = login(people[0].email, PASSWORD)
    assert response.status_code == 429  # this account, from this address: locked
    client, response = login(people[1].email, PASSWORD)
    assert response.status_code == 302 and logged_in(client)  # another account, same address: in
    client, response = login(people[0].email, PASSWORD, address="198.51.100.7")
    assert response.status_code == 302 and logged_in(client)  # same account, another address: in


@override_settings(ADDRESS_FAILURE_LIMIT=3)
def test_failures_across_accounts_are_capped_but_a_correct_password_still_logs_in(people):
    for person in people[:3]:
        _client, response = login(person.email, "wrong")
        assert "not correct" in response.content.decode()
    _client, response = login(people[3].email, "wrong")
    assert "Too many failed login attempts" in response.content.decode()
    client, response = login(people[4].email, PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    # Elsewhere nothing changed.
    _client, response = login(people[5].email, "wrong", address="198.51.100.7")
    assert "not correct" in response.content.decode()


def request_code(client: Client, email: str) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email leaves after the commit (core.mail)
        response = client.post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=SHARED)
    assert response.status_code == 302 and response["Location"] == reverse("account_confirm_login_code")
    return re.search(r"^([A-Z0-9-]{6,11})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_the_owner_of_a_locked_out_account_gets_in_with_an_emailed_code(people):
    owner = people[0]
    for _ in range(5):
        login(owner.email, "wrong")
    client, page = login(owner.email, PASSWORD)
    assert page.status_code == 429
    assert reverse("account_request_login_code") in page.content.decode()
    code = request_code(client, owner.email)
    assert mail.outbox[-1].to == [owner.email]
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR=SHARED)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_wrong_code_does_not_log_in(people):
    client = Client()
    request_code(client, people[0].email)
    client.post(reverse("account_confirm_login_code"), {"code": "AAAAAA"}, REMOTE_ADDR=SHARED)
    assert not logged_in(client)


def test_the_code_login_asks_for_the_second_factor(people):
    owner = people[0]
    secret = generate_totp_secret()
    TOTP.activate(owner, secret)
    client = Client()
    code = request_code(client, owner.email)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR=SHARED)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in(client)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert logged_in(client)


def test_the_lockout_grows_with_repeated_failures_of_the_same_pair(people):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    target = people[0]
    for _ in range(5):
        login(target.email, "wrong")
    _client, page = login(target.email, PASSWORD)
    assert page.status_code == 429 and "Try again in 15 minutes" in page.content.decode()
    for _ in range(4):  # hammering on while locked out: 10 failures in all
        login(target.email, "wrong")
    _client, page = login(target.email, PASSWORD)
    assert "Try again in 30 minutes" in page.content.decode()
    # 20 minutes later the first cool-off would be over, the doubled one is not…
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=20))
    _client, response = login(target.email, PASSWORD)
    assert response.status_code == 429
    # …even after someone else's successful login cleaned up expired records.
    _client, response = login(people[1].email, PASSWORD)
    assert response.status_code == 302
    assert login(target.email, PASSWORD)[1].status_code == 429
    # Others are not affected: the same account elsewhere, another account here.
    assert login(target.email, PASSWORD, address="198.51.100.7")[1].status_code == 302
    assert login(people[2].email, PASSWORD)[1].status_code == 302


def test_guessing_the_second_factor_code_is_limited(people):
    from tests.accounts.test_two_factor import wrong_code

    owner = people[0]
    secret = generate_totp_secret()
    TOTP.activate(owner, secret)
    client, response = login(owner.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)}, REMOTE_ADDR=SHARED)
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}, REMOTE_ADDR=SHARED)
    assert not logged_in(client)
    assert "Too many failed login attempts" in response.content.decode()
    # The password step for another account is not affected.
    assert login(people[1].email, PASSWORD)[1].status_code == 302


def test_many_logins_from_one_address_are_not_refused_when_correct(people):
    for _ in range(6):
        for person in people:
            client, response = login(person.email, PASSWORD)
            assert response.status_code == 302 and logged_in(client)
