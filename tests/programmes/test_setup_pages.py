"""The set-up pages at work: first run from an empty database, the step overview, the cluster search,
the live preview (the engine's own figures), bad input shown on the form, the history."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clusterxchange.accounts.models import User
from clusterxchange.engines import grants as engine
from clusterxchange.programmes import domain
from clusterxchange.programmes.grants import example_request, rules_for
from clusterxchange.programmes.models import Programme
from tests.conftest import make_org, make_user


@pytest.mark.django_db
def test_first_run_from_an_empty_database(monkeypatch):
    monkeypatch.setenv("CLUSTERXCHANGE_SETUP_PASSWORD", "a-long-and-unusual-passphrase")
    out = StringIO()
    call_command("setup", "--email", "First@Consortium.example", "--no-input", stdout=out)
    assert "Open http" in out.getvalue() and "/programmes/new/" in out.getvalue()
    first = User.objects.get(email="first@consortium.example")
    assert first.is_superuser and first.check_password("a-long-and-unusual-passphrase")
    client = Client()
    client.force_login(first)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("programmes:create")
    assert "Welcome" in client.get(reverse("programmes:create")).content.decode()
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Cluster bridges",
            "acronym": "BRIDGE",
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
            "default_language": "fr",
            "languages": ["fr", "de"],
            "grant_budget_eur": "200000",
        },
    )
    programme = Programme.objects.get(acronym="BRIDGE")
    assert response["Location"] == reverse("programmes:overview", kwargs={"slug": programme.slug})
    assert programme.roles.filter(user=first).exists()
    page = client.get(response["Location"]).content.decode()
    assert "At least one reporting period." in page and "Programme created" in page
    assert "A public description in the default language (French)." in page
    assert "A public description in each language; missing: German." in page
    # Once a programme exists, the home page is the site's again.
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_setup_command_refuses_without_password(monkeypatch):
    monkeypatch.delenv("CLUSTERXCHANGE_SETUP_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="CLUSTERXCHANGE_SETUP_PASSWORD"):
        call_command("setup", "--email", "x@example.org", "--no-input", stdout=StringIO())
    with pytest.raises(CommandError, match="--email"):
        call_command("setup", "--no-input", stdout=StringIO())
    assert not User.objects.exists()


def test_home_does_not_redirect_people_who_cannot_create(db):
    client = Client()
    client.force_login(make_user("someone@example.org"))
    assert client.get("/").status_code == 200


def test_partner_choice_searches_clusters_and_adds_one(pw):
    make_org("Cluster Nordic Wind", "DK", "cluster")
    make_org("Nordic Wind Turbines", "DK")  # not a cluster: never offered
    client = pw.client("coordinator")
    url = reverse("programmes:cluster_search", kwargs={"slug": pw.programme.slug})
    page = client.get(url, {"q": "nordic"}).content.decode()
    assert "Cluster Nordic Wind" in page and "Nordic Wind Turbines" not in page
    assert "Cluster A" not in client.get(url, {"q": "cluster"}).content.decode()  # already a partner
    partners = reverse("programmes:partners", kwargs={"slug": pw.programme.slug})
    assert (
        "Cluster Nordic Wind" in client.get(partners, {"q": "nordic"}).content.decode()
    )  # without JavaScript
    cluster = pw.w.cluster_a.__class__.objects.get(name="Cluster Nordic Wind")
    response = client.post(partners, {"cluster": cluster.pk, "grant_budget_eur": "25000"})
    assert response.status_code == 302
    assert pw.programme.partners.filter(cluster=cluster, grant_budget_eur=25000).exists()
    # A second coordinating partner: the reason is on the page, nothing saved.
    other = make_org("Cluster Two", "IT", "cluster")
    page = client.post(partners, {"cluster": other.pk, "is_coordinator": "on", "grant_budget_eur": "1"})
    assert "already the coordinating partner" in page.content.decode()
    assert not pw.programme.partners.filter(cluster=other).exists()
    # A new cluster registered inline.
    client.post(
        partners,
        {
            "new-name": "Cluster Inline",
            "new-country": "ES",
            "new-city": "Valencia",
            "new-grant_budget_eur": "0",
        },
    )
    assert pw.programme.partners.filter(cluster__name="Cluster Inline", cluster__org_type="cluster").exists()


def test_end_before_start_is_shown_on_the_form(pw):
    client = pw.client("coordinator")
    url = reverse("programmes:edit", kwargs={"slug": pw.programme.slug})
    response = client.post(
        url,
        {
            "name": "T",
            "acronym": "TEST",
            "start_date": "2030-01-01",
            "end_date": "2029-01-01",
            "default_language": "en",
            "grant_budget_eur": "0",
        },
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert Programme.objects.get(pk=pw.programme.pk).end_date == date(2030, 1, 1)


def rules_post(pw, **overrides):
    data = {
        "min_working_days": "3",
        "max_stay_months": "1",
        "full_rate_min_working_days": "5",
        "full_rate_min_distance_km": "200",
        "halving_factor": "0.50",
        "daily_rate_eur": "",
        "visit_once": "on",
        "cap_FR": "1100",
        "cap_ES": "900",
        "example-visitor_country": "FR",
        "example-host_country": "ES",
        "example-start": "2026-06-15",
        "example-end": "2026-06-17",
        "example-distance_km": "150",
    }
    data.update(overrides)
    return data


def engine_grant(pw, data):
    rules = rules_for(pw.programme)
    changed = engine.GrantRules(
        eligible_countries=rules.eligible_countries,
        country_caps={"FR": Decimal(data["cap_FR"]), "ES": Decimal(data["cap_ES"])},
        daily_rate=Decimal(data["daily_rate_eur"]) if data["daily_rate_eur"] else None,
        halving_factor=Decimal(data["halving_factor"]),
        full_rate_min_working_days=int(data["full_rate_min_working_days"]),
        full_rate_min_distance_km=float(data["full_rate_min_distance_km"]),
        min_working_days=int(data["min_working_days"]),
        max_stay_months=int(data["max_stay_months"]),
    )
    request = example_request(
        "FR",
        "ES",
        date.fromisoformat(data["example-start"]),
        date.fromisoformat(data["example-end"]),
        float(data["example-distance_km"]),
    )
    return engine.assess_grant(request, changed)


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # 3 working days, 150 km: reduced once, EUR 450
        {"example-end": "2026-06-19", "example-distance_km": "600"},  # full rate, EUR 900
        {"daily_rate_eur": "100", "example-end": "2026-06-19", "example-distance_km": "600"},  # 5 × 100
        {"halving_factor": "0.25"},
        {"cap_ES": "2000", "full_rate_min_working_days": "3"},
    ],
)
def test_live_preview_shows_the_engines_grant(pw, overrides):
    data = rules_post(pw, **overrides)
    expected = engine_grant(pw, data)
    assert expected.eligible
    response = pw.client("coordinator").post(
        reverse("programmes:rules_preview", kwargs={"slug": pw.programme.slug}), data
    )
    assert f'data-grant="{expected.lump_sum}"' in response.content.decode()
    # The preview saves nothing.
    assert rules_for(pw.programme).country_caps["ES"] == Decimal("900")


def test_preview_figures(pw):
    assert engine_grant(pw, rules_post(pw)).lump_sum == Decimal("450.00")
    assert engine_grant(
        pw, rules_post(pw, **{"example-end": "2026-06-19", "example-distance_km": "600"})
    ).lump_sum == Decimal("900.00")


def test_preview_of_bad_rules_asks_for_a_correction(pw):
    data = rules_post(pw, cap_ES="")
    response = pw.client("coordinator").post(
        reverse("programmes:rules_preview", kwargs={"slug": pw.programme.slug}), data
    )
    assert "no grant amount for host country ES" in response.content.decode()


def test_rules_page_refuses_a_gap_with_the_reason(pw):
    client = pw.client("coordinator")
    url = reverse("programmes:rules", kwargs={"slug": pw.programme.slug})
    assert 'data-grant="' in client.get(url).content.decode()  # the saved rules' preview on the first view
    page = client.post(url, rules_post(pw, cap_ES="", full_rate_min_working_days="40")).content.decode()
    assert "missing: Spain (ES)" in page and "no stay could reach it" in page
    assert rules_for(pw.programme).full_rate_min_working_days == 5
    response = client.post(url, rules_post(pw, cap_ES="950"))
    assert response.status_code == 302
    assert rules_for(pw.programme).country_caps["ES"] == Decimal("950")
    overview = client.get(reverse("programmes:overview", kwargs={"slug": pw.programme.slug})).content.decode()
    assert "Grant rules changed" in overview and "Cap ES: 900.00 → 950" in overview  # the code kept whole


def test_copy_page(pw):
    client = pw.client("coordinator")
    response = client.post(
        reverse("programmes:copy", kwargs={"slug": pw.programme.slug}),
        {
            "name": "Test II",
            "acronym": "TEST2",
            "start_date": "2031-01-01",
            "end_date": str(date(2031, 1, 1) + timedelta(days=700)),
            "default_language": "en",
        },
    )
    copy = Programme.objects.get(acronym="TEST2")
    assert response["Location"] == reverse("programmes:overview", kwargs={"slug": copy.slug})
    assert copy.partners.count() == pw.programme.partners.count()


@pytest.mark.django_db
def test_setup_command_asks_when_interactive(monkeypatch):
    from clusterxchange.programmes.management.commands import setup

    monkeypatch.delenv("CLUSTERXCHANGE_SETUP_PASSWORD", raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "asked@consortium.example")
    monkeypatch.setattr(setup.getpass, "getpass", lambda prompt: "another-long-passphrase")
    out = StringIO()
    call_command("setup", stdout=out)
    assert User.objects.get(email="asked@consortium.example").is_superuser
    # Again with an existing, ordinary account: it becomes a superuser, its password unchanged.
    plain = make_user("plain@consortium.example")
    call_command("setup", "--email", "plain@consortium.example", "--no-input", stdout=out)
    plain.refresh_from_db()
    assert plain.is_superuser and plain.check_password("correct-horse-battery")


def test_members_page_is_linked_from_the_overview(pw):
    page = pw.client("coordinator").get(reverse("programmes:overview", kwargs={"slug": pw.programme.slug}))
    assert reverse("accounts:programme_members", kwargs={"slug": pw.programme.slug}) in page.content.decode()


def test_an_edit_saved_in_between_is_not_overwritten(pw):
    """Two coordinators open the general step; the second to save is told, and the first's change stays."""
    client = pw.client("coordinator")
    url = reverse("programmes:edit", kwargs={"slug": pw.programme.slug})
    version = client.get(url).context["form"].initial["version"]
    data = {
        "name": "Renamed by one",
        "acronym": pw.programme.acronym,
        "start_date": pw.programme.start_date.isoformat(),
        "end_date": pw.programme.end_date.isoformat(),
        "default_language": "en",
        "languages": ["en"],
        "grant_budget_eur": "0",
        "version": version,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Renamed by the other"})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert Programme.objects.get(pk=pw.programme.pk).name == "Renamed by one"


def test_history_words_the_changes_not_the_field_codes(pw):
    """The history names the fields and their choices as the forms do, and a created value has no
    'None →' before it."""
    coordinator = pw.users["superuser"]
    created = domain.create_programme(
        coordinator,
        {
            "name": "Walk",
            "acronym": "WALK",
            "start_date": date(2027, 1, 1),
            "end_date": date(2028, 12, 31),
            "default_language": "de",
            "grant_budget_eur": Decimal("1000"),
        },
    )
    domain.add_kpi(
        coordinator,
        created,
        {"code": "events", "name": "Events", "measure": "missions", "target": 4, "published": True},
    )
    html = pw.client("superuser").get(reverse("programmes:overview", kwargs={"slug": created.slug})).content
    html = html.decode()
    assert "Start date: 2027-01-01" in html
    assert "Default language: German" in html
    assert "Published: yes" in html and "Counted as: Company missions" in html
    assert "None →" not in html and "start_date" not in html


def test_the_partners_page_leads_to_inviting_each_partners_manager(pw):
    """A coordinator who adds a partner invites its manager from the same page (no search through the
    directory); the programme's own invitation says which role it offers."""
    client = pw.client("coordinator")
    page = client.get(reverse("programmes:partners", kwargs={"slug": pw.programme.slug})).content.decode()
    partners = list(pw.programme.partners.select_related("cluster"))
    assert partners
    for partner in partners:
        assert reverse("invitations:invite", args=["organisation", partner.cluster.slug]) in page
    invite = client.get(reverse("invitations:invite", args=["programme", pw.programme.slug])).content.decode()
    assert "Role offered: <strong>Coordinator</strong>" in invite


@pytest.mark.parametrize(("language", "expected"), [("de", "1.100,00\xa0€"), ("fr", "1\u202f100,00\xa0€")])
def test_the_programme_overview_shows_the_country_caps_in_the_readers_format(pw, language, expected):
    from django.utils import translation

    from clusterxchange.programmes import domain
    from clusterxchange.programmes.models import GrantRuleSet

    programme = pw.programme
    rules = GrantRuleSet.objects.filter(programme=programme).first() or GrantRuleSet.objects.create(
        programme=programme
    )
    rules.country_caps.update_or_create(country="DE", defaults={"amount_eur": Decimal("1100")})
    domain.update_programme(pw.users["coordinator"], programme, {"languages": ["en", language]})
    with translation.override(language):
        url = programme.get_setup_url()
    page = pw.client("coordinator").get(url).content.decode()
    assert expected in page and "EUR 1" not in page


def test_the_overview_names_the_programmes_languages(pw):
    """The header's language switcher once wrote its own list into `languages`, so the overview showed the
    seven languages' Python dictionaries instead of the programme's languages."""
    pw.programme.languages = ["en", "fr"]
    pw.programme.save(update_fields=["languages"])
    page = pw.client("coordinator").get(reverse("programmes:overview", kwargs={"slug": pw.programme.slug}))
    html = page.content.decode()
    assert "name_local" not in html
    assert "<dd>English, French</dd>" in html


def test_the_eligible_countries_are_named_in_the_readers_language(pw):
    """The list was built once, when the module was imported, so it stayed English on every page."""
    client = pw.client("coordinator")
    client.post(reverse("set_language"), {"language": "fr"})
    with translation.override("fr"):
        html = client.get(
            reverse("programmes:countries", kwargs={"slug": pw.programme.slug})
        ).content.decode()
    assert ">Allemagne</option>" in html and ">Germany</option>" not in html


def test_a_kpi_targets_position_is_its_place_in_the_list_not_a_job(pw):
    """'position' was one message for a person's job and a row's place: the KPI form read 'Fonction'."""
    client = pw.client("coordinator")
    client.post(reverse("set_language"), {"language": "fr"})
    with translation.override("fr"):
        html = client.get(reverse("programmes:kpis", kwargs={"slug": pw.programme.slug})).content.decode()
    assert ">Ordre" in html and ">Fonction" not in html


def test_the_partner_search_is_its_own_get_form(pw):
    """Enter in the search field submitted the add-partner form by GET, CSRF token and all, into the
    address (and so into logs and history)."""
    html = pw.client("coordinator").get(reverse("programmes:partners", kwargs={"slug": pw.programme.slug}))
    html = html.content.decode()
    search_form = html.split('<form id="cluster-search"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in search_form and "csrfmiddlewaretoken" not in search_form
    assert 'name="q"' in html and 'form="cluster-search"' in html.split('name="q"', 1)[1].split(">", 1)[0]
    assert 'formmethod="get"' not in html


def test_a_missing_lump_sum_names_the_country_in_the_readers_language(pw):
    """The refusal listed codes ('manquant : RO'): the reader sees the country's name, the code after it."""
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        domain.check_grant_rules(pw.programme.grant_rules, {}, ["RO"])
    assert "Roumanie (RO)" in str(refused.value)
