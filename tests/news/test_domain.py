"""News and testimonial actions: permission, validation, state changes, audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterxchange.core.models import AuditEntry
from clusterxchange.news import domain
from clusterxchange.news import models as news_models
from clusterxchange.news.models import ArticleState, NewsArticle
from tests.news.conftest import PNG_BYTES


def test_create_draft_article_from_a_report(nw):
    article = domain.create_draft_article(
        nw.user("coordinator"),
        nw.world.programme,
        title="Progress report: March 2023",
        body_markdown="# Figures\n\n38 exchanges incl. 19 SMEs.\n\n<script>x()</script>",
        summary="Where we stand.",
    )
    assert article.state == ArticleState.DRAFT
    assert not article.is_public
    assert article.source == "progress report"
    assert article.slug == "progress-report-march-2023"
    assert "<h2>Figures</h2>" in article.body_html
    assert "<script" not in article.body_html
    assert article.partner is None
    assert AuditEntry.objects.filter(action="news.article.create", object_id=str(article.pk)).exists()
    assert article not in NewsArticle.objects.public()


def test_the_source_of_a_generated_article_reads_in_the_readers_language(nw):
    """Stored as "progress report", it showed English on the German and French list of articles."""
    from django.urls import reverse
    from django.utils import translation

    domain.create_draft_article(
        nw.user("coordinator"), nw.world.programme, title="Report", body_markdown="Text"
    )
    for language, expected in (("de", "(Fortschrittsbericht)"), ("fr", "(rapport d&#x27;avancement)")):
        with translation.override(language):
            url = reverse("news:manage")
        page = nw.client("coordinator").get(url).content.decode()
        assert expected in page and "(progress report)" not in page


@pytest.mark.parametrize("role", ["owner", "same_cluster", "outsider", "anonymous"])
def test_only_coordinators_and_partner_managers_write_news(nw, role):
    with pytest.raises(PermissionDenied):
        domain.create_draft_article(nw.user(role), nw.world.programme, title="T", body_markdown="B")


def test_a_partner_managers_article_belongs_to_their_partner(nw):
    assert nw.draft.partner == nw.partner_a
    assert nw.programme_draft.partner is None


def test_empty_title_or_text_gives_field_errors(nw):
    with pytest.raises(ValidationError) as exc:
        domain.create_draft_article(nw.user("coordinator"), nw.world.programme, title="", body_markdown="")
    assert set(exc.value.message_dict) == {"title", "body_markdown"}


def test_slugs_stay_unique(nw):
    first = domain.create_draft_article(
        nw.user("coordinator"), nw.world.programme, title="Same", body_markdown="a"
    )
    second = domain.create_draft_article(
        nw.user("coordinator"), nw.world.programme, title="Same", body_markdown="b"
    )
    assert (first.slug, second.slug) == ("same", "same-2")


def test_image_is_checked_and_needs_a_description(nw):
    coordinator = nw.user("coordinator")
    fake = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        domain.update_article(coordinator, nw.programme_draft, {}, image=fake)
    assert "image" in exc.value.message_dict
    png = SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        domain.update_article(coordinator, nw.programme_draft, {}, image=png)
    assert "image_alt" in exc.value.message_dict
    png.seek(0)
    article = domain.update_article(
        coordinator, nw.programme_draft, {"image_alt": "Partners in Dresden"}, image=png
    )
    article.refresh_from_db()
    assert article.image.name.endswith(".png")
    assert article.image.read() == PNG_BYTES


def test_publish_and_unpublish(nw):
    manager = nw.user("manager")
    domain.publish_article(manager, nw.draft)
    assert nw.draft.is_public
    assert nw.draft in NewsArticle.objects.public()
    with pytest.raises(ValidationError, match="already published"):
        domain.publish_article(manager, nw.draft)
    domain.unpublish_article(manager, nw.draft)
    assert not nw.draft.is_public
    actions = list(
        AuditEntry.objects.filter(object_id=str(nw.draft.pk), object_type="news.newsarticle")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["news.article.create", "news.article.publish", "news.article.unpublish"]


def test_a_future_publication_date_waits(nw):
    later = timezone.now() + timedelta(days=2)
    domain.publish_article(nw.user("coordinator"), nw.programme_draft, at=later)
    assert not nw.programme_draft.is_public
    assert nw.programme_draft not in NewsArticle.objects.public()
    assert nw.programme_draft in NewsArticle.objects.public(at=later)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", True),
        ("manager", True),
        ("owner", False),
        ("same_cluster", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_edits_a_partner_article(nw, role, allowed):
    if allowed:
        domain.update_article(nw.user(role), nw.draft, {"title": "New title"})
        assert NewsArticle.objects.get(pk=nw.draft.pk).title == "New title"
    else:
        with pytest.raises(PermissionDenied):
            domain.update_article(nw.user(role), nw.draft, {"title": "New title"})


def test_a_partner_manager_cannot_edit_the_programme_articles(nw):
    with pytest.raises(PermissionDenied):
        domain.update_article(nw.user("manager"), nw.programme_draft, {"title": "x"})
    with pytest.raises(PermissionDenied):
        domain.publish_article(nw.user("manager"), nw.programme_draft)


# Testimonials


def test_only_consented_and_approved_testimonials_are_publishable(nw):
    assert list(news_models.Testimonial.objects.publishable(nw.world.programme)) == [nw.approved]
    assert nw.approved.consent_text.startswith("I agree that the programme publishes")
    assert nw.unconsented.consent_given_at is None and nw.unconsented.consent_text == ""


def test_unconsented_testimonial_cannot_be_approved(nw):
    with pytest.raises(ValidationError, match="not consented"):
        domain.approve_testimonial(nw.user("coordinator"), nw.unconsented)
    nw.unconsented.refresh_from_db()
    assert nw.unconsented.status == news_models.TestimonialStatus.PENDING


def test_withdrawal_unpublishes_at_once_and_for_good(nw):
    domain.feature_testimonial(nw.user("coordinator"), nw.approved)
    domain.withdraw_consent(nw.user("owner"), nw.approved)
    nw.approved.refresh_from_db()
    assert nw.approved.status == news_models.TestimonialStatus.WITHDRAWN
    assert nw.approved.consent_withdrawn_at is not None
    assert not nw.approved.featured
    assert not news_models.Testimonial.objects.publishable(nw.world.programme).exists()
    with pytest.raises(ValidationError, match="withdrew"):
        domain.approve_testimonial(nw.user("coordinator"), nw.approved)


@pytest.mark.parametrize("role", ["coordinator", "manager", "same_cluster", "outsider", "anonymous"])
def test_only_the_author_withdraws(nw, role):
    with pytest.raises(PermissionDenied):
        domain.withdraw_consent(nw.user(role), nw.approved)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", True),
        ("manager", True),
        ("owner", False),
        ("same_cluster", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_moderates(nw, role, allowed):
    assert nw.pending.partner == nw.partner_a
    if allowed:
        domain.approve_testimonial(nw.user(role), nw.pending, featured=True)
        nw.pending.refresh_from_db()
        assert (nw.pending.status, nw.pending.featured) == (news_models.TestimonialStatus.APPROVED, True)
    else:
        with pytest.raises(PermissionDenied):
            domain.approve_testimonial(nw.user(role), nw.pending)


def test_the_other_partners_manager_cannot_moderate(nw):
    from tests.conftest import make_user

    manager_b = make_user("manager-b@test.example", nw.world.cluster_b, "manager")
    with pytest.raises(PermissionDenied):
        domain.reject_testimonial(manager_b, nw.pending, reason="No")


def test_rejection_needs_a_reason(nw):
    with pytest.raises(ValidationError) as exc:
        domain.reject_testimonial(nw.user("coordinator"), nw.pending, reason=" ")
    assert "rejection_reason" in exc.value.message_dict
    domain.reject_testimonial(nw.user("coordinator"), nw.pending, reason="Names a competitor")
    nw.pending.refresh_from_db()
    assert (nw.pending.status, nw.pending.rejection_reason) == ("rejected", "Names a competitor")


def test_only_approved_testimonials_are_featured(nw):
    with pytest.raises(ValidationError, match="approved"):
        domain.feature_testimonial(nw.user("coordinator"), nw.pending)


def test_publishable_filters_by_period(nw):
    news_models.Testimonial.objects.filter(pk=nw.approved.pk).update(
        submitted_at=timezone.make_aware(timezone.datetime(2023, 3, 15, 12))
    )
    programme = nw.world.programme
    assert list(
        news_models.Testimonial.objects.publishable(programme, start=date(2023, 3, 1), end=date(2023, 3, 31))
    ) == [nw.approved]
    assert list(news_models.Testimonial.objects.publishable(programme, start=date(2023, 3, 16))) == []
    assert list(news_models.Testimonial.objects.publishable(programme, end=date(2023, 3, 14))) == []
    assert list(
        news_models.Testimonial.objects.publishable(
            programme.pk, start=date(2023, 3, 15), end=date(2023, 3, 15)
        )
    ) == [nw.approved]


@pytest.mark.parametrize("role", ["anonymous"])
def test_anonymous_cannot_submit(nw, role):
    with pytest.raises(PermissionDenied):
        domain.submit_testimonial(nw.user(role), nw.world.programme, text="x", author_name="x", consent=True)


def test_a_testimonial_speaks_only_for_ones_own_organisation(nw):
    with pytest.raises(ValidationError) as exc:
        domain.submit_testimonial(
            nw.user("owner"),
            nw.world.programme,
            text="x",
            author_name="x",
            consent=True,
            organisation=nw.world.org_b1,
        )
    assert "organisation" in exc.value.message_dict


def test_a_testimonial_needs_text_and_name(nw):
    with pytest.raises(ValidationError) as exc:
        domain.submit_testimonial(
            nw.user("owner"), nw.world.programme, text=" ", author_name="", consent=True
        )
    assert {"text", "author_name"} <= set(exc.value.message_dict)


def test_a_replaced_or_removed_image_leaves_the_storage(nw, django_capture_on_commit_callbacks):
    coordinator = nw.user("coordinator")

    def png():
        return SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")

    article = domain.update_article(coordinator, nw.programme_draft, {"image_alt": "First"}, image=png())
    first = article.image.name
    with django_capture_on_commit_callbacks(execute=True):
        article = domain.update_article(coordinator, article, {"image_alt": "Second"}, image=png())
    second = article.image.name
    storage = article.image.storage
    assert storage.exists(second) and not storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        domain.update_article(coordinator, article, {}, remove_image=True)
    assert not storage.exists(second)
    entry = AuditEntry.objects.filter(action="news.article.update").latest("pk")
    assert entry.changes["image"] == [second, ""]
