"""Search, filters and sorting of the training catalogue, shared by the page, the calendar feed and the API."""

import django_filters
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.models import Language
from clusterxchange.core.present import OffersWhatExists
from clusterxchange.tandems.models import Topic
from clusterxchange.training.models import Format, Level, TrainingEntry

SORTS = {
    "title": ("title",),
    "cost": ("cost_eur", "title"),
    "duration": ("duration_hours", "title"),
    "next": ("next_session", "title"),
    "newest": ("-created_at", "title"),
}
SORT_CHOICES = [
    ("title", _("Title")),
    ("next", _("Next date")),
    ("cost", _("Cost, lowest first")),
    ("duration", _("Duration, shortest first")),
    ("newest", _("Newest first")),
]
YES = [("yes", _("Yes"))]


def search_terms(value: str) -> list[str]:
    return [term for term in value.lower().split() if term][:10]


class TrainingFilter(OffersWhatExists, django_filters.FilterSet):
    present = {"language": "languages__code"}
    q = django_filters.CharFilter(method="search", label=_("Search"))
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), to_field_name="code", label=_("Topic")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    format = django_filters.ChoiceFilter(choices=Format.choices, label=_("Format"))
    language = django_filters.ModelChoiceFilter(
        field_name="languages", queryset=Language.objects.all(), to_field_name="code", label=_("Language")
    )
    free = django_filters.ChoiceFilter(
        choices=YES, method="only_free", label=_("Free only"), empty_label=_("Any")
    )
    certificate = django_filters.ChoiceFilter(
        choices=YES, method="with_certificate", label=_("With certificate"), empty_label=_("Any")
    )
    upcoming = django_filters.ChoiceFilter(
        choices=YES, method="with_upcoming", label=_("With upcoming dates"), empty_label=_("Any")
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="sort_by", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = TrainingEntry
        fields = ["q", "topic", "level", "format", "language", "free", "certificate", "upcoming", "sort"]

    def search(self, queryset, name, value):
        """Full-text search: every word must appear in the title, provider, description, dates or a topic."""
        for term in search_terms(value):
            queryset = queryset.filter(Q(search_document__contains=term) | Q(topics__name__icontains=term))
        return queryset.distinct()

    def only_free(self, queryset, name, value):
        return queryset.filter(cost_eur=0) if value == "yes" else queryset

    def with_certificate(self, queryset, name, value):
        return queryset.filter(certificate=True) if value == "yes" else queryset

    def with_upcoming(self, queryset, name, value):
        if value != "yes":
            return queryset
        return queryset.filter(sessions__starts_at__gte=timezone.now()).distinct()

    def sort_by(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        order = SORTS.get(self.form.cleaned_data.get("sort") or "title", SORTS["title"])
        if "next_session" in order:
            queryset = queryset.annotate(
                next_session=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=timezone.now()))
            )
        return queryset.order_by(*order)
