"""Bugs found by the authorization sweep and the API fuzzing, each pinned by a test."""

import pytest
from django.urls import reverse

from clusterxchange.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_deleting_an_organisation_with_exchanges_is_refused_with_a_reason(xworld):
    """Was a 500 (ProtectedError) in the page and the API; now a message / 422, and nothing is deleted."""
    xworld.new_exchange()
    org = xworld.base.org_a1
    client = xworld.client("coordinator")
    response = client.post(reverse("directory:organisation_delete", args=[org.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("directory:organisation", args=[org.slug])
    assert "cannot be deleted while it has exchanges" in response.content.decode()
    token_client = xworld.client("visitor_partnership")
    response = token_client.delete(f"/api/organisations/{org.slug}")
    assert response.status_code == 422
    assert "cannot be deleted" in response.content.decode()
    assert Organisation.objects.filter(pk=org.pk).exists()
