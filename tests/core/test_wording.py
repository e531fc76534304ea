"""Wording found on a newcomer's walk in French and Polish: "None yet." read "Aucune pour l'instant"
under masculine headings ("Pays éligibles"); a sentence ending on a name with its own full stop
("Acme Sp. z o.o.") ended with two; a coordinator inviting a partner cluster's manager was offered the
role "Organisation admin" ("Admin de l'organisation") instead of the cluster's manager."""

import html

import pytest
from django.urls import reverse, translate_url

from clusterxchange.accounts.models import RoleKind
from clusterxchange.core.texts import one_full_stop

pytestmark = pytest.mark.django_db


def test_none_yet_is_neutral_in_french(world):
    page = html.unescape(
        world.client("coordinator").get(f"/fr/programmes/{world.programme.slug}/").content.decode()
    )
    assert "Pays éligibles" in page
    assert "Rien pour l'instant." in page and "Aucune pour l'instant" not in page


def test_a_sentence_ending_on_a_name_with_a_full_stop_ends_once():
    assert one_full_stop("You left Acme Sp. z o.o..") == "You left Acme Sp. z o.o."
    assert one_full_stop("Wait... then go.") == "Wait... then go."
    assert one_full_stop("Attendez… puis partez.") == "Attendez… puis partez."


def test_leaving_an_organisation_named_with_a_full_stop_says_so_with_one_stop(world):
    world.org_a2.name = "Beta Software Sp. z o.o."
    world.org_a2.save()
    client = world.client("same_cluster")
    response = client.post(reverse("accounts:organisation_leave", args=[world.org_a2.slug]), follow=True)
    page = html.unescape(response.content.decode())
    assert "You left Beta Software Sp. z o.o." in page and "z o.o.." not in page


def test_a_cluster_admin_is_offered_as_the_clusters_manager(world):
    client = world.client("coordinator")
    page = html.unescape(
        client.get(
            reverse("invitations:invite", args=["organisation", world.cluster_b.slug])
        ).content.decode()
    )
    assert f'value="{RoleKind.ORGANISATION_ADMIN.value}">Cluster manager<' in page
    assert "Organisation admin" not in page
    french = html.unescape(
        client.get(
            translate_url(reverse("invitations:invite", args=["organisation", world.cluster_b.slug]), "fr")
        ).content.decode()
    )
    assert "Gestionnaire de cluster" in french and "Admin de l’organisation" not in french


def test_an_ordinary_organisations_admin_keeps_its_name(world):
    page = world.client("manager").get(
        reverse("invitations:invite", args=["organisation", world.org_a1.slug])
    )
    assert "Organisation admin" in page.content.decode()
