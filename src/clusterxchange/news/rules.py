"""Who may see and do what with news articles and testimonials (pages, API and admin ask these).

- Anyone (the public too) reads published articles whose publication date has come, and
  testimonials that are approved and whose author's consent stands.
- A programme's coordinators write, edit, publish and unpublish every article of the programme
  and moderate (approve, reject with a reason, feature) every testimonial of it.
- A partner cluster's managers do the same for their own partner's articles and for the
  testimonials their partnership moderates.
- A participant (a member of any organisation) submits testimonials, sees their own and
  withdraws their consent, which unpublishes the testimonial at once.
"""

import rules
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, COORDINATORS_ONLY, refuse_with
from clusterxchange.core.roles import roles_of
from clusterxchange.news.models import NewsArticle, Testimonial
from clusterxchange.programmes.models import Programme
from clusterxchange.programmes.rules import managed_partner_ids


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    return programme is not None and programme.pk in roles_of(user).coordinator_programme_ids


@rules.predicate
def manages_a_partner_of(user, programme) -> bool:
    return programme is not None and bool(managed_partner_ids(user, programme))


@rules.predicate
def is_editor(user) -> bool:
    roles = roles_of(user)
    return roles.is_coordinator or roles.is_cluster_manager


@rules.predicate
def coordinates_item(user, item) -> bool:
    return item is not None and item.programme_id in roles_of(user).coordinator_programme_ids


@rules.predicate
def manages_item_partner(user, item) -> bool:
    return (
        item is not None
        and item.partner_id is not None
        and item.partner_id in managed_partner_ids(user, item.programme_id)
    )


@rules.predicate
def is_public_article(user, article) -> bool:
    return article is not None and article.is_public


@rules.predicate
def is_participant(user) -> bool:
    return user is not None and user.is_authenticated and bool(roles_of(user).organisation_ids)


@rules.predicate
def is_author(user, testimonial) -> bool:
    return testimonial is not None and user.is_authenticated and testimonial.author_id == user.pk


@rules.predicate
def is_publishable(user, testimonial) -> bool:
    return testimonial is not None and testimonial.is_publishable


# Object: the programme.
rules.add_perm("news.add_newsarticle", coordinates_programme | manages_a_partner_of)
# No object: may open the editors' pages (drafts, moderation queue).
rules.add_perm("news.edit", is_editor)
# Object: the article.
rules.add_perm("news.view_newsarticle", is_public_article | coordinates_item | manages_item_partner)
rules.add_perm("news.change_newsarticle", coordinates_item | manages_item_partner)
rules.add_perm("news.publish_newsarticle", coordinates_item | manages_item_partner)
rules.add_perm("news.delete_newsarticle", coordinates_item)

# Object: none (any participant) or the programme.
rules.add_perm("news.add_testimonial", is_participant)
# Object: the testimonial.
rules.add_perm("news.view_testimonial", is_publishable | is_author | coordinates_item | manages_item_partner)
rules.add_perm("news.withdraw_testimonial", is_author)
rules.add_perm("news.moderate_testimonial", coordinates_item | manages_item_partner)


def editable_programmes(user):
    """Programmes the user may write news for: coordinated ones and those of managed partners."""
    return Programme.objects.administered_by(roles_of(user))


def editable_articles(user):
    """Every article the user may edit (drafts included), as one query."""
    roles = roles_of(user)
    partner_q = Q(partner__cluster_id__in=roles.managed_cluster_ids, partner__programme=F("programme"))
    return NewsArticle.objects.filter(Q(programme_id__in=roles.coordinator_programme_ids) | partner_q)


def moderated_testimonials(user):
    """The testimonials the user moderates: their programmes' (coordinator) or partners' (manager)."""
    roles = roles_of(user)
    return Testimonial.objects.filter(
        Q(programme_id__in=roles.coordinator_programme_ids)
        | Q(partner__cluster_id__in=roles.managed_cluster_ids)
    )


# What a refused person reads (core.domain.require).
for _permission in (
    "news.edit",
    "news.change_newsarticle",
    "news.publish_newsarticle",
    "news.moderate_testimonial",
):
    refuse_with(_permission, COORDINATORS_AND_MANAGERS)
refuse_with("news.delete_newsarticle", COORDINATORS_ONLY)
refuse_with("news.add_testimonial", _("Only people of a member organisation may write a testimonial."))
refuse_with("news.withdraw_testimonial", _("Only its author may withdraw a testimonial."))
