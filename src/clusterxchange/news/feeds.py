"""The Atom feed of published news (all programmes, or one programme's)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clusterxchange.news.models import NewsArticle
from clusterxchange.programmes.models import Programme

FEED_LENGTH = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        return get_object_or_404(Programme, slug=slug) if slug else None

    def title(self, programme):
        if programme is None:
            return _("Programme news")
        return _("%(programme)s news") % {"programme": programme.public_texts().name}

    def subtitle(self, programme):
        description = programme.public_texts().description if programme else ""
        return description[:300] or _("News of the cluster-exchange programmes")

    def link(self, programme):

        url = reverse("news:list")
        return f"{url}?programme={programme.slug}" if programme else url

    def items(self, programme):
        articles = NewsArticle.objects.public().select_related("programme", "partner__cluster")
        articles = articles.prefetch_related("programme__texts")  # each article's programme's public name
        if programme is not None:
            articles = articles.filter(programme=programme)
        return articles[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.body_html

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        return article.partner.cluster.name if article.partner_id else article.programme.public_texts().name

    def item_categories(self, article):
        return [article.programme.acronym]
