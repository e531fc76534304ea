"""Small things that looked careless (#20): each fails on the old templates."""

import re

import pytest
from django.urls import reverse

from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges import documents
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world

pytestmark = pytest.mark.django_db


def test_an_sme_is_not_called_sme_twice(world, client):
    Organisation.objects.filter(pk=world.org_a1.pk).update(org_type="sme", is_sme=True)
    body = client.get(world.org_a1.get_absolute_url()).content.decode()
    assert "SME · SME" not in body
    listing = client.get(reverse("directory:organisations")).content.decode()
    href = re.escape(world.org_a1.get_absolute_url())
    row = re.search(rf'<tr>\s*<td><a href="{href}">.*?</tr>', listing, re.S)
    assert row and row.group(0).count(">SME<") == 1


def test_an_exchange_in_progress_has_no_empty_payment_heading(xworld):  # noqa: F811
    exchange = xworld.new_exchange(state="in_progress")
    body = xworld.client("visitor").get(exchange.get_absolute_url()).content.decode()
    assert "<h3>Payment</h3>" not in body


def test_the_agreement_lists_the_grant_rules_one_per_line(xworld):  # noqa: F811
    exchange = xworld.new_exchange(
        state="matched",
        grant_rules_applied=["10 working days.", "Lump sum for travel of 500-1999 km."],
    )
    html = documents.agreement_html(exchange)
    assert ".; " not in html
    assert "<li>10 working days.</li><li>Lump sum for travel of 500-1999 km.</li>" in html


def test_the_import_page_preselects_the_only_cluster(world):
    body = world.client("manager").get(reverse("directory:import")).content.decode()
    assert f'<option value="{world.cluster_a.pk}" selected>' in body
