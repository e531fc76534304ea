"""News API: published articles and publishable testimonials for everyone; writing, publishing,
submitting, withdrawing and moderating with the same domain actions and rules as the pages."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.api_auth import request_user
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.directory.models import Organisation
from clusterxchange.events.models import Event
from clusterxchange.exchanges.models import Exchange
from clusterxchange.news import domain
from clusterxchange.news.models import NewsArticle, Testimonial
from clusterxchange.programmes.models import Programme

router = Router(tags=["news"])


class ArticleOut(Schema):
    id: int
    slug: str
    programme: str = Field(..., description="The programme's slug")
    partner_id: int | None
    title: str
    summary: str
    body_markdown: str
    body_html: str = Field(..., description="Sanitised HTML rendered from the Markdown")
    image_url: str | None
    image_alt: str
    state: str
    published_at: datetime | None
    url: str


class ArticlePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ArticleOut]


class ArticleIn(Schema):
    programme: str = Field(..., description="The programme's slug")
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=600)
    body_markdown: str


class ArticlePatch(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=600)
    body_markdown: str | None = None
    image_alt: str | None = Field(None, max_length=250)


class ArticlePublishIn(Schema):
    published_at: datetime | None = Field(None, description="Empty: now; a later date schedules it")


class NewsPageQuery(Schema):
    programme: str | None = Field(None, description="A programme's slug")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class TestimonialQuery(NewsPageQuery):
    start: date | None = Field(None, description="Submitted on or after (ISO date)")
    end: date | None = Field(None, description="Submitted on or before (ISO date)")


class TestimonialOut(Schema):
    id: int
    programme: str
    text: str
    author_name: str
    author_position: str
    organisation: str | None
    event: str | None
    about_exchange: bool
    featured: bool
    submitted_at: datetime


class TestimonialPage(Schema):
    count: int
    page: int
    pages: int
    results: list[TestimonialOut]


class MyTestimonialOut(TestimonialOut):
    status: str
    consent_text: str
    consent_given_at: datetime | None
    consent_withdrawn_at: datetime | None
    rejection_reason: str


class TestimonialIn(Schema):
    programme: str = Field(..., description="The programme's slug")
    text: str = Field(..., max_length=2000)
    author_name: str = Field(..., max_length=120)
    author_position: str = Field("", max_length=120)
    organisation_id: int | None = None
    exchange_id: int | None = None
    event_id: int | None = None
    consent: bool = Field(..., description="Consent to publish, with the text returned as consent_text")


class TestimonialModerationIn(Schema):
    action: str = Field(..., pattern=f"^({'|'.join(domain.MODERATION_ACTIONS)})$")
    reason: str = ""


def article_out(article: NewsArticle) -> dict:

    return {
        "id": article.pk,
        "slug": article.slug,
        "programme": article.programme.slug,
        "partner_id": article.partner_id,
        "title": article.title,
        "summary": article.summary,
        "body_markdown": article.body_markdown,
        "body_html": article.body_html,
        "image_url": reverse("news:image", args=[article.slug]) if article.image else None,
        "image_alt": article.image_alt,
        "state": article.state,
        "published_at": article.published_at,
        "url": article.get_absolute_url(),
    }


def testimonial_out(testimonial: Testimonial, mine: bool = False) -> dict:
    data = {
        "id": testimonial.pk,
        "programme": testimonial.programme.slug,
        "text": testimonial.text,
        "author_name": testimonial.author_name,
        "author_position": testimonial.author_position,
        "organisation": testimonial.organisation.name if testimonial.organisation_id else None,
        "event": testimonial.event.title if testimonial.event_id else None,
        "about_exchange": testimonial.exchange_id is not None,
        "featured": testimonial.featured,
        "submitted_at": testimonial.submitted_at,
    }
    if mine:
        data.update(
            status=testimonial.status,
            consent_text=testimonial.consent_text,
            consent_given_at=testimonial.consent_given_at,
            consent_withdrawn_at=testimonial.consent_withdrawn_at,
            rejection_reason=testimonial.rejection_reason,
        )
    return data


def _programme(slug: str | None):
    return get_object_or_404(Programme, slug=slug) if slug else None


def _article(request, slug: str) -> NewsArticle:
    article = get_object_or_404(NewsArticle.objects.select_related("programme"), slug=slug)
    if not request_user(request).has_perm("news.view_newsarticle", article):
        raise Http404
    return article


@router.get("/articles", response=ArticlePage, auth=None, summary="Published news, newest first")
def list_articles(request, query: Query[NewsPageQuery]):
    articles = NewsArticle.objects.public().select_related("programme")
    programme = _programme(query.programme)
    if programme is not None:
        articles = articles.filter(programme=programme)
    return api_page(articles, query.page, query.page_size, article_out)


@router.get(
    "/articles/{slug}", response=ArticleOut, auth=None, summary="One article (drafts for their editors)"
)
def get_article(request, slug: str):
    return article_out(_article(request, slug))


@router.post("/articles", response={201: ArticleOut}, summary="Write a draft article")
def create_article(request, payload: ArticleIn):
    programme = _programme(payload.programme)
    article = domain.create_article(
        request.user,
        programme,
        {"title": payload.title, "summary": payload.summary, "body_markdown": payload.body_markdown},
    )
    return Status(201, article_out(article))


@router.patch("/articles/{slug}", response=ArticleOut, summary="Edit an article")
def update_article(request, slug: str, payload: ArticlePatch):
    article = _article(request, slug)
    fields = {name: value for name, value in payload.dict().items() if value is not None}
    return article_out(domain.update_article(request.user, article, fields))


@router.post("/articles/{slug}/publish", response=ArticleOut, summary="Publish now or on a date")
def publish_article(request, slug: str, payload: ArticlePublishIn):
    return article_out(domain.publish_article(request.user, _article(request, slug), at=payload.published_at))


@router.post("/articles/{slug}/unpublish", response=ArticleOut, summary="Back to draft")
def unpublish_article(request, slug: str):
    return article_out(domain.unpublish_article(request.user, _article(request, slug)))


@router.get(
    "/testimonials", response=TestimonialPage, auth=None, summary="Published testimonials (with consent)"
)
def list_testimonials(request, query: Query[TestimonialQuery]):
    testimonials = Testimonial.objects.publishable(
        _programme(query.programme), start=query.start, end=query.end
    ).select_related("programme", "organisation", "event")
    return api_page(testimonials, query.page, query.page_size, testimonial_out)


@router.get("/testimonials/mine", response=list[MyTestimonialOut], summary="The caller's testimonials")
def my_testimonials(request):
    testimonials = Testimonial.objects.filter(author=request.user).select_related(
        "programme", "organisation", "event"
    )
    return [testimonial_out(t, mine=True) for t in testimonials]


@router.post("/testimonials", response={201: MyTestimonialOut}, summary="Submit a testimonial")
def submit_testimonial(request, payload: TestimonialIn):

    def find(model, field: str):
        """The record `payload.<field>` names; an unknown id is a field error, not silently no link."""
        pk = getattr(payload, field)
        if pk is None:
            return None
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise ValidationError({field: _("%(reference)s: not found.") % {"reference": pk}})
        return found

    testimonial = domain.submit_testimonial(
        request.user,
        _programme(payload.programme),
        text=payload.text,
        author_name=payload.author_name,
        author_position=payload.author_position,
        organisation=find(Organisation, "organisation_id"),
        exchange=find(Exchange, "exchange_id"),
        event=find(Event, "event_id"),
        consent=payload.consent,
    )
    return Status(201, testimonial_out(testimonial, mine=True))


def _testimonial(request, testimonial_id: int) -> Testimonial:
    testimonial = get_object_or_404(
        Testimonial.objects.select_related("programme", "organisation", "event"), pk=testimonial_id
    )
    if not request.user.has_perm("news.view_testimonial", testimonial):
        raise Http404
    return testimonial


@router.post(
    "/testimonials/{int:testimonial_id}/withdraw", response=MyTestimonialOut, summary="Withdraw consent"
)
def withdraw_testimonial(request, testimonial_id: int):
    testimonial = domain.withdraw_consent(request.user, _testimonial(request, testimonial_id))
    return testimonial_out(testimonial, mine=True)


@router.post(
    "/testimonials/{int:testimonial_id}/moderate",
    response=MyTestimonialOut,
    summary="Approve, feature, stop featuring or reject (with a reason)",
)
def moderate_testimonial(request, testimonial_id: int, payload: TestimonialModerationIn):
    testimonial = _testimonial(request, testimonial_id)
    domain.moderate(request.user, testimonial, payload.action, reason=payload.reason)
    return testimonial_out(testimonial, mine=True)
