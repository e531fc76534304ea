"""Partner suggestions from the matching engine, wired to the directory: reasons that name real
shared features, the index following edits made through the domain, and who may see them."""

import pytest
from django.urls import reverse

from clusterxchange.core.models import OpportunityType
from clusterxchange.directory import domain
from clusterxchange.directory.matching import directory_index, partner_suggestions
from clusterxchange.directory.models import Opportunity
from tests.conftest import ROLES

EDITORS = {"coordinator", "manager", "owner"}


@pytest.fixture
def matched(world):
    directory_index.reset()
    request = OpportunityType.objects.get(code="technology-request")
    Opportunity.objects.create(
        organisation=world.org_b1,
        type=request,
        status="published",
        title="Flexible sensors for grippers",
        description="We need printed flexible pressure sensors on foil for our robot grippers.",
    )
    world.opportunity_a1.description = "We print flexible pressure sensors on polymer foil, roll to roll."
    world.opportunity_a1.save()
    yield world
    directory_index.reset()


def test_offer_answers_request_with_a_reason(matched):
    suggestions = partner_suggestions(matched.org_b1)
    names = [org.name for org, _reasons in suggestions]
    assert names[0] == "Alpha Sensors"
    reasons = " ".join(suggestions[0][1])
    assert "Printed sensors" in reasons or "sensors" in reasons


def test_index_follows_changes_made_through_the_domain(matched):
    assert "Beta Software" not in [org.name for org, _ in partner_suggestions(matched.org_b1)]
    offer = OpportunityType.objects.get(code="technology-offer")
    domain.create_opportunity(
        matched.users["same_cluster"],
        matched.org_a2,
        {
            "type": offer,
            "title": "Pressure sensor firmware",
            "description": "Firmware for flexible pressure sensors on foil, for robot grippers.",
            "status": "published",
        },
    )
    assert "Beta Software" in [org.name for org, _ in partner_suggestions(matched.org_b1)]
    domain.delete_opportunity(matched.users["owner"], matched.opportunity_a1)
    assert "Alpha Sensors" not in [org.name for org, _ in partner_suggestions(matched.org_b1)]


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_are_private_to_the_profile_managers(matched, role):
    client = matched.client(role)
    page = client.get(reverse("directory:organisation_suggestions", args=[matched.org_a1.slug]))
    api = client.get(f"/api/organisations/{matched.org_a1.slug}/suggestions")
    if role in EDITORS:
        assert page.status_code == 200 and api.status_code == 200
    else:
        assert page.status_code == (302 if role == "anonymous" else 403)
        assert api.status_code == (401 if role == "anonymous" else 403)


@pytest.mark.django_db
@pytest.mark.semantic
def test_the_demo_suggestions_quote_whole_sentences_or_terms_never_fragments():
    """Issue 20 point 7: every quoted text of every partner suggestion in the demo is a whole
    sentence of an opportunity (or title), a whole keyword, or a whole description sentence."""
    from clusterxchange.core.demo import load_demo
    from clusterxchange.directory.matching import profile_of, with_profile_data
    from clusterxchange.directory.models import Organisation
    from clusterxchange.engines import matching

    load_demo()
    profiles = [profile_of(org) for org in with_profile_data(Organisation.objects.all())]
    for embeddings in (None, "default"):  # lexical, then with the model
        index = matching.MatchingIndex(profiles, embeddings=embeddings)
        assert index.semantic_status.active == (embeddings is not None)
        assert _quotes_are_whole_units(index, profiles) > 20


def _quotes_are_whole_units(index, profiles):
    from clusterxchange.engines import matching
    from clusterxchange.engines.matching.explanations import quote
    from clusterxchange.engines.matching.semantic import sentences

    quoted = 0
    for asking in profiles:
        if not asking.opportunities:
            continue
        for suggestion in matching.suggest(index, asking, limit=5):
            candidate = index.profile(suggestion.candidate_id)
            for reason in suggestion.reasons:
                if reason.component == "text_relevance":
                    assert reason.params["their_text"] in {
                        quote(x) for o in candidate.opportunities for x in sentences(o.full_text)
                    }
                    assert reason.params["your_text"] in {
                        quote(x) for o in asking.opportunities for x in sentences(o.full_text)
                    }
                    quoted += 1
                elif reason.component == "capability_fit":
                    units = {quote(x) for x in (*candidate.keywords, *candidate.technologies)}
                    assert reason.params["phrase"] in units | {
                        quote(x) for x in sentences(candidate.description)
                    }
                    quoted += 1
    return quoted


def test_embeddings_are_kept_in_the_data_folder_unless_configured(settings, tmp_path):
    from clusterxchange.directory.matching import embeddings_file

    settings.DATA_DIR = tmp_path / "data"
    assert embeddings_file() == tmp_path / "data" / "matching-embeddings.sqlite"
    settings.MATCHING_EMBEDDINGS_FILE = str(tmp_path / "vectors.sqlite")
    assert embeddings_file() == str(tmp_path / "vectors.sqlite")
