"""A partner's own reporting page: its exchanges' figures and the map of their flows, for the programme's
coordinators and that partner's managers only; another partner's exchanges are never drawn."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from clusterxchange.exchanges.models import Exchange
from tests.reporting.test_views import ROLES, expect

PARTNER_A = {
    "coordinator": 200,
    "manager": 200,
    "manager_b": 403,  # a manager of another partner of the same programme
    "owner": 404,
    "same_cluster": 404,
    "outsider": 404,
    "anonymous": "login",
}


def partner_url(rworld, partner) -> str:
    return reverse("reporting:partner", args=[rworld.programme.slug, partner.pk])


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(rworld, role):
    expect(rworld.client(role).get(partner_url(rworld, rworld.partner_a)), PARTNER_A[role])
    b_expected = {**PARTNER_A, "manager": 403, "manager_b": 200}[role]
    expect(rworld.client(role).get(partner_url(rworld, rworld.partner_b)), b_expected)


def test_an_unknown_partner_is_not_found(rworld):
    url = reverse("reporting:partner", args=[rworld.programme.slug, rworld.partner_a.pk + 1000])
    assert rworld.client("coordinator").get(url).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_the_map_draws_this_partners_flows_only(rworld, role):
    page = rworld.client(role).get(partner_url(rworld, rworld.partner_a))
    html = page.content.decode()
    # Partner A: e1 Alpha (FR) → Gamma (ES), e2 Beta (FR) without a host. Partner B's e5 (ES → FR) is not drawn.
    assert page.context["flows"].flows == [("FR", "ES", 1)]
    assert 'data-flow="FR-ES" data-value="1"' in html
    assert 'data-flow="ES-FR"' not in html
    assert 'data-country="FR" data-value="2"' in html
    assert 'data-country="ES" data-value=""' in html  # hosts only: not shaded by visitors
    # The text alternative lists the same flow, by name.
    assert page.context["flows"].rows() == [("France", "Spain", 1)]
    assert "<td>France</td><td>Spain</td><td>1</td>" in html
    # The figures: two exchanges carried out, one of an SME, each linked to this partner's records.
    figures = page.context["figures"]
    assert [(value, planned) for _label, value, planned, _url in figures] == [(2, 0), (1, 0)]
    for _label, _value, _planned, url in figures:
        assert f"partner={rworld.partner_a.pk}" in url
        assert rworld.client(role).get(url).status_code == 200
    # France's shape links to this partner's records of visitors from France.
    (country_link,) = re.findall(r'<a href="([^"]+)" aria-label="France: 2 exchanges"', html)
    query = parse_qs(urlparse(country_link.replace("&amp;", "&")).query)
    assert query["partner"] == [str(rworld.partner_a.pk)] and query["country"] == ["FR"]


def test_partner_b_sees_its_own_flow_not_partner_as(rworld):
    page = rworld.client("manager_b").get(partner_url(rworld, rworld.partner_b))
    assert page.context["flows"].flows == [("ES", "FR", 1)]
    html = page.content.decode()
    assert 'data-flow="ES-FR"' in html and 'data-flow="FR-ES"' not in html


def test_dashboard_links_each_partner_shown_to_its_page(rworld):
    coordinator = rworld.client("coordinator").get(
        reverse("reporting:dashboard", args=[rworld.programme.slug])
    )
    links = {row[0].value: row[0].url for row in coordinator.context["board"].table("partners").rows}
    assert links == {
        "Cluster A": partner_url(rworld, rworld.partner_a),
        "Cluster B": partner_url(rworld, rworld.partner_b),
    }
    manager = rworld.client("manager").get(reverse("reporting:dashboard", args=[rworld.programme.slug]))
    html = manager.content.decode()
    assert partner_url(rworld, rworld.partner_a) in html
    assert partner_url(rworld, rworld.partner_b) not in html


def test_a_partner_without_exchanges_says_so(rworld):
    Exchange.objects.filter(visitor_partner=rworld.partner_a).delete()
    page = rworld.client("manager").get(partner_url(rworld, rworld.partner_a))
    html = page.content.decode()
    assert "the map appears with the first one" in html
    assert "<svg" not in html.split('id="map-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("role", "sees"),
    [("coordinator", True), ("manager", True), ("manager_b", False), ("owner", False), ("anonymous", False)],
)
def test_the_clusters_own_page_links_its_figures_to_those_who_may_open_them(rworld, world, role, sees):
    page = rworld.client(role).get(reverse("directory:organisation", args=[world.cluster_a.slug]))
    assert page.status_code == 200
    assert (partner_url(rworld, rworld.partner_a) in page.content.decode()) is sees
    assert partner_url(rworld, rworld.partner_b) not in page.content.decode()
