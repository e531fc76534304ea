"""News fixtures on top of the shared `world`: a partner article, a programme article, testimonials.

The manager manages cluster A, a partner of the programme; partner A's articles are theirs to edit.
The owner (member of A1, in cluster A) is the testimonial author.
"""

from dataclasses import dataclass

import pytest

from clusterxchange.news import domain
from clusterxchange.news import models as news_models
from clusterxchange.news.models import NewsArticle
from clusterxchange.programmes.models import PartnerCluster

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class NewsWorld:
    world: object
    partner_a: PartnerCluster
    partner_b: PartnerCluster
    draft: NewsArticle  # partner A's draft, written by the manager
    programme_draft: NewsArticle  # the coordinator's draft (whole programme)
    published: NewsArticle
    pending: news_models.Testimonial  # the owner's, consented, awaiting moderation
    approved: news_models.Testimonial  # the owner's, consented and approved
    unconsented: news_models.Testimonial  # the owner's, without consent

    def user(self, role):
        from django.contrib.auth.models import AnonymousUser

        return self.world.users[role] or AnonymousUser()

    def client(self, role):
        return self.world.client(role)


@pytest.fixture
def nw(world) -> NewsWorld:
    programme = world.programme
    partner_a = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_a)
    partner_b = PartnerCluster.objects.get(programme=programme, cluster=world.cluster_b)
    coordinator, manager, owner = world.users["coordinator"], world.users["manager"], world.users["owner"]
    draft = domain.create_article(
        manager, programme, {"title": "Partner A draft", "body_markdown": "Draft *text* of A."}
    )
    programme_draft = domain.create_article(
        coordinator, programme, {"title": "Programme draft", "body_markdown": "Programme **draft**."}
    )
    published = domain.create_article(
        coordinator,
        programme,
        {"title": "Sixty exchanges", "summary": "A milestone.", "body_markdown": "We reached **60**."},
    )
    domain.publish_article(coordinator, published)

    def testimonial(text, consent=True):
        return domain.submit_testimonial(
            owner,
            programme,
            text=text,
            author_name="Amélie Durand",
            author_position="CEO",
            organisation=world.org_a1,
            consent=consent,
        )

    pending = testimonial("Pending words")
    approved = domain.approve_testimonial(coordinator, testimonial("Approved words"))
    unconsented = testimonial("Private words", consent=False)
    return NewsWorld(
        world, partner_a, partner_b, draft, programme_draft, published, pending, approved, unconsented
    )
