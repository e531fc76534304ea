"""Filters of the marketplace (participants of one event), shared by the page and the API, and of the
organiser's registrations list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.countries import country_choices
from clusterxchange.core.models import Ecosystem, OpportunityType
from clusterxchange.core.present import OffersWhatExists
from clusterxchange.directory.filters import every_term_in, search_terms
from clusterxchange.directory.models import OrganisationType
from clusterxchange.events import questions
from clusterxchange.events.models import ParticipantType, Registration, RegistrationQuestion


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


class RegistrationFilter(OffersWhatExists, django_filters.FilterSet):
    """The organiser's list of an event's registrations (thousands at a large event): search by
    organisation, person or email; status, role, participant type and country offered with their
    counts; a question's answer. Types and questions are the event's own (left out when it has none)."""

    present = {
        "status": "status",
        "role": "role",
        "type": "participant_type",
        "country": "organisation__country",
    }
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices, label=_("Status"))
    role = django_filters.ChoiceFilter(choices=Registration.Role.choices, label=_("Taking part as"))
    type = django_filters.ModelChoiceFilter(
        field_name="participant_type",
        queryset=ParticipantType.objects.none(),
        label=_("Participant type"),
        empty_label=_("Any"),
    )
    country = django_filters.ChoiceFilter(
        field_name="organisation__country", choices=country_choices, label=_("Country")
    )
    question = django_filters.ModelChoiceFilter(
        queryset=RegistrationQuestion.objects.none(),
        method="by_answer",
        label=_("Question"),
        empty_label=_("Any"),
    )
    answer = django_filters.CharFilter(method="with_question", label=_("Answer"))

    class Meta:
        model = Registration
        fields = ["q", "status", "role", "type", "country", "question", "answer"]

    def __init__(self, data, queryset, event):
        super().__init__(data, queryset=queryset)
        types = event.participant_types.all()
        asked = event.questions.all()
        if types.exists():
            self.filters["type"].queryset = types
        else:
            del self.filters["type"]
        if asked.exists():
            self.filters["question"].queryset = asked
        else:
            del self.filters["question"], self.filters["answer"]

    @property
    def form(self):
        form = super().form
        if "answer" in form.fields:
            form.fields["answer"].widget.attrs["list"] = "answer-choices"
        return form

    def search(self, queryset, name, value):
        return every_term_in(
            queryset, value, "organisation__name", "person__first_name", "person__last_name", "user__email"
        )

    def by_answer(self, queryset, name, question):
        return questions.answered(queryset, question, self.form.cleaned_data.get("answer") or "")

    def with_question(self, queryset, name, value):
        """The answer is read with its question (by_answer); alone it filters nothing."""
        return queryset
