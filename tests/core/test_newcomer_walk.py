"""Defects found walking the demo as a newcomer would (coordinator, SME, organiser, public reader):
each test fails on the templates before its fix."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clusterxchange.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(world):
    """Without a <link rel=icon> every first visit asked for /favicon.ico, a 404 in the console."""
    body = Client().get(reverse("home")).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', body)
    assert icon, "no icon link in the page's head"
    assert finders.find(icon.group(1))


def test_organisation_figures_are_grouped_in_the_readers_language(world):
    Organisation.objects.filter(pk=world.org_a1.pk).update(
        turnover_eur=15_747_041, balance_sheet_eur=1_274_629, vat_number="FR388022101"
    )
    client = world.client("owner")
    english = client.get(world.org_a1.get_absolute_url()).content.decode()
    assert "15,747,041" in english and "1,274,629" in english
    with translation.override("fr"):
        url = world.org_a1.get_absolute_url()
    french = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert "15747041" not in french
    assert re.search(r"15\s747\s041", french.replace("\u202f", " ").replace("\xa0", " "))
    # the catalogue's lower-case model label starts the line with a capital, like the others
    assert "<dt>Numéro de TVA</dt>" in french


def test_the_invitations_list_leads_to_the_places_where_one_invites(world):
    """A newcomer coordinator opening Invitations found an empty table and no way to invite."""
    body = world.client("coordinator").get(reverse("invitations:list")).content.decode()
    for target_type, slug in (
        ("programme", world.programme.slug),
        ("organisation", world.cluster_a.slug),
        ("organisation", world.cluster_b.slug),
    ):
        assert f'href="{reverse("invitations:invite", args=[target_type, slug])}"' in body
    manager = world.client("manager").get(reverse("invitations:list")).content.decode()
    assert reverse("invitations:invite", args=["organisation", world.cluster_a.slug]) in manager
    assert reverse("invitations:invite", args=["programme", world.programme.slug]) not in manager
    assert reverse("invitations:invite", args=["organisation", world.cluster_b.slug]) not in manager
    member = world.client("owner").get(reverse("invitations:list")).content.decode()
    assert 'id="invite-places"' not in member


def test_an_invitation_to_an_organisation_offers_the_member_role_first(world):
    """The role preselected was organisation admin: a hurried inviter gave admin rights."""
    body = (
        world.client("manager")
        .get(reverse("invitations:invite", args=["organisation", world.org_a1.slug]))
        .content.decode()
    )
    assert '<option value="organisation-member" selected>' in body
    assert '<option value="organisation-admin">' in body


def test_an_opportunity_says_how_to_answer_it(world):
    """An SME reading a cooperation offer had no way to answer it from its page: a member of another
    organisation now expresses its interest there (the address comes once the interest is accepted)."""
    url = world.opportunity_a1.get_absolute_url()
    body = world.client("outsider").get(url).content.decode()
    assert f'action="{reverse("join:send_interest", args=[world.opportunity_a1.pk])}"' in body
    assert "Express interest" in body
    anonymous = Client().get(url).content.decode()
    assert "hello@alpha.example" not in anonymous
    assert f'href="{reverse("account_login")}?next=' in anonymous


def test_a_kpi_named_as_its_measure_reads_in_the_readers_language(world):
    """The public programme page in French listed the KPIs in English ("Countries reached")."""
    from clusterxchange.programmes.models import KpiTarget
    from clusterxchange.reporting.measures import published_kpi_figures

    KpiTarget.objects.create(
        programme=world.programme,
        code="countries",
        name="Countries reached",
        measure="countries-reached",
        target=15,
        published=True,
    )
    own = KpiTarget.objects.create(
        programme=world.programme, code="visits", name="Visits we promised", measure="study-visits", target=3
    )
    with translation.override("fr"):
        figures = published_kpi_figures(world.programme)
        assert [figure["name"] for figure in figures] == ["Pays atteints"]
        assert own.display_name == "Visits we promised"


def test_the_public_figures_explain_themselves_with_a_letter_every_font_has(world):
    """'How it is counted' was the character ⓘ, an empty box where the font lacks it (a phone's
    headless browser showed one under every figure)."""
    from clusterxchange.programmes.models import KpiTarget

    KpiTarget.objects.create(
        programme=world.programme, code="visits", name="Study visits", measure="study-visits", target=3
    )
    KpiTarget.objects.filter(programme=world.programme).update(published=True)
    body = Client().get(reverse("site:about", args=[world.programme.slug])).content.decode()
    assert 'class="figure-definition"' in body
    assert "ⓘ" not in body


def test_the_french_invitation_does_not_say_en_tant_que_admin():
    """French elides 'que' before a vowel: the invitation read 'en tant que admin de Roboform SA'."""
    from django.utils.translation import gettext

    with translation.override("fr"):
        for msgid in (
            "%(inviter)s invites you to %(site)s as %(role)s of %(target)s.",
            "%(inviter)s invites you to take part as %(role)s of %(target)s.",
        ):
            text = gettext(msgid) % {"inviter": "K", "site": "S", "role": "admin", "target": "R"}
            assert "que admin" not in text and "« admin »" in text


@pytest.mark.parametrize(
    "language, wrong, right",
    [
        ("fr", "du janvier 2022 au janvier 2030", "janvier 2022 – janvier 2030"),
        ("pl", "od styczeń 2022 do styczeń 2030", "styczeń 2022 – styczeń 2030"),
        ("lt", "nuo sausis 2022 iki sausis 2030", "2022 m. sausis – 2030 m. sausis"),
    ],
)
def test_the_programme_months_read_as_the_language_says_them(world, language, wrong, right):
    """'du janvier 2022 au …', 'od styczeń …', 'nuo sausis …': the date range of full dates, whose
    prepositions ask for another form of a month alone."""
    with translation.override(language):
        url = reverse("site:about", args=[world.programme.slug])
    body = Client().get(url).content.decode().lower()
    assert wrong not in body
    assert right in body
