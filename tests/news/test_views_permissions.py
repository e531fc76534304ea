"""Permission matrix of every news page and action, for the six roles of the shared world.

The manager manages cluster A (a partner); `draft` is partner A's draft; `programme_draft` and
`published` belong to the whole programme (coordinator only). The owner wrote the testimonials.
A page the visitor may not see answers 404, an action they may see but not do answers 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterxchange.news import domain
from clusterxchange.news.models import NewsArticle
from tests.conftest import ROLES
from tests.news.conftest import PNG_BYTES
from tests.security.test_hostile_input import UPLOADS

ALL = dict.fromkeys(ROLES, 200)
LOGGED_IN = {**ALL, "anonymous": 302}
EDITORS = {**dict.fromkeys(ROLES, 403), "coordinator": 200, "manager": 200, "anonymous": 302}
PARTNER_DRAFT = {**dict.fromkeys(ROLES, 404), "coordinator": 200, "manager": 200}
PROGRAMME_DRAFT = {**dict.fromkeys(ROLES, 404), "coordinator": 200}
PARTNER_DRAFT_EDIT = {**PARTNER_DRAFT, "anonymous": 302}
PROGRAMME_DRAFT_EDIT = {**PROGRAMME_DRAFT, "anonymous": 302}
PUBLISHED_EDIT = {**dict.fromkeys(ROLES, 403), "coordinator": 200, "anonymous": 302}
PARTICIPANTS = {**LOGGED_IN, "coordinator": 403}

PAGES = [
    ("list", lambda n: reverse("news:list"), ALL),
    ("list_programme", lambda n: reverse("news:list") + "?programme=test", ALL),
    ("feed", lambda n: reverse("news:feed"), ALL),
    ("programme_feed", lambda n: reverse("news:programme_feed", args=["test"]), ALL),
    ("published", lambda n: n.published.get_absolute_url(), ALL),
    ("partner_draft", lambda n: n.draft.get_absolute_url(), PARTNER_DRAFT),
    ("programme_draft", lambda n: n.programme_draft.get_absolute_url(), PROGRAMME_DRAFT),
    ("manage", lambda n: reverse("news:manage"), EDITORS),
    ("create", lambda n: reverse("news:create"), EDITORS),
    ("edit_partner_draft", lambda n: reverse("news:edit", args=[n.draft.slug]), PARTNER_DRAFT_EDIT),
    (
        "edit_programme_draft",
        lambda n: reverse("news:edit", args=[n.programme_draft.slug]),
        PROGRAMME_DRAFT_EDIT,
    ),
    ("edit_published", lambda n: reverse("news:edit", args=[n.published.slug]), PUBLISHED_EDIT),
    ("testimonials", lambda n: reverse("news:testimonials"), ALL),
    ("testimonials_programme", lambda n: reverse("news:testimonials") + "?programme=test", ALL),
    ("testimonial_create", lambda n: reverse("news:testimonial_create"), PARTICIPANTS),
    ("my_testimonials", lambda n: reverse("news:my_testimonials"), LOGGED_IN),
    ("moderation", lambda n: reverse("news:moderation"), EDITORS),
    ("moderation_approved", lambda n: reverse("news:moderation") + "?status=approved", EDITORS),
    ("site_index", lambda n: reverse("site:index"), dict.fromkeys(ROLES, 302)),
    ("site_about", lambda n: reverse("site:about", args=["test"]), ALL),
    ("site_partners", lambda n: reverse("site:partners", args=["test"]), ALL),
    ("site_events", lambda n: reverse("site:events", args=["test"]), ALL),
    ("site_take_part", lambda n: reverse("site:take_part", args=["test"]), ALL),
    ("site_unknown", lambda n: reverse("site:about", args=["nope"]), dict.fromkeys(ROLES, 404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(nw, role, page, url, expected):
    response = nw.client(role).get(url(nw))
    assert response.status_code == expected[role], f"{page} as {role}"
    if expected[role] == 302 and page != "site_index":
        assert response["Location"].startswith("/accounts/login/")


def _with_image(nw, article):
    image = SimpleUploadedFile("p.png", PNG_BYTES, content_type="image/png")
    return domain.update_article(nw.user("coordinator"), article, {"image_alt": "A photo"}, image=image)


@pytest.mark.parametrize("role", ROLES)
def test_images_follow_the_article(nw, role):
    _with_image(nw, nw.published)
    _with_image(nw, nw.draft)
    public = nw.client(role).get(reverse("news:image", args=[nw.published.slug]))
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == PNG_BYTES
    assert public["Content-Type"] == "image/png"
    assert public["Content-Disposition"].startswith("inline")
    assert public["Content-Security-Policy"].startswith("sandbox;")
    assert public["X-Content-Type-Options"] == "nosniff"
    draft = nw.client(role).get(reverse("news:image", args=[nw.draft.slug]))
    assert draft.status_code == PARTNER_DRAFT[role]
    assert nw.client(role).get(reverse("news:image", args=[nw.programme_draft.slug])).status_code == 404


# Actions (POST): expected status, and whether the change happened.
PUBLISH_PARTNER_DRAFT = {**dict.fromkeys(ROLES, 404), "coordinator": 302, "manager": 302, "anonymous": 302}
PUBLISHED_ACTION = {**dict.fromkeys(ROLES, 403), "coordinator": 302, "anonymous": 302}
DELETE_PARTNER_DRAFT = {**dict.fromkeys(ROLES, 404), "coordinator": 302, "manager": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_publish(nw, role):
    response = nw.client(role).post(reverse("news:publish", args=[nw.draft.slug]))
    assert response.status_code == PUBLISH_PARTNER_DRAFT[role]
    nw.draft.refresh_from_db()
    assert nw.draft.is_public == (role in ("coordinator", "manager"))


@pytest.mark.parametrize("role", ROLES)
def test_unpublish(nw, role):
    response = nw.client(role).post(reverse("news:unpublish", args=[nw.published.slug]))
    assert response.status_code == PUBLISHED_ACTION[role]
    nw.published.refresh_from_db()
    assert nw.published.is_public == (role != "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_delete(nw, role):
    response = nw.client(role).post(reverse("news:delete", args=[nw.draft.slug]))
    assert response.status_code == DELETE_PARTNER_DRAFT[role]
    assert NewsArticle.objects.filter(pk=nw.draft.pk).exists() == (role != "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_edit_post(nw, role):
    response = nw.client(role).post(
        reverse("news:edit", args=[nw.draft.slug]),
        {"title": "Edited", "summary": "", "body_markdown": "New <script>x</script> text", "image_alt": ""},
    )
    assert response.status_code == PUBLISH_PARTNER_DRAFT[role]
    nw.draft.refresh_from_db()
    if role in ("coordinator", "manager"):
        assert nw.draft.title == "Edited"
        assert "<script" not in nw.draft.body_html
    else:
        assert nw.draft.title == "Partner A draft"


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_create_post_with_image(nw, role):
    response = nw.client(role).post(
        reverse("news:create"),
        {
            "programme": nw.world.programme.pk,
            "title": "Mission report",
            "summary": "Short",
            "body_markdown": "Text with [a link](https://example.eu).",
            "image": SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png"),
            "image_alt": "Delegates at the venue",
        },
    )
    article = NewsArticle.objects.get(title="Mission report")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.state == "draft" and article.image
    assert article.partner == (nw.partner_a if role == "manager" else None)


def test_create_post_refuses_a_disguised_file(nw):
    response = nw.client("coordinator").post(
        reverse("news:create"),
        {
            "programme": nw.world.programme.pk,
            "title": "Bad image",
            "body_markdown": "x",
            "image": SimpleUploadedFile("photo.png", b"GIF89a not a png", content_type="image/png"),
            "image_alt": "x",
        },
    )
    assert response.status_code == 200
    assert "This file is not a JPG, PNG file." in response.content.decode()
    assert not NewsArticle.objects.filter(title="Bad image").exists()


def test_a_manager_cannot_create_for_another_programme(nw):
    from datetime import date

    from clusterxchange.programmes.models import Programme

    other = Programme.objects.create(
        name="Other", acronym="OTHER", slug="other", start_date=date(2022, 1, 1), end_date=date(2025, 1, 1)
    )
    response = nw.client("manager").post(
        reverse("news:create"), {"programme": other.pk, "title": "Sneaky", "body_markdown": "x"}
    )
    assert response.status_code == 200
    assert not NewsArticle.objects.filter(title="Sneaky").exists()


WITHDRAW_APPROVED = {**dict.fromkeys(ROLES, 403), "owner": 302, "anonymous": 302}
WITHDRAW_PENDING = {
    **dict.fromkeys(ROLES, 404),
    "coordinator": 403,
    "manager": 403,
    "owner": 302,
    "anonymous": 302,
}
MODERATE_PENDING = {
    **dict.fromkeys(ROLES, 404),
    "coordinator": 302,
    "manager": 302,
    "owner": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_withdraw(nw, role):
    response = nw.client(role).post(reverse("news:testimonial_withdraw", args=[nw.approved.pk]))
    assert response.status_code == WITHDRAW_APPROVED[role]
    nw.approved.refresh_from_db()
    assert nw.approved.is_publishable == (role != "owner")
    response = nw.client(role).post(reverse("news:testimonial_withdraw", args=[nw.pending.pk]))
    assert response.status_code == WITHDRAW_PENDING[role]


@pytest.mark.parametrize("role", ROLES)
def test_moderate(nw, role):
    response = nw.client(role).post(
        reverse("news:testimonial_moderate", args=[nw.pending.pk]), {"action": "feature", "reason": ""}
    )
    assert response.status_code == MODERATE_PENDING[role]
    nw.pending.refresh_from_db()
    assert (nw.pending.status == "approved") == (role in ("coordinator", "manager"))


def test_reject_without_reason_is_refused_with_the_reason(nw):
    client = nw.client("manager")
    response = client.post(
        reverse("news:testimonial_moderate", args=[nw.pending.pk]),
        {"action": "reject", "reason": ""},
        follow=True,
    )
    assert "Say why the testimonial is rejected." in response.content.decode()
    nw.pending.refresh_from_db()
    assert nw.pending.status == "pending"


@pytest.mark.parametrize("role", ["owner", "same_cluster", "outsider", "manager"])
def test_submit_testimonial(nw, role):
    user = nw.user(role)
    organisation = user.memberships.first().organisation
    response = nw.client(role).post(
        reverse("news:testimonial_create"),
        {
            "programme": nw.world.programme.pk,
            "text": f"Words of {role}",
            "author_name": "Name",
            "author_position": "",
            "organisation": organisation.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 302
    testimonial = user.testimonials.get(text=f"Words of {role}")
    assert testimonial.consent_given_at is not None
    assert testimonial.status == "pending"
    assert testimonial.partner is not None


def test_moderation_queue_shows_only_ones_partners(nw):
    from tests.conftest import make_user

    manager_b = make_user("manager-b@test.example", nw.world.cluster_b, "manager")
    from django.test import Client

    client = Client()
    client.force_login(manager_b)
    page = client.get(reverse("news:moderation")).content.decode()
    assert "Pending words" not in page
    page = nw.client("manager").get(reverse("news:moderation")).content.decode()
    assert "Pending words" in page and "Private words" in page


def test_submit_form_offers_the_events_one_registered_for_whoever_else_cancelled(nw):
    from datetime import date

    from clusterxchange.events.models import Event, Registration

    def event(slug):
        return Event.objects.create(
            programme=nw.world.programme,
            kind="mission",
            title=slug,
            slug=slug,
            host_cluster=nw.world.cluster_a,
            city="Nice",
            country="FR",
            start_date=date(2026, 5, 4),
            end_date=date(2026, 5, 6),
            published=True,
        )

    owner, other = nw.user("owner"), nw.user("same_cluster")
    attended, cancelled = event("attended"), event("cancelled")
    Registration.objects.create(event=attended, user=owner, organisation=nw.world.org_a1)
    Registration.objects.create(event=attended, user=other, organisation=nw.world.org_a1, status="cancelled")
    Registration.objects.create(event=cancelled, user=owner, organisation=nw.world.org_a1, status="cancelled")
    response = nw.client("owner").get(reverse("news:testimonial_create"))
    assert list(response.context["form"].fields["event"].queryset) == [attended]


@pytest.mark.parametrize("case", UPLOADS)
def test_a_hostile_image_is_refused_with_a_message_and_nothing_saved(nw, case):
    name, content = UPLOADS[case]
    response = nw.client("coordinator").post(
        reverse("news:create"),
        {
            "programme": nw.world.programme.pk,
            "title": "Hostile image",
            "summary": "Short",
            "body_markdown": "Text",
            "image": SimpleUploadedFile(name, content, content_type="image/png"),
            "image_alt": "A photo",
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not NewsArticle.objects.filter(title="Hostile image").exists()
