"""Filters of the marketplace (participants of one event), shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.countries import country_choices
from clusterxchange.core.models import Ecosystem, OpportunityType
from clusterxchange.core.present import OffersWhatExists
from clusterxchange.directory.filters import search_terms
from clusterxchange.directory.models import OrganisationType
from clusterxchange.events.models import Registration


class ParticipantFilter(OffersWhatExists, django_filters.FilterSet):
    present = {"country": "organisation__country"}
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(
        field_name="organisation__country", choices=country_choices, label=_("Country")
    )
    org_type = django_filters.ChoiceFilter(
        field_name="organisation__org_type", choices=OrganisationType.choices, label=_("Type")
    )
    ecosystem = django_filters.ModelChoiceFilter(
        field_name="organisation__ecosystems",
        queryset=Ecosystem.objects.all(),
        to_field_name="code",
        label=_("Ecosystem"),
    )
    opportunity = django_filters.ModelChoiceFilter(
        field_name="opportunities__type",
        queryset=OpportunityType.objects.all(),
        to_field_name="code",
        label=_("Opportunity type"),
        distinct=True,
    )
    role = django_filters.ChoiceFilter(choices=Registration.Role.choices, label=_("Taking part as"))

    class Meta:
        model = Registration
        fields = ["q", "country", "org_type", "ecosystem", "opportunity", "role"]

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(organisation__search_document__contains=term)
                | Q(profile__icontains=term)
                | Q(opportunities__title__icontains=term)
            )
        return queryset.distinct()
