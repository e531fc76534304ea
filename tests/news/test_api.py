"""News API: published articles and testimonials for everyone; writes with the pages' rules.

Tokens authenticate every role (anonymous has none: 401 on writes). Objects the caller may not
see answer 404; actions on visible objects they may not do answer 403.
"""

import pytest
from django.test import Client

from clusterxchange.accounts.models import ApiToken
from clusterxchange.news.models import NewsArticle
from tests.conftest import ROLES

EDITORS_OF_A = {"coordinator", "manager"}


def api(nw, role) -> Client:
    user = nw.world.users[role]
    if user is None:
        return Client()
    _token, secret = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_public_lists(nw, role):
    client = api(nw, role)
    articles = client.get("/api/news/articles", {"programme": "test"})
    assert articles.status_code == 200
    assert [a["title"] for a in articles.json()["results"]] == ["Sixty exchanges"]
    assert "<strong>60</strong>" in articles.json()["results"][0]["body_html"]
    testimonials = client.get("/api/news/testimonials", {"programme": "test"})
    assert [t["text"] for t in testimonials.json()["results"]] == ["Approved words"]
    assert "consent_text" not in testimonials.json()["results"][0]
    assert (
        client.get("/api/news/testimonials", {"start": "2000-01-01", "end": "2000-12-31"}).json()["count"]
        == 0
    )


@pytest.mark.parametrize("role", ROLES)
def test_article_detail(nw, role):
    client = api(nw, role)
    assert client.get(f"/api/news/articles/{nw.published.slug}").status_code == 200
    draft = client.get(f"/api/news/articles/{nw.draft.slug}")
    assert draft.status_code == (200 if role in EDITORS_OF_A else 404)
    programme_draft = client.get(f"/api/news/articles/{nw.programme_draft.slug}")
    assert programme_draft.status_code == (200 if role == "coordinator" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_create_article(nw, role):
    response = post(
        api(nw, role),
        "/api/news/articles",
        {"programme": "test", "title": "From the API", "body_markdown": "*x*"},
    )
    expected = {"coordinator": 201, "manager": 201, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["state"] == "draft"
        assert response.json()["body_html"] == "<p><em>x</em></p>"


def test_create_article_field_errors(nw):
    response = post(
        api(nw, "coordinator"), "/api/news/articles", {"programme": "test", "title": "", "body_markdown": ""}
    )
    assert response.status_code == 422
    assert {"title", "body_markdown"} <= set(str(response.json())) or "title" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_edit_publish_unpublish(nw, role):
    client = api(nw, role)
    ok = role in EDITORS_OF_A
    hidden = {"anonymous": 401}.get(role, 404)
    patch = client.patch(
        f"/api/news/articles/{nw.draft.slug}", {"title": "Patched"}, content_type="application/json"
    )
    assert patch.status_code == (200 if ok else hidden)
    slug = NewsArticle.objects.get(pk=nw.draft.pk).slug
    assert slug == ("patched" if ok else "partner-a-draft")  # a draft's address follows its title
    publish = post(client, f"/api/news/articles/{slug}/publish")
    assert publish.status_code == (200 if ok else hidden)
    assert NewsArticle.objects.get(pk=nw.draft.pk).is_public == ok
    unpublish = post(client, f"/api/news/articles/{nw.published.slug}/unpublish")
    assert unpublish.status_code == {"coordinator": 200, "anonymous": 401}.get(role, 403)


def test_publishing_twice_is_refused_with_the_reason(nw):
    response = post(api(nw, "coordinator"), f"/api/news/articles/{nw.published.slug}/publish")
    assert response.status_code == 422
    assert "already published" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_submit_testimonial(nw, role):
    response = post(
        api(nw, role),
        "/api/news/testimonials",
        {"programme": "test", "text": "Via API", "author_name": "N", "consent": True},
    )
    expected = {"coordinator": 403, "anonymous": 401}.get(role, 201)
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["status"] == "pending" and body["consent_text"].startswith("I agree")


def test_submit_testimonial_with_an_unknown_link_is_refused_with_a_field_error(nw):
    response = post(
        api(nw, "owner"),
        "/api/news/testimonials",
        {
            "programme": "test",
            "text": "Lost link",
            "author_name": "N",
            "consent": True,
            "exchange_id": 999999,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "exchange_id"], "msg": "999999: not found.", "type": "value_error"}
    ]
    assert not nw.world.users["owner"].testimonials.filter(text="Lost link").exists()


@pytest.mark.parametrize("role", ROLES)
def test_my_testimonials(nw, role):
    response = api(nw, role).get("/api/news/testimonials/mine")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert len(response.json()) == (3 if role == "owner" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_withdraw(nw, role):
    response = post(api(nw, role), f"/api/news/testimonials/{nw.approved.pk}/withdraw")
    assert response.status_code == {"owner": 200, "anonymous": 401}.get(role, 403)
    nw.approved.refresh_from_db()
    assert nw.approved.is_publishable == (role != "owner")


@pytest.mark.parametrize("role", ROLES)
def test_moderate(nw, role):
    response = post(api(nw, role), f"/api/news/testimonials/{nw.pending.pk}/moderate", {"action": "approve"})
    expected = {"coordinator": 200, "manager": 200, "owner": 403, "anonymous": 401}.get(role, 404)
    assert response.status_code == expected
    nw.pending.refresh_from_db()
    assert (nw.pending.status == "approved") == (expected == 200)


def test_moderation_refusals(nw):
    client = api(nw, "coordinator")
    unconsented = post(client, f"/api/news/testimonials/{nw.unconsented.pk}/moderate", {"action": "approve"})
    assert unconsented.status_code == 422 and "not consented" in unconsented.content.decode()
    reject = post(client, f"/api/news/testimonials/{nw.pending.pk}/moderate", {"action": "reject"})
    assert reject.status_code == 422 and "Say why" in reject.content.decode()
    unknown = post(client, f"/api/news/testimonials/{nw.pending.pk}/moderate", {"action": "delete"})
    assert unknown.status_code == 422
