"""The public programme site: about, partners with a map, missions and study visits, how to take
part, and blocks the home page reuses. Anonymous visitors see only published, public records."""

from decimal import Decimal

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType
from clusterxchange.events.models import Event, EventKind
from clusterxchange.events.rules import events_held_today
from clusterxchange.exchanges.grants import ALL_TYPES, DEFAULT_VISITOR_TYPES
from clusterxchange.news.models import NewsArticle, Testimonial
from clusterxchange.programmes.models import GrantRuleSet, PartnerCluster, Programme
from clusterxchange.reporting.maps import europe_map_svg
from clusterxchange.reporting.measures import published_kpi_figures
from clusterxchange.training.models import TrainingEntry

PUBLIC_EVENT_KINDS = (EventKind.MISSION, EventKind.STUDY_VISIT)


def public_events(programme):
    """Published missions and study visits of the programme."""
    return (
        Event.objects.filter(programme=programme, published=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("host_cluster")
        .only("title", "slug", "kind", "city", "country", "start_date", "end_date", "host_cluster__name")
    )


def upcoming_and_recent(programme, upcoming: int | None = None, recent: int = 4):
    today = timezone.localdate()
    events = public_events(programme)
    upcoming_qs = events.filter(end_date__gte=today).order_by("start_date", "title")
    recent_qs = events.filter(end_date__lt=today).order_by("-start_date", "title")
    return list(upcoming_qs[:upcoming] if upcoming else upcoming_qs), list(recent_qs[:recent])


def highlights(programme, *, news: int = 3, events: int = 3, testimonials: int = 2) -> dict:
    """Latest news, next missions and featured testimonials of a programme (home and about pages)."""
    if programme is None:
        return {}
    upcoming, recent = upcoming_and_recent(programme, upcoming=events, recent=events)
    return {
        "latest_news": list(
            NewsArticle.objects.public()
            .filter(programme=programme)
            .only("title", "slug", "summary", "published_at", "image", "image_alt")[:news]
        ),
        "upcoming_events": upcoming,
        "recent_events": recent,
        "testimonials": list(
            Testimonial.objects.publishable(programme).select_related("organisation", "event")[:testimonials]
        ),
    }


def _programme(slug):
    return get_object_or_404(Programme, slug=slug)


def _partners(programme):
    return list(
        PartnerCluster.objects.filter(programme=programme)
        .select_related("cluster")
        .annotate(member_total=Count("cluster__memberships_as_cluster", distinct=True))
        .order_by("-is_coordinator", "cluster__name")
    )


def programme_index(request):
    programme = Programme.objects.current()
    if programme is None:
        raise Http404
    return redirect("site:about", slug=programme.slug)


def about(request, slug):
    programme = _programme(slug)
    context = {
        "programme": programme,
        "section": "about",
        "partners": _partners(programme),
        "country_count": programme.eligible_countries.count(),
        "course_count": TrainingEntry.objects.published().count(),
        **highlights(programme, testimonials=3),
    }
    context["figures"] = published_kpi_figures(programme)
    return render(request, "news/site/about.html", context)


def partners(request, slug):

    programme = _programme(slug)
    partner_list = _partners(programme)
    countries: dict[str, int] = {}
    links: dict[str, str] = {}
    for partner in partner_list:
        code = str(partner.cluster.country)
        countries[code] = countries.get(code, 0) + 1
        links.setdefault(code, f"#partner-{partner.cluster.slug}")
    svg = europe_map_svg(
        countries,
        links=links,
        title=_("Partner clusters of %(programme)s") % {"programme": programme.acronym},
        value_label=_("partner clusters"),
        highlight=set(countries),
    )
    return render(
        request,
        "news/site/partners.html",
        {"programme": programme, "section": "partners", "partners": partner_list, "map_svg": svg},
    )


def events(request, slug):
    programme = _programme(slug)
    upcoming, recent = upcoming_and_recent(programme, recent=12)
    return render(
        request,
        "news/site/events.html",
        {"programme": programme, "section": "events", "upcoming_events": upcoming, "recent_events": recent},
    )


def _eligibility(programme) -> dict:

    rules = GrantRuleSet.objects.filter(programme=programme).prefetch_related("country_caps").first()
    labels = dict(OrganisationType.choices)
    visitor_types = (rules.visitor_types if rules else None) or DEFAULT_VISITOR_TYPES
    host_types = (rules.host_types if rules else None) or ALL_TYPES
    return {
        "rules": rules or GrantRuleSet(programme=programme),
        "visitor_types": [labels[t] for t in visitor_types if t in labels],
        "host_only_types": [labels[t] for t in host_types if t in labels and t not in visitor_types],
        "caps": sorted(rules.country_caps.all(), key=lambda cap: cap.country.name) if rules else [],
        "reduced_percent": int((rules.halving_factor if rules else Decimal("0.5")) * 100),
    }


def take_part(request, slug):

    programme = _programme(slug)
    countries = [entry.country for entry in programme.eligible_countries.all()]
    codes = {str(country) for country in countries}
    svg = europe_map_svg(
        dict.fromkeys(codes, 1),
        title=_("Countries taking part in %(programme)s") % {"programme": programme.acronym},
        value_label=_("eligible"),
        highlight=codes,
    )
    return render(
        request,
        "news/site/take_part.html",
        {
            "programme": programme,
            "section": "take_part",
            "countries": sorted(countries, key=lambda c: c.name),
            "map_svg": svg,
            "partners": _partners(programme),
            **_eligibility(programme),
        },
    )


def home(request):
    """The site's home page: the current programme, the directory in figures, the latest news."""
    programme = Programme.objects.prefetch_related("partners__cluster").current()
    if programme is None and request.user.has_perm("programmes.add_programme"):
        # First run: the first account is led to set up a programme (docs/admin-jobs.md).
        return redirect("programmes:create")
    context = {
        "programme": programme,
        "partners": [partner.cluster for partner in programme.partners.all()] if programme else [],
        "organisation_count": Organisation.objects.count(),
        "cluster_count": Organisation.objects.filter(org_type=OrganisationType.CLUSTER).count(),
        "opportunity_count": Opportunity.objects.visible_to_public().count(),
        "latest_opportunities": Opportunity.objects.visible_to_public()
        .select_related("organisation", "type")
        .order_by("-created_at")[:5],
        **highlights(programme),
        # A logged-in person without an organisation is pointed to the next steps (joining one).
        "needs_organisation": request.user.is_authenticated
        and not roles_of(request.user).is_programme_member,
        "events_today": events_held_today(request.user),
    }
    return render(request, "core/home.html", context)
