"""News and testimonial actions: the only code that changes articles and testimonials.

Each action checks permission (`news/rules.py`), validates, writes in one transaction and records
an audit entry. Views, the API, the admin, the demo and the reporting app call these.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.core import audit
from clusterxchange.core.audit import field_changes
from clusterxchange.core.concurrency import check_version
from clusterxchange.core.domain import apply_fields, require, snapshot, unique_slug
from clusterxchange.core.roles import roles_of
from clusterxchange.core.uploads import JPEG, PNG, check_upload
from clusterxchange.news import markdown
from clusterxchange.news.models import ArticleState, NewsArticle, Testimonial, TestimonialStatus
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.programmes.rules import managed_partner_ids

ARTICLE_FIELDS = ["title", "summary", "body_markdown", "image_alt"]
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_KINDS = (JPEG, PNG)

CONSENT_TEXT = gettext_lazy(
    "I agree that the programme publishes this testimonial, with the name, position and organisation "
    "I give, on its public website, in its news and in its reports to the European Commission. "
    "I can withdraw this consent at any time; the testimonial is then removed from the public pages at once."
)


RESERVED_SLUGS = {"feed", "manage", "new", "testimonials"}  # paths under /news/


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    return unique_slug(
        NewsArticle.objects, title, fallback="article", exclude_pk=exclude_pk, reserved=RESERVED_SLUGS
    )


def _check_image(image) -> None:
    try:
        check_upload(image, kinds=IMAGE_KINDS, max_bytes=MAX_IMAGE_BYTES)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


def _validate_article(article: NewsArticle) -> None:
    errors: dict[str, list[str]] = {}
    try:
        article.full_clean(exclude=["slug", "image"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if article.image and not article.image_alt.strip():
        errors.setdefault("image_alt", []).append(_("Describe the image for people who cannot see it."))
    if article.partner_id and article.partner.programme_id != article.programme_id:
        errors.setdefault("partner", []).append(_("The partner is not a partner of this programme."))
    if errors:
        raise ValidationError(errors)


def _set_article_fields(article: NewsArticle, fields: dict) -> None:
    apply_fields(article, fields, ARTICLE_FIELDS)
    article.body_html = markdown.render(article.body_markdown)


def _default_partner(actor, programme):
    """The partner a partner manager writes for (coordinators write for the whole programme)."""

    if programme.pk in roles_of(actor).coordinator_programme_ids:
        return None
    partner_ids = managed_partner_ids(actor, programme)
    if not partner_ids:
        return None

    return PartnerCluster.objects.get(pk=partner_ids[0])


@transaction.atomic
def create_article(
    actor, programme, fields: dict, *, image=None, partner=None, source: str = ""
) -> NewsArticle:
    """A new draft article of the programme. `fields`: title, summary, body_markdown, image_alt.

    A partner manager's article belongs to their partner (so the other partners' managers cannot
    edit it); a coordinator's belongs to the whole programme unless `partner` is given.
    """
    require(actor, "news.add_newsarticle", programme)
    article = NewsArticle(
        programme=programme, author=actor if actor.is_authenticated else None, source=source
    )
    article.partner = partner if partner is not None else _default_partner(actor, programme)
    if article.partner is not None:
        require(actor, "news.change_newsarticle", article)
    _set_article_fields(article, fields)
    if image:
        _check_image(image)
        article.image = image
    _validate_article(article)
    article.slug = _unique_slug(article.title)
    article.save()
    audit.record(actor, "news.article.create", article, to_state=article.state, comment=source)
    return article


def create_draft_article(
    user, programme, *, title: str, body_markdown: str, summary: str = "", source: str = "progress report"
) -> NewsArticle:
    """Turn generated text (e.g. a progress report) into a draft news article the user can edit.

    - `user` must be allowed to write news for `programme` (its coordinator, or a manager of one of
      its partner clusters); otherwise `PermissionDenied`.
    - `body_markdown` is Markdown; it is stored as given and rendered sanitised (scripts, event
      attributes and styles are dropped), so generated HTML fragments are not kept.
    - The article stays a draft (not public) until published from its edit page
      (`article.get_absolute_url()` + "edit/", URL name `news:edit`) or with `publish_article`.
    - Returns the saved `NewsArticle`; a `ValidationError` with field errors when the title or the
      text is empty or too long (title ≤ 200, summary ≤ 600 characters).
    """
    return create_article(
        user,
        programme,
        {"title": title, "summary": summary, "body_markdown": body_markdown},
        source=source,
    )


@transaction.atomic
def update_article(
    actor,
    article: NewsArticle,
    fields: dict,
    *,
    image=None,
    remove_image: bool = False,
    expected_version: str | None = None,
) -> NewsArticle:
    require(actor, "news.change_newsarticle", article)
    check_version(article, expected_version)
    before = snapshot(article, ARTICLE_FIELDS)
    old_title = article.title
    old_image = article.image.name if article.image and article.image._committed else ""  # stored file
    _set_article_fields(article, fields)
    if image:
        _check_image(image)
        article.image = image
    elif remove_image:
        article.image = ""
        article.image_alt = ""
    _validate_article(article)
    if article.title != old_title and article.state == ArticleState.DRAFT:
        article.slug = _unique_slug(article.title, exclude_pk=article.pk)
    article.save()
    changes = field_changes(before, snapshot(article, ARTICLE_FIELDS))
    if image or remove_image:
        changes["image"] = [old_image, article.image.name]
        if old_image:  # the replaced or removed file goes too, once the change is committed
            storage = article.image.storage
            transaction.on_commit(lambda: storage.delete(old_image))
    audit.record(actor, "news.article.update", article, changes=changes)
    return article


@transaction.atomic
def publish_article(actor, article: NewsArticle, *, at: datetime | None = None) -> NewsArticle:
    """Publish now, or on a later date `at` (the article becomes public when the date comes)."""
    require(actor, "news.publish_newsarticle", article)
    if article.state == ArticleState.PUBLISHED:
        raise ValidationError(_("The article is already published."))
    if not article.body_markdown.strip() or not article.title.strip():
        raise ValidationError(_("An article needs a title and a text before it is published."))
    article.state = ArticleState.PUBLISHED
    article.published_at = at or timezone.now()
    article.save(update_fields=["state", "published_at", "updated_at"])
    audit.record(
        actor,
        "news.article.publish",
        article,
        from_state=ArticleState.DRAFT,
        to_state=ArticleState.PUBLISHED,
        comment=article.published_at.isoformat(),
    )
    return article


@transaction.atomic
def unpublish_article(actor, article: NewsArticle) -> NewsArticle:
    require(actor, "news.publish_newsarticle", article)
    if article.state != ArticleState.PUBLISHED:
        raise ValidationError(_("The article is not published."))
    article.state = ArticleState.DRAFT
    article.published_at = None
    article.save(update_fields=["state", "published_at", "updated_at"])
    audit.record(
        actor,
        "news.article.unpublish",
        article,
        from_state=ArticleState.PUBLISHED,
        to_state=ArticleState.DRAFT,
    )
    return article


@transaction.atomic
def delete_article(actor, article: NewsArticle) -> None:
    require(actor, "news.delete_newsarticle", article)
    audit.record(actor, "news.article.delete", article, from_state=article.state)
    if article.image:
        article.image.delete(save=False)
    article.delete()


# Testimonials


def _partner_for(programme, organisation, exchange, event):

    if exchange is not None:
        return exchange.visitor_partner
    partners = PartnerCluster.objects.filter(programme=programme)
    if event is not None:
        partner = partners.filter(cluster_id=event.host_cluster_id).first()
        if partner is not None:
            return partner
    if organisation is not None:
        return PartnerCluster.objects.responsible_for(programme, organisation)
    return None


def _validate_links(actor, programme, organisation, exchange, event) -> dict[str, list[str]]:

    roles = roles_of(actor)
    errors: dict[str, list[str]] = {}
    if organisation is not None and organisation.pk not in roles.organisation_ids:
        errors["organisation"] = [_("You can only speak for an organisation you belong to.")]
    if exchange is not None and (
        exchange.programme_id != programme.pk
        or not {exchange.visitor_organisation_id, exchange.host_organisation_id} & roles.organisation_ids
    ):
        errors["exchange"] = [_("Choose an exchange of this programme that your organisation took part in.")]
    if event is not None and (
        event.programme_id != programme.pk
        or not event.registrations.filter(user=actor).exclude(status="cancelled").exists()
    ):
        errors["event"] = [_("Choose a mission or study visit of this programme that you registered for.")]
    return errors


@transaction.atomic
def submit_testimonial(
    actor,
    programme,
    *,
    text: str,
    author_name: str,
    author_position: str = "",
    consent: bool,
    organisation=None,
    exchange=None,
    event=None,
    is_demo: bool = False,
) -> Testimonial:
    """A participant's testimonial, waiting for moderation. Without `consent` it is kept but never
    published; with it, the consent text shown to the author is stored with the time."""
    require(actor, "news.add_testimonial", programme)
    errors = _validate_links(actor, programme, organisation, exchange, event)
    testimonial = Testimonial(
        programme=programme,
        author=actor,
        author_name=author_name.strip(),
        author_position=author_position.strip(),
        organisation=organisation,
        exchange=exchange,
        event=event,
        text=text.strip(),
        is_demo=is_demo,
    )
    if consent:
        testimonial.consent_text = str(CONSENT_TEXT)
        testimonial.consent_language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        testimonial.consent_given_at = timezone.now()
    try:
        testimonial.full_clean(exclude=["partner", "author", "programme"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    testimonial.partner = _partner_for(programme, organisation, exchange, event)
    testimonial.save()
    audit.record(
        actor,
        "news.testimonial.submit",
        testimonial,
        to_state=testimonial.status,
        comment="consent given" if consent else "no consent to publish",
    )
    return testimonial


@transaction.atomic
def withdraw_consent(actor, testimonial: Testimonial) -> Testimonial:
    """The author withdraws consent: the testimonial leaves the public pages at once, for good."""
    require(actor, "news.withdraw_testimonial", testimonial)
    if testimonial.status == TestimonialStatus.WITHDRAWN:
        raise ValidationError(_("The consent was already withdrawn."))
    from_state = testimonial.status
    testimonial.status = TestimonialStatus.WITHDRAWN
    testimonial.consent_withdrawn_at = timezone.now()
    testimonial.featured = False
    testimonial.save(update_fields=["status", "consent_withdrawn_at", "featured", "updated_at"])
    audit.record(
        actor, "news.testimonial.withdraw", testimonial, from_state=from_state, to_state=testimonial.status
    )
    return testimonial


def _moderate(
    actor, testimonial: Testimonial, to_state: str, *, reason: str = "", featured: bool | None = None
):
    require(actor, "news.moderate_testimonial", testimonial)
    if testimonial.status == TestimonialStatus.WITHDRAWN:
        raise ValidationError(
            _("The author withdrew the consent; the testimonial cannot be moderated any more.")
        )
    from_state = testimonial.status
    testimonial.status = to_state
    testimonial.rejection_reason = reason
    testimonial.moderated_by = actor
    testimonial.moderated_at = timezone.now()
    if featured is not None:
        testimonial.featured = featured
    if to_state != TestimonialStatus.APPROVED:
        testimonial.featured = False
    testimonial.save()
    audit.record(
        actor,
        "news.testimonial.moderate",
        testimonial,
        from_state=from_state,
        to_state=to_state,
        comment=reason,
        changes={"featured": [str(not testimonial.featured), str(testimonial.featured)]}
        if featured is not None
        else None,
    )
    return testimonial


@transaction.atomic
def approve_testimonial(actor, testimonial: Testimonial, *, featured: bool = False) -> Testimonial:
    """Approve for publication; refused while the author has not consented to publication."""
    if testimonial.consent_given_at is None or not testimonial.consent_text:
        require(actor, "news.moderate_testimonial", testimonial)
        raise ValidationError(_("The author has not consented to publication; it cannot be approved."))
    return _moderate(actor, testimonial, TestimonialStatus.APPROVED, featured=featured)


@transaction.atomic
def reject_testimonial(actor, testimonial: Testimonial, *, reason: str) -> Testimonial:
    if not reason.strip():
        require(actor, "news.moderate_testimonial", testimonial)
        raise ValidationError({"rejection_reason": _("Say why the testimonial is rejected.")})
    return _moderate(actor, testimonial, TestimonialStatus.REJECTED, reason=reason.strip())


@transaction.atomic
def feature_testimonial(actor, testimonial: Testimonial, *, featured: bool = True) -> Testimonial:
    """Show (or stop showing) an approved testimonial first on the public pages."""
    require(actor, "news.moderate_testimonial", testimonial)
    if testimonial.status != TestimonialStatus.APPROVED:
        raise ValidationError(_("Only an approved testimonial can be featured."))
    return _moderate(actor, testimonial, TestimonialStatus.APPROVED, featured=featured)


MODERATION_ACTIONS = ("approve", "feature", "unfeature", "reject")


def moderate(actor, testimonial: Testimonial, action: str, *, reason: str = "") -> Testimonial:
    """One moderation decision by name (pages and API): approve, feature (approving a pending one),
    unfeature, or reject with a reason."""
    if action == "approve":
        return approve_testimonial(actor, testimonial)
    if action == "feature":
        if testimonial.status == TestimonialStatus.APPROVED:
            return feature_testimonial(actor, testimonial)
        return approve_testimonial(actor, testimonial, featured=True)
    if action == "unfeature":
        return feature_testimonial(actor, testimonial, featured=False)
    if action == "reject":
        return reject_testimonial(actor, testimonial, reason=reason)
    raise ValidationError({"action": _("Unknown decision: %(action)s") % {"action": action}})
