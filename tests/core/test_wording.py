"""Wording found on a newcomer's walk in French and Polish: "None yet." read "Aucune pour l'instant"
under masculine headings ("Pays éligibles"); a sentence ending on a name with its own full stop
("Acme Sp. z o.o.") ended with two; a coordinator inviting a partner cluster's manager was offered the
role "Organisation admin" ("Admin de l'organisation") instead of the cluster's manager.

A sentence ends once because it is filled so (`core.texts.sentence`, `later`, `placeholders.fill` and
cx_i18n's `blocktranslate`), not because the page removes a doubled stop afterwards: the flash
messages, the form errors and the emails below all name "ACME Ltd.", in English and in French."""

import html

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from clusterxchange.accounts import invitations
from clusterxchange.accounts.models import RoleKind
from clusterxchange.core.placeholders import fill
from clusterxchange.core.texts import later, sentence

ACME = "ACME Ltd."

pytestmark = pytest.mark.django_db


def test_none_yet_is_neutral_in_french(world):
    page = html.unescape(
        world.client("coordinator").get(f"/fr/programmes/{world.programme.slug}/").content.decode()
    )
    assert "Pays éligibles" in page
    assert "Rien pour l'instant." in page and "Aucune pour l'instant" not in page


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "You left ACME Ltd."), ("fr", "Vous avez quitté ACME Ltd.")]
)
def test_a_sentence_ending_on_a_name_with_a_full_stop_ends_once(language, expected):
    with translation.override(language):
        assert sentence(gettext("You left %(organisation)s."), organisation=ACME) == expected
        assert str(later(gettext_lazy("You left %(organisation)s."), organisation=ACME)) == expected
        member = Template(
            "{% load i18n cx_i18n %}{% blocktranslate with name=name %}You are a member of {{ name }}."
            "{% endblocktranslate %}"
        ).render(Context({"name": ACME}))
    assert member.endswith(" ACME Ltd.") and "Ltd.." not in member
    assert fill("You left {organisation}.", {"organisation": ACME}) == "You left ACME Ltd."


def test_only_the_sentences_own_stop_is_left_out():
    assert sentence("%(name)s left.", name=ACME) == "ACME Ltd. left."
    assert sentence("%(first)s, then %(then)s.", first="Wait...", then="go") == "Wait..., then go."
    assert sentence("Wait for %(name)s.", name="Attendez…") == "Wait for Attendez…."
    assert sentence("%(count)d left: %(name)s.", count=2, name="Acme Sp. z o.o.") == "2 left: Acme Sp. z o.o."
    escaped = Template(
        "{% load i18n cx_i18n %}{% blocktranslate with name=name %}Join {{ name }}.{% endblocktranslate %}"
    ).render(Context({"name": "<b>ACME Ltd.</b>"}))
    assert escaped == "Join &lt;b&gt;ACME Ltd.&lt;/b&gt;."


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "You left ACME Ltd."), ("fr", "Vous avez quitté ACME Ltd.")]
)
def test_a_flash_message_naming_acme_ltd_ends_once(world, language, expected):
    world.org_a2.name = ACME
    world.org_a2.save()
    path = translate_url(reverse("accounts:organisation_leave", args=[world.org_a2.slug]), language)
    response = world.client("same_cluster").post(path, follow=True)
    page = html.unescape(response.content.decode())
    assert expected in page and "Ltd.." not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "owner@test.example is already a member of ACME Ltd."),
        ("fr", "owner@test.example est déjà membre de ACME Ltd."),
    ],
)
def test_a_form_error_naming_acme_ltd_ends_once(world, language, expected):
    world.org_a1.name = ACME
    world.org_a1.save()
    path = translate_url(reverse("invitations:invite", args=["organisation", world.org_a1.slug]), language)
    response = world.client("manager").post(
        path, {"email": "owner@test.example", "role_kind": "organisation-member", "language": language}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert expected in page and "Ltd.." not in page


def test_an_email_naming_acme_ltd_ends_its_sentences_once(world, django_capture_on_commit_callbacks):
    world.org_a1.name = ACME
    world.org_a1.save()
    with django_capture_on_commit_callbacks(execute=True):
        for address, language in (("en@example.org", "en"), ("fr@example.org", "fr")):
            invitations.invite(
                world.users["manager"],
                email=address,
                role_kind="organisation-member",
                target=world.org_a1,
                language=language,
            )
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert " of ACME Ltd.\n" in bodies["en@example.org"]
    assert " de ACME Ltd.\n" in bodies["fr@example.org"]
    assert not [body for body in bodies.values() if "Ltd.." in body]


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


def test_a_clusters_staff_is_offered_as_its_staff_not_as_organisation_members(world):
    client = world.client("manager")
    path = reverse("invitations:invite", args=["organisation", world.cluster_a.slug])
    page = html.unescape(client.get(path).content.decode())
    assert f'value="{RoleKind.ORGANISATION_MEMBER.value}" selected>Cluster staff member<' in page
    assert "Organisation member" not in page
    french = html.unescape(client.get(translate_url(path, "fr")).content.decode())
    assert "Membre de l’équipe du cluster" in french and "Membre de l’organisation" not in french


@pytest.mark.parametrize(
    ("role_kind", "language", "cluster_says", "company_says"),
    [
        ("organisation-admin", "en", "as cluster manager of", "as admin of"),
        ("organisation-member", "en", "as cluster staff member of", "as member of"),
        ("organisation-admin", "de", "als Clustermanager von", "als Admin von"),
        ("organisation-member", "de", "als Clusterteam-Mitglied von", "als Mitglied von"),
    ],
)
def test_an_invitation_email_names_the_role_for_the_kind_of_organisation(
    world, django_capture_on_commit_callbacks, role_kind, language, cluster_says, company_says
):
    with django_capture_on_commit_callbacks(execute=True):
        for address, inviter, target in (
            ("cluster@example.org", "coordinator", world.cluster_b),
            ("company@example.org", "manager", world.org_a1),
        ):
            invitations.invite(
                world.users[inviter],
                email=address,
                role_kind=role_kind,
                target=target,
                language=language,
            )
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert f"{cluster_says} {world.cluster_b.name}" in bodies["cluster@example.org"]
    assert f"{company_says} {world.org_a1.name}" in bodies["company@example.org"]
