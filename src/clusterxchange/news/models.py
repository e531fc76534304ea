"""News articles and participants' testimonials of a programme.

State changes happen only in `domain.py`. What the public may see is decided here, in one place:
`NewsArticle.objects.public()` and `Testimonial.objects.publishable()`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.uploads import dated_upload_path


def image_path(instance, filename: str) -> str:
    # Referenced by the migrations: keep it here.
    return dated_upload_path("news", filename)


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class NewsArticleQuerySet(models.QuerySet):
    def public(self, at=None):
        """Published articles whose publication date has come (newest first)."""
        return self.filter(state=ArticleState.PUBLISHED, published_at__lte=at or timezone.now()).order_by(
            "-published_at", "-pk"
        )


# The sources that generate articles, as stored (``NewsArticle.source``) and as a reader reads them.
SOURCE_LABELS = {"progress report": _("progress report")}


class NewsArticle(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="news", verbose_name=_("programme")
    )
    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        verbose_name=_("partner cluster"),
        help_text=_("The partner that writes the article; empty for the whole programme."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body_markdown = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    image = models.FileField(_("image"), upload_to=image_path, blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_articles",
        verbose_name=_("author"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True, db_index=True)
    source = models.CharField(
        _("source"), max_length=80, blank=True, help_text=_("e.g. “progress report” when generated.")
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.slug])

    @property
    def source_label(self) -> str:
        """The source in the reader's language (a source of the code's own is stored in English)."""
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def is_public(self) -> bool:
        return (
            self.state == ArticleState.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class TestimonialStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")


class TestimonialQuerySet(models.QuerySet):
    def publishable(self, programme=None, start=None, end=None):
        """Testimonials the public may see: approved, with consent given and not withdrawn.

        `programme` (object or id) limits to one programme; `start`/`end` (dates, inclusive) to
        testimonials submitted in that period — the progress report asks for its period this way.
        Featured ones come first, then the newest.
        """
        queryset = self.filter(
            status=TestimonialStatus.APPROVED,
            consent_given_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        ).exclude(consent_text="")
        if programme is not None:
            queryset = queryset.filter(programme=programme)
        if start is not None:
            queryset = queryset.filter(submitted_at__date__gte=start)
        if end is not None:
            queryset = queryset.filter(submitted_at__date__lte=end)
        return queryset.order_by("-featured", "-submitted_at", "-pk")


class Testimonial(models.Model):
    """What a participant says about an exchange, a mission or the programme, published only with
    their explicit consent (the text they agreed to is stored with the time) and after moderation."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="testimonials",
        verbose_name=_("programme"),
    )
    partner = models.ForeignKey(
        "programmes.PartnerCluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        verbose_name=_("partner cluster"),
        help_text=_("The partnership that moderates it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="testimonials",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("name shown"), max_length=120)
    author_position = models.CharField(_("position shown"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        verbose_name=_("organisation"),
    )
    exchange = models.ForeignKey(
        "exchanges.Exchange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        verbose_name=_("exchange"),
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        verbose_name=_("mission or study visit"),
    )
    text = models.TextField(_("testimonial"), max_length=2000)
    consent_text = models.TextField(_("consent given"), blank=True)
    consent_language = models.CharField(
        _("language of the consent"),
        max_length=10,
        blank=True,
        help_text=_(
            "The language the consent was given in (its text is kept as read); empty before it was kept."
        ),
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TestimonialStatus.choices,
        default=TestimonialStatus.PENDING,
        db_index=True,
    )
    featured = models.BooleanField(_("featured"), default=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True),
                name="testimonial_approved_only_with_consent",
            ),
        ]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"

    @property
    def is_publishable(self) -> bool:
        return (
            self.status == TestimonialStatus.APPROVED
            and self.consent_given_at is not None
            and self.consent_withdrawn_at is None
            and bool(self.consent_text)
        )
