"""Security headers on every page: a strict Content-Security-Policy with a per-response nonce that
the page's scripts carry, framing refused, referrer kept on this site, HSTS over HTTPS; production
settings keep cookies secure."""

import re

import pytest
from django.urls import reverse

DIRECTIVES = {
    "default-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/", "/directory/", "/events/", "/training/", "/accounts/login/"])
def test_pages_carry_a_strict_policy_with_a_nonce_used_by_their_scripts(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    for name, value in DIRECTIVES.items():
        assert directives[name] == value, name
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", directives["script-src"]).group(1)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_each_response_gets_its_own_nonce(client, db):
    first, second = (policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second


def test_the_admin_keeps_the_same_policy(world):
    response = world.client("coordinator").get(reverse("admin:index"))
    assert response.status_code == 200
    assert policy(response)["default-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_other_security_headers(client, db):
    response = client.get("/", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_are_secure():
    """The settings module itself (the tests relax cookies for the live server over http)."""
    from clusterxchange import settings as production

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    validators = [validator["NAME"].rsplit(".", 1)[1] for validator in production.AUTH_PASSWORD_VALIDATORS]
    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert production.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12


def test_a_short_or_common_password_is_refused_at_signup(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "password123", "password2": "password123"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "at least 12 characters" in text
    assert "too common" in text
