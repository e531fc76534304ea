"""The news part of the demo: EXCITE's milestones as articles, the current call's news, one draft, consented testimonials
(one featured, one waiting, one without consent); loading again adds nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from clusterxchange.core.demo import load_demo
from clusterxchange.news import models as news_models
from clusterxchange.news.models import NewsArticle

pytestmark = pytest.mark.django_db


def test_demo_news_and_testimonials():
    load_demo()
    public = list(
        NewsArticle.objects.public().filter(programme__slug="excite").values_list("title", flat=True)
    )
    assert public[0] == "60 cluster exchanges, 27 with SMEs"
    assert len(public) == 4
    assert NewsArticle.objects.public().exclude(programme__slug="excite").count() == 2  # the current call
    draft = NewsArticle.objects.get(state="draft")
    assert draft.source == "progress report"
    assert all(NewsArticle.objects.values_list("is_demo", flat=True))

    publishable = list(news_models.Testimonial.objects.publishable())
    assert len(publishable) == 4
    assert publishable[0].featured and sum(t.featured for t in publishable) == 1
    assert all(t.consent_text and t.consent_given_at for t in publishable)
    assert any(t.event_id for t in publishable) and any(t.exchange_id for t in publishable)
    unconsented = news_models.Testimonial.objects.get(consent_given_at__isnull=True)
    assert unconsented not in publishable
    assert news_models.Testimonial.objects.filter(status="pending").count() == 2

    counts = (NewsArticle.objects.count(), news_models.Testimonial.objects.count())
    load_demo()
    assert (NewsArticle.objects.count(), news_models.Testimonial.objects.count()) == counts

    page = Client().get(reverse("site:about", args=["excite"])).content.decode()
    assert "60 cluster exchanges, 27 with SMEs" in page
    assert escape(publishable[0].text) in page
    assert "Results so far" in page
