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
