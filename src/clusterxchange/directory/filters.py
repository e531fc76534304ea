"""Search and filters of the directory lists, shared by the web pages, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.countries import country_choices
from clusterxchange.core.models import Ecosystem, NaceCode, OpportunityType
from clusterxchange.core.present import OffersWhatExists
from clusterxchange.core.widgets import FastSelect
from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType, Person
from clusterxchange.directory.signals import COUNT_SCOPE


def search_terms(value: str) -> list[str]:
    return [term for term in value.lower().split() if term][:10]


def every_term_in(queryset, value: str, *lookups: str):
    """The rows where each word searched for is contained in one of `lookups` (any case)."""
    for term in search_terms(value):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


class OrganisationFilter(OffersWhatExists, django_filters.FilterSet):
    present = {"country": "country"}
    present_scope = COUNT_SCOPE  # organisations' changes bump it (directory/signals.py)
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(choices=country_choices, label=_("Country"), widget=FastSelect)
    org_type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, label=_("Type"), widget=FastSelect
    )
    ecosystem = django_filters.ModelChoiceFilter(
        field_name="ecosystems",
        queryset=Ecosystem.objects.all(),
        to_field_name="code",
        label=_("Ecosystem"),
        widget=FastSelect(data_scope=COUNT_SCOPE),
    )
    sector = django_filters.ModelChoiceFilter(
        method="in_sector",
        queryset=NaceCode.objects.all(),
        to_field_name="code",
        label=_("Sector (NACE)"),
        widget=FastSelect(data_scope=COUNT_SCOPE),
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="clusters",
        queryset=Organisation.objects.filter(org_type=OrganisationType.CLUSTER),
        to_field_name="slug",
        label=_("Member of cluster"),
        widget=FastSelect(data_scope=COUNT_SCOPE),
    )
    sme = django_filters.ChoiceFilter(
        choices=[("yes", _("SMEs only")), ("no", _("Not SMEs"))],
        method="sme_status",
        label=_("SME status"),
        empty_label=_("Any"),
        widget=FastSelect,
    )

    class Meta:
        model = Organisation
        fields = ["q", "country", "org_type", "ecosystem", "sector", "cluster", "sme"]

    def search(self, queryset, name, value):
        """Every word must appear in the name, city, region, keywords or description."""
        for term in search_terms(value):
            queryset = queryset.filter(search_document__contains=term)
        return queryset

    def sme_status(self, queryset, name, value):
        return queryset.filter(is_sme=value == "yes")

    def in_sector(self, queryset, name, value):
        """A section matches its divisions too."""
        return queryset.filter(Q(sectors=value) | Q(sectors__parent=value)).distinct()


class PersonFilter(OffersWhatExists, django_filters.FilterSet):
    present = {"country": "organisation__country"}
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(
        field_name="organisation__country", choices=country_choices, label=_("Country")
    )

    class Meta:
        model = Person
        fields = ["q", "country"]

    def search(self, queryset, name, value):
        return every_term_in(queryset, value, "first_name", "last_name", "position", "organisation__name")


class OpportunityFilter(OffersWhatExists, django_filters.FilterSet):
    present = {"country": "organisation__country"}
    q = django_filters.CharFilter(method="search", label=_("Search"))
    type = django_filters.ModelChoiceFilter(
        queryset=OpportunityType.objects.all(), to_field_name="code", label=_("Type")
    )
    country = django_filters.ChoiceFilter(
        field_name="organisation__country", choices=country_choices, label=_("Country")
    )
    ecosystem = django_filters.ModelChoiceFilter(
        field_name="ecosystems", queryset=Ecosystem.objects.all(), to_field_name="code", label=_("Ecosystem")
    )

    class Meta:
        model = Opportunity
        fields = ["q", "type", "country", "ecosystem"]

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(description__icontains=term) | Q(keywords__icontains=term)
            )
        return queryset
