"""News and testimonial pages: thin — parse, check permission, call the domain, render.

Reading: anyone sees published articles and publishable testimonials; a page the visitor may not
see answers 404 (a draft's existence is not revealed). Writing: editors (coordinators, partner
managers) and participants; a logged-in user without the right gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, require
from clusterxchange.core.files import file_response
from clusterxchange.core.forms import attempt, attempt_form, save_form
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import Organisation
from clusterxchange.events.models import Event, Registration
from clusterxchange.exchanges.models import Exchange
from clusterxchange.news import domain
from clusterxchange.news.forms import ArticleForm, ModerationForm, PublishForm, SubmitTestimonialForm
from clusterxchange.news.models import NewsArticle, Testimonial, TestimonialStatus
from clusterxchange.news.rules import editable_articles, editable_programmes, moderated_testimonials
from clusterxchange.programmes.models import Programme

ARTICLE_RELATED = ("programme", "partner__cluster", "author")
TESTIMONIAL_RELATED = ("programme", "organisation", "exchange", "event")


def _programme_filter(request):
    slug = request.GET.get("programme")
    return Programme.objects.filter(slug=slug).first() if slug else None


def article_list(request):
    programme = _programme_filter(request)
    articles = NewsArticle.objects.public().select_related(*ARTICLE_RELATED)
    if programme is not None:
        articles = articles.filter(programme=programme)
    return render(
        request,
        "news/list.html",
        {
            "page": paginate(request, articles, per_page=10),
            "querystring": querystring_without_page(request),
            "programme": programme,
            "section": "news",
            "can_edit": request.user.has_perm("news.edit"),
        },
    )


def _article(request, slug, permission="news.view_newsarticle"):
    article = get_object_or_404(NewsArticle.objects.select_related(*ARTICLE_RELATED), slug=slug)
    if not request.user.has_perm("news.view_newsarticle", article):
        raise Http404
    if permission != "news.view_newsarticle":
        require(request.user, permission, article)
    return article


def article_detail(request, slug):
    article = _article(request, slug)
    can_edit = request.user.has_perm("news.change_newsarticle", article)
    return render(
        request,
        "news/detail.html",
        {
            "article": article,
            "programme": article.programme,
            "section": "news",
            "can_edit": can_edit,
            "can_delete": request.user.has_perm("news.delete_newsarticle", article),
            "publish_form": PublishForm() if can_edit else None,
            "more": NewsArticle.objects.public()
            .filter(programme_id=article.programme_id)
            .exclude(pk=article.pk)
            .only("title", "slug", "published_at")[:3],
        },
    )


def article_image(request, slug):
    article = _article(request, slug)
    if not article.image:
        raise Http404
    return file_response(article.image, inline=True, public=article.is_public)


@login_required
def manage(request):
    """The editor's list: every article they may edit, drafts first."""
    require(request.user, "news.edit")
    articles = (
        editable_articles(request.user).select_related(*ARTICLE_RELATED).order_by("state", "-updated_at")
    )
    return render(
        request,
        "news/manage.html",
        {"page": paginate(request, articles), "querystring": querystring_without_page(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    programmes = editable_programmes(request.user)
    if not programmes.exists():
        raise PermissionDenied(COORDINATORS_AND_MANAGERS)
    form = ArticleForm(request.POST or None, request.FILES or None, programmes=programmes)
    return save_form(
        request,
        form,
        lambda f: domain.create_article(
            request.user, f.cleaned_data["programme"], f.domain_fields(), image=f.cleaned_data["image"]
        ),
        _("The draft was saved. It is not public until you publish it."),
        "news/form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, slug):
    article = _article(request, slug, "news.change_newsarticle")
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        programmes=Programme.objects.filter(pk=article.programme_id),
        article=article,
    )
    return save_form(
        request,
        form,
        lambda f: domain.update_article(
            request.user,
            article,
            f.domain_fields(),
            image=f.cleaned_data["image"],
            remove_image=f.cleaned_data.get("remove_image", False),
            expected_version=f.expected_version,
        ),
        _("Your changes were saved."),
        "news/form.html",
        {"article": article, "publish_form": PublishForm()},
    )


@login_required
@require_POST
def article_publish(request, slug):
    article = _article(request, slug, "news.publish_newsarticle")
    form = PublishForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: domain.publish_article(request.user, article, at=form.cleaned_data["published_at"]),
        success=lambda _published: (
            _("The article is published.")
            if article.is_public
            else _("The article will be published on %(date)s.") % {"date": article.published_at}
        ),
    )
    return redirect(article)


@login_required
@require_POST
def article_unpublish(request, slug):
    article = _article(request, slug, "news.publish_newsarticle")
    attempt(
        request,
        lambda: domain.unpublish_article(request.user, article),
        success=_("The article is a draft again and no longer public."),
    )
    return redirect(article)


@login_required
@require_POST
def article_delete(request, slug):
    article = _article(request, slug, "news.delete_newsarticle")
    domain.delete_article(request.user, article)
    messages.success(request, _("The article was deleted."))
    return redirect("news:manage")


# Testimonials


def testimonial_list(request):
    programme = _programme_filter(request)
    testimonials = Testimonial.objects.publishable(programme).select_related(*TESTIMONIAL_RELATED)
    return render(
        request,
        "news/testimonials.html",
        {
            "page": paginate(request, testimonials, per_page=20),
            "querystring": querystring_without_page(request),
            "programme": programme,
            "section": "testimonials",
            "can_submit": request.user.has_perm("news.add_testimonial"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimonial_create(request):
    require(request.user, "news.add_testimonial")

    roles = roles_of(request.user)
    organisations = Organisation.objects.filter(pk__in=roles.organisation_ids).order_by("name")
    exchanges = (
        Exchange.objects.filter(
            Q(visitor_organisation_id__in=roles.organisation_ids)
            | Q(host_organisation_id__in=roles.organisation_ids)
        )
        .select_related("visitor_organisation", "host_organisation")
        .order_by("-pk")
    )
    registrations = Registration.objects.filter(user=request.user).exclude(
        status=Registration.Status.CANCELLED
    )
    events = Event.objects.filter(pk__in=registrations.values("event_id")).order_by("-start_date")
    programmes = Programme.objects.filter(
        Q(partners__cluster__memberships_as_cluster__member_id__in=roles.organisation_ids)
        | Q(partners__cluster_id__in=roles.organisation_ids)
    ).distinct()
    if not programmes.exists():
        programmes = Programme.objects.all()
    initial = {
        "author_name": request.user.get_full_name(),
        "organisation": organisations.first(),
        "exchange": request.GET.get("exchange"),
        "event": request.GET.get("event"),
    }
    form = SubmitTestimonialForm(
        request.POST or None,
        programmes=programmes,
        organisations=organisations,
        exchanges=exchanges,
        events=events,
        initial=initial,
    )

    def submit(f):
        domain.submit_testimonial(request.user, f.cleaned_data["programme"], **f.domain_kwargs())
        return "news:my_testimonials"

    def thanks(f):
        if f.cleaned_data["consent"]:
            return _("Thank you! Your testimonial will appear once the partnership has read it.")
        return _("Thank you! Without your consent it stays with the partnership.")

    return save_form(request, form, submit, thanks, "news/testimonial_form.html")


@login_required
def my_testimonials(request):
    testimonials = Testimonial.objects.filter(author=request.user).select_related(*TESTIMONIAL_RELATED)
    return render(
        request,
        "news/my_testimonials.html",
        {"testimonials": testimonials, "can_submit": request.user.has_perm("news.add_testimonial")},
    )


def _testimonial(request, pk, permission):
    testimonial = get_object_or_404(Testimonial.objects.select_related(*TESTIMONIAL_RELATED), pk=pk)
    if not request.user.has_perm("news.view_testimonial", testimonial):
        raise Http404
    require(request.user, permission, testimonial)
    return testimonial


@login_required
@require_POST
def testimonial_withdraw(request, pk):
    testimonial = _testimonial(request, pk, "news.withdraw_testimonial")
    attempt(
        request,
        lambda: domain.withdraw_consent(request.user, testimonial),
        success=_("Your consent is withdrawn: the testimonial is no longer public."),
    )
    return redirect("news:my_testimonials")


@login_required
def moderation(request):
    require(request.user, "news.edit")
    status = request.GET.get("status", TestimonialStatus.PENDING)
    if status not in TestimonialStatus.values:
        status = TestimonialStatus.PENDING
    testimonials = (
        moderated_testimonials(request.user)
        .filter(status=status)
        .select_related(*TESTIMONIAL_RELATED, "author")
        .order_by("-submitted_at")
    )
    return render(
        request,
        "news/moderation.html",
        {
            "page": paginate(request, testimonials),
            "querystring": querystring_without_page(request),
            "status": status,
            "statuses": TestimonialStatus.choices,
            "form": ModerationForm(),
        },
    )


@login_required
@require_POST
def testimonial_moderate(request, pk):
    testimonial = _testimonial(request, pk, "news.moderate_testimonial")
    form = ModerationForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: domain.moderate(
            request.user, testimonial, form.cleaned_data["action"], reason=form.cleaned_data["reason"]
        ),
        success=lambda _testimonial: (
            _("The testimonial of %(name)s is now %(status)s.")
            % {"name": testimonial.author_name, "status": testimonial.get_status_display().lower()}
        ),
        invalid=_("Choose a decision."),
    )
    # Without the list's place, the moderator follows the testimonial to its new status.
    followed = reverse("news:moderation") + (f"?status={testimonial.status}" if form.is_valid() else "")
    return back_to_list(request, followed, f"testimonial-{testimonial.pk}")
