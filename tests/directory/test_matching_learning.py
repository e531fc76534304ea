"""Outcomes of suggestions are recorded where they happen, and the weights learn from them with
the effect measured on held-out askers."""

from io import StringIO

import pytest
from django.core.management import call_command

from clusterxchange.core.models import Ecosystem, Language
from clusterxchange.directory.matching import directory_index, learn, policy_for, record_outcome
from clusterxchange.directory.models import MatchingWeights, Person
from clusterxchange.engines.matching import MatchingUse, default_policy
from tests.conftest import make_org


@pytest.fixture
def outcomes(db):
    """Visitors accept hosts that speak their language and decline the others, whatever the text says."""
    directory_index.reset()
    digital = Ecosystem.objects.get(code="digital")
    german, french = Language.objects.get(code="de"), Language.objects.get(code="fr")
    for number in range(24):
        visitor = make_org(f"Visitor {number}", "FR", description="cloud software for factories")
        visitor.ecosystems.add(digital)
        Person.objects.create(first_name="V", last_name=str(number), organisation=visitor).languages.add(
            german
        )
        liked = make_org(f"Liked host {number}", "DE", description="bakery and catering")
        Person.objects.create(first_name="L", last_name=str(number), organisation=liked).languages.add(german)
        disliked = make_org(f"Disliked host {number}", "ES", description="cloud software for factories")
        disliked.ecosystems.add(digital)
        Person.objects.create(first_name="D", last_name=str(number), organisation=disliked).languages.add(
            french
        )
        record_outcome(MatchingUse.PARTNER_SEARCH, visitor, liked, "accepted")
        record_outcome(MatchingUse.PARTNER_SEARCH, visitor, disliked, "declined")
    yield
    directory_index.reset()


def test_learning_improves_held_out_agreement_and_is_applied(outcomes):
    learned, before, after = learn(MatchingUse.PARTNER_SEARCH, apply=True)
    assert (learned.positives, learned.negatives) == (24, 24)
    assert after > before
    stored = MatchingWeights.objects.get(use="partner_search")
    assert stored.held_out_auc_after == after
    weights = policy_for(MatchingUse.PARTNER_SEARCH).weights
    assert weights.language_overlap > default_policy(MatchingUse.PARTNER_SEARCH).weights.language_overlap


def test_learn_command_reports_the_effect(outcomes):
    output = StringIO()
    call_command("learn_matching_weights", use="partner_search", stdout=output)
    text = output.getvalue()
    assert "Outcomes: 24 good, 24 bad" in text
    assert "Held-out AUC: current weights" in text
    assert "Not stored" in text
    assert not MatchingWeights.objects.exists()
