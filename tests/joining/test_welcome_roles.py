"""The next steps page guides each role: a coordinator to the programme's set-up while a step lacks
something and to the Partners page to invite the partner clusters' managers; a cluster manager to
inviting people, the cluster's member organisations and a new event. Members see neither (the page
guided members only: a coordinator or cluster manager starting a consortium found no way on)."""

import pytest
from django.urls import reverse

from clusterxchange.programmes.steps import setup_steps

pytestmark = pytest.mark.django_db

SETUP = "Finish the set-up"
PARTNERS_INVITE = "Invite the partner clusters"


def _page(world, role) -> str:
    response = world.client(role).get(reverse("join:welcome"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_is_sent_to_the_missing_set_up_steps_and_the_partners_page(world):
    page = _page(world, "coordinator")
    missing = [step for step in setup_steps(world.programme) if not step.done]
    assert missing
    assert SETUP in page and f"{len(missing)} steps still lack something" in page
    assert reverse("programmes:overview", args=[world.programme.slug]) in page
    assert reverse("programmes:partners", args=[world.programme.slug]) in page
    assert PARTNERS_INVITE in page


def test_a_coordinator_of_a_set_up_programme_reads_that_it_is_complete(world, monkeypatch):
    monkeypatch.setattr("clusterxchange.joining.views.setup_steps", lambda programme: [])
    page = _page(world, "coordinator")
    assert SETUP not in page and "Its set-up is complete." in page


def test_a_cluster_manager_is_offered_invitations_members_and_a_new_event(world):
    page = _page(world, "manager")
    assert reverse("invitations:invite", args=["organisation", world.cluster_a.slug]) in page
    assert f"{reverse('directory:organisations')}?cluster={world.cluster_a.slug}" in page
    assert reverse("events:create") in page
    assert SETUP not in page and PARTNERS_INVITE not in page


@pytest.mark.parametrize("role", ["owner", "same_cluster", "outsider"])
def test_members_see_neither_guidance(world, role):
    page = _page(world, role)
    assert SETUP not in page and PARTNERS_INVITE not in page
    assert "Clusters I manage" not in page and reverse("events:create") not in page
