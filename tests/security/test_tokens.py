"""API tokens: named, scoped (read or write per area), expiring (API_TOKEN_DAYS by default), last use
recorded; revoked on a password reset or change and when two-factor login is switched on (the owner is
told by email); listed and revocable by their owner and by the coordinators of the owner's programme."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from clusterxchange.accounts.models import ALL_SCOPES, ApiToken
from clusterxchange.core.models import AuditEntry
from tests.accounts.test_two_factor import PASSWORD, current_code

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def create(client: Client, **data):
    fields = {"name": "laptop", "scopes": ["directory:read"], "days": "30"}
    fields.update(data)
    return client.post(reverse("accounts:api_tokens"), fields)


def test_a_token_is_named_scoped_and_expires(world):
    client = world.client("owner")
    response = create(client, name="report script", scopes=["directory:read", "events:write"], days="30")
    secret = response.context["new_token"]
    token = ApiToken.objects.get(user=world.users["owner"])
    assert token.name == "report script"
    assert token.scopes == ["directory:read", "events:write"]
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert secret not in token.digest and token.digest == ApiToken.hash(secret)
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "report script" in page and "Events (read and write)" in page


@override_settings(API_TOKEN_DAYS=7)
def test_the_expiry_defaults_to_the_setting_and_cannot_exceed_it(world):
    token, _secret = ApiToken.issue(world.users["owner"], "default")
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    response = create(world.client("owner"), days="8")
    assert response.status_code == 200 and "7" in response.content.decode()
    assert response.context["form"].errors["days"]
    assert ApiToken.objects.filter(user=world.users["owner"]).count() == 1


def test_an_expired_token_is_refused(world, client):
    token, secret = ApiToken.issue(world.users["owner"], "old")
    assert client.get("/api/me", **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/me", **bearer(secret)).status_code == 401


def test_scopes_limit_areas_and_writing(world, client):
    _token, reader = ApiToken.issue(world.users["manager"], "reader", scopes=["directory:read"])
    _token, other_area = ApiToken.issue(world.users["manager"], "events only", scopes=["events:write"])
    _token, writer = ApiToken.issue(world.users["manager"], "writer", scopes=["directory:write"])
    assert client.get("/api/me", **bearer(reader)).status_code == 200
    body = '{"name": "Scoped Org", "org_type": "sme", "country": "FR"}'
    refused = client.post("/api/organisations", body, content_type="application/json", **bearer(reader))
    assert refused.status_code == 403 and "scopes" in refused.json()["detail"]
    assert client.get("/api/me", **bearer(other_area)).status_code == 403
    created = client.post("/api/organisations", body, content_type="application/json", **bearer(writer))
    assert created.status_code in {200, 201}, created.content


def test_the_last_use_is_recorded(world, client):
    token, secret = ApiToken.issue(world.users["owner"], "used")
    assert token.last_used_at is None
    client.get("/api/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_password_reset_revokes_the_tokens_and_tells_the_owner(
    world, client, django_capture_on_commit_callbacks
):
    user = world.users["owner"]
    _token, secret = ApiToken.issue(user, "ci")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link)
    new_password = "another-long-passphrase-77"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_page["Location"], {"password1": new_password, "password2": new_password})
    assert not ApiToken.objects.filter(user=user).exists()
    assert Client().get("/api/me", **bearer(secret)).status_code == 401
    told = mail.outbox[-1]
    assert told.to == [user.email] and "revoked" in told.subject and "password was reset" in told.body
    assert AuditEntry.objects.filter(action="accounts.token.revoke", comment="password_reset").exists()


def test_a_password_change_revokes_the_tokens(world, django_capture_on_commit_callbacks):
    user = world.users["owner"]
    ApiToken.issue(user, "ci")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    new_password = "another-long-passphrase-77"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )
    assert not ApiToken.objects.filter(user=user).exists()
    assert "password was changed" in mail.outbox[-1].body


def test_switching_on_two_factor_login_revokes_the_tokens(world, django_capture_on_commit_callbacks):
    user = world.users["manager"]
    ApiToken.issue(user, "made with the password alone")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert not ApiToken.objects.filter(user=user).exists()
    assert "Two-factor login was switched on" in mail.outbox[-1].body


def test_the_coordinator_lists_and_revokes_tokens_of_the_programmes_people(
    world, django_capture_on_commit_callbacks
):
    token, _secret = ApiToken.issue(world.users["owner"], "owner script")
    page = world.client("coordinator").get(reverse("accounts:programme_tokens"))
    assert page.status_code == 200
    assert "owner script" in page.content.decode() and world.users["owner"].email in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert mail.outbox[-1].to == [world.users["owner"].email]
    assert "coordinator" in mail.outbox[-1].body


def test_the_owner_is_told_in_their_language_else_the_current_programmes(
    world, django_capture_on_commit_callbacks
):
    """The revocation email is in the owner's language whatever the actor's; without one, in the
    current programme's default language (the email belongs to no programme)."""
    from clusterxchange.accounts import tokens

    owner = world.users["owner"]
    world.programme.default_language = "fr"
    world.programme.save(update_fields=["default_language"])
    for language, expected in (("lt", "lt"), ("", "fr")):
        owner.language = language
        owner.save(update_fields=["language"])
        ApiToken.issue(owner, "script")
        mail.outbox.clear()
        with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
            assert tokens.revoke_all(owner, "password_changed") == 1
        with translation.override(expected):
            subject, reason = gettext("Your API tokens were revoked"), gettext("Your password was changed.")
        [email] = mail.outbox
        assert email.subject == subject and reason in email.body


def test_others_cannot_list_or_revoke_someone_elses_token(world):
    from clusterxchange.accounts.models import User

    token, _secret = ApiToken.issue(world.users["owner"], "owner script")
    stranger = User.objects.create_user(email="stranger@test.example", password=PASSWORD)
    stranger_token, _ = ApiToken.issue(stranger, "not in the programme")
    for role in ("manager", "same_cluster", "outsider"):
        assert world.client(role).get(reverse("accounts:programme_tokens")).status_code == 403
        response = world.client(role).post(reverse("accounts:api_token_revoke", args=[token.pk]))
        assert response.status_code == 404
    # A coordinator reaches only the people of their programme.
    response = world.client("coordinator").post(
        reverse("accounts:api_token_revoke", args=[stranger_token.pk])
    )
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk__in=[token.pk, stranger_token.pk]).count() == 2


def test_every_scope_is_offered():
    from clusterxchange.accounts.views import TokenForm

    assert {value for value, _label in TokenForm().fields["scopes"].choices} == set(ALL_SCOPES)
